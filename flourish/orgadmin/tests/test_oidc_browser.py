"""Sign-in with the organisation's own identity provider, end to end: Chromium, Flourish's
live server, and a real OpenID Connect provider (npm oidc-provider) — no mocks.

The admin sets the provider up on its screen; a newcomer signs in through it and gets an
account with no role; an existing account is matched by its verified email; unverified
addresses, other domains and deactivated accounts are refused; password sign-in can be
switched off for the organisation."""

import pytest
from playwright.sync_api import expect

from flourish.accounts.models import Membership, User
from flourish.audit.models import Entry
from flourish.orgadmin.models import IdentityProvider, Newcomer, OrganisationSettings
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

from .helpers import can_sign_in
from .oidc_fixtures import CLIENT_ID, SECRET_ENV

pytestmark = pytest.mark.django_db(transaction=True)


def set_up_provider(organisation, issuer):
    return IdentityProvider.objects.create(organisation=organisation, issuer=issuer, client_id=CLIENT_ID,
                                           client_secret_env=SECRET_ENV, allowed_domain="riverside.test")


def expect_signed_in(page):
    """The sign-out form is there (on a phone it sits inside the closed menu)."""
    expect(page.locator("form[action='/account/sign-out/']")).to_be_attached()


def sign_in_through_provider(page, email, login):
    page.route("https://fonts.googleapis.com/**", lambda route: route.abort())  # the provider's page font
    page.goto("/sign-in/organisation/")
    page.get_by_label("Your work email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: the test provider's login page")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent page


def test_the_admin_sets_up_the_provider_and_a_newcomer_signs_in_with_no_role(page, phone, oidc_provider,
                                                                             org_admin, organisation):
    sign_in(page, org_admin.email, personas.PASSWORD)
    page.goto(f"/organisation/{organisation.pk}/sign-in/")
    assert_accessible(page)
    page.get_by_label("Issuer").fill(oidc_provider)
    page.get_by_label("Client ID").fill(CLIENT_ID)
    page.get_by_label("Or: name of the environment variable").fill(SECRET_ENV)
    page.get_by_label("Allowed email domain").fill("@Riverside.test")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Identity provider saved.")).to_be_visible()
    assert IdentityProvider.objects.get().allowed_domain == "riverside.test"

    phone.goto("/sign-in/organisation/")
    assert_accessible(phone)
    assert_fits_width(phone)
    sign_in_through_provider(phone, "nia@riverside.test", "newcomer")
    expect_signed_in(phone)

    nia = User.objects.get(email="nia@riverside.test")
    assert (nia.first_name, nia.last_name, nia.has_usable_password()) == ("Nia", "Evans", False)
    assert not Membership.objects.filter(user=nia).exists()
    assert Newcomer.objects.filter(user=nia, organisation=organisation).exists()
    entry = Entry.objects.get(verb="sign-in", actor_id=nia.pk)
    assert (entry.organisation_id, entry.details["method"]) == (organisation.pk, "identity provider")

    page.goto(f"/organisation/{organisation.pk}/members/")
    expect(page.get_by_text("Waiting for a role")).to_be_visible()
    page.get_by_role("link", name="Nia Evans").click()
    page.get_by_label("Leader", exact=False).first.check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_text("Roles saved for nia@riverside.test.")).to_be_visible()
    assert list(Membership.objects.filter(user=nia).values_list("role", flat=True)) == ["leader"]
    assert not Newcomer.objects.exists()


def test_an_existing_account_is_matched_by_its_verified_email(page, oidc_provider, leader, organisation):
    set_up_provider(organisation, oidc_provider)
    sign_in_through_provider(page, leader.email, "amara")
    expect_signed_in(page)
    assert User.objects.filter(email__iexact=leader.email).count() == 1
    page.goto("/self-assessment/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "sign-in" not in page.url


@pytest.mark.parametrize("email, login", [("ursula@riverside.test", "unverified"),
                                          ("nia@riverside.test", "elsewhere")])
def test_an_unverified_or_foreign_address_is_refused(page, oidc_provider, organisation, email, login):
    set_up_provider(organisation, oidc_provider)
    sign_in_through_provider(page, email, login)
    expect(page.get_by_text("You are not signed in")).to_be_visible()
    assert_accessible(page)
    assert not User.objects.exists()


def test_a_deactivated_account_cannot_sign_in_through_the_provider(page, oidc_provider, leader, organisation):
    set_up_provider(organisation, oidc_provider)
    leader.is_active = False
    leader.save()
    sign_in_through_provider(page, leader.email, "amara")
    expect(page.get_by_text("You are not signed in")).to_be_visible()


def test_with_password_sign_in_switched_off_only_the_provider_lets_members_in(page, oidc_provider, leader,
                                                                              organisation):
    set_up_provider(organisation, oidc_provider)
    OrganisationSettings.objects.create(organisation=organisation, password_sign_in=False)
    assert not can_sign_in(leader.email)
    sign_in_through_provider(page, leader.email, "amara")
    expect_signed_in(page)


def test_an_address_no_organisation_signs_in_is_told_to_use_a_password(page, organisation):
    page.goto("/sign-in/organisation/")
    page.get_by_label("Your work email address").fill("someone@nowhere.test")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("No organisation signs in people @nowhere.test here.").first).to_be_visible()
    assert_accessible(page)
