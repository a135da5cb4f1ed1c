"""Every organisation-admin page, for every role: only that organisation's admins get in.
Everyone else — its leaders, facilitators, researchers, another organisation's admin —
gets 404, for every page and every write, and nothing changes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from flourish.accounts.models import Membership, Role
from flourish.audit.actions import record
from flourish.orgadmin.models import OrganisationSettings
from flourish.testing import personas

from .helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_admin(outsider):
    """The admin of Hilltop Family Hub."""
    return personas.person("ada@elsewhere.test", Role.ADMIN, outsider.memberships.first().organisation, "Ada", "Obi")


def pages(organisation, person):
    org = f"/organisation/{organisation.pk}"
    return [
        f"{org}/", f"{org}/members/", f"{org}/members/{person.pk}/", f"{org}/members/{person.pk}/remove/",
        f"{org}/frameworks/", f"{org}/settings/", f"{org}/sign-in/", f"{org}/audit/", f"{org}/audit/audit.csv",
        f"{org}/audit/?verb=sign-in&person=amara", f"{org}/audit/audit.csv?verb=sign-in",
    ]


def test_every_admin_url_is_in_the_matrix():
    """A page added to orgadmin or audit without a row here fails: each is one of `pages`,
    `writes`, the index or the members' logo below."""
    from django.urls import get_resolver

    covered = {"index", "overview", "members", "invite", "person", "roles", "deactivate", "reactivate", "remove",
               "frameworks", "default_framework", "upload_framework", "settings", "logo", "logo_image",
               "identity_provider", "log", "export"}
    names = set()
    for namespace in ("orgadmin", "audit"):
        resolver = get_resolver().namespace_dict[namespace][1]
        names |= {p.name for p in resolver.url_patterns}
    assert names == covered


def writes(organisation, person):
    org = f"/organisation/{organisation.pk}"
    return {
        f"{org}/members/invite/": {"email": "spy@example.org", "roles": ["admin"]},
        f"{org}/members/{person.pk}/roles/": {"roles": ["admin"]},
        f"{org}/members/{person.pk}/deactivate/": {},
        f"{org}/members/{person.pk}/reactivate/": {},
        f"{org}/members/{person.pk}/remove/": {},
        f"{org}/frameworks/default/": {"framework": ""},
        f"{org}/settings/": {"comment_minimum": "9"},
        f"{org}/settings/logo/": {"remove": "1"},
        f"{org}/frameworks/upload/": {"file": SimpleUploadedFile("f.yaml", b"slug: spy\n")},
        f"{org}/sign-in/": {"issuer": "https://evil.test", "client_id": "x", "client_secret": "y",
                            "allowed_domain": "riverside.test", "enabled": "True"},
    }


def test_the_organisations_admin_opens_every_page(org_admin, leader, organisation):
    record(org_admin, "sign-in", org_admin, organisation=organisation)
    client = signed_in(org_admin)
    for url in pages(organisation, leader):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["leader", "facilitator", "researcher", "outsider", "other_admin"])
def test_everyone_else_gets_404_and_changes_nothing(request, persona, org_admin, leader, organisation):
    client = signed_in(request.getfixturevalue(persona))
    for url in pages(organisation, leader):
        assert client.get(url).status_code == 404, (persona, url)
    for url, data in writes(organisation, leader).items():
        assert client.post(url, data).status_code == 404, (persona, url)
    assert set(Membership.objects.filter(organisation=organisation).values_list("user__email", "role")) == {
        (leader.email, "leader"), (org_admin.email, "admin")} | (
        {(request.getfixturevalue(persona).email, persona)} if persona in ("facilitator", "researcher") else set())
    assert not OrganisationSettings.objects.filter(comment_minimum=9).exists()
    assert not hasattr(organisation, "identity_provider") or organisation.identity_provider is None


def test_an_admin_gets_404_for_people_of_another_organisation(org_admin, organisation, outsider):
    client = signed_in(org_admin)
    org = f"/organisation/{organisation.pk}"
    assert client.get(f"{org}/members/{outsider.pk}/").status_code == 404
    assert client.post(f"{org}/members/{outsider.pk}/deactivate/").status_code == 404
    assert client.post(f"{org}/members/{outsider.pk}/roles/", {"roles": ["leader"]}).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active and not Membership.objects.filter(user=outsider, organisation=organisation).exists()


def test_an_admin_gets_404_for_another_organisations_pages(org_admin, other_admin, outsider):
    hilltop = outsider.memberships.first().organisation
    client = signed_in(org_admin)
    for url in pages(hilltop, outsider):
        assert client.get(url).status_code == 404, url


def test_signed_out_visitors_are_sent_to_sign_in(organisation, leader):
    for url in pages(organisation, leader):
        response = Client().get(url)
        assert response.status_code == 302 and "/account/sign-in/" in response.url, url


@pytest.mark.parametrize("persona", ["leader", "facilitator", "researcher"])
def test_the_admin_index_is_404_for_everyone_but_admins(request, persona, org_admin, organisation):
    assert signed_in(request.getfixturevalue(persona)).get("/organisation/").status_code == 404
    response = signed_in(org_admin).get("/organisation/")
    assert response.status_code == 302 and response.url == f"/organisation/{organisation.pk}/"


def test_the_logo_is_for_the_organisations_members_only(org_admin, leader, organisation, outsider, other_admin):
    from .helpers import image

    signed_in(org_admin).post(f"/organisation/{organisation.pk}/settings/logo/",
                              {"logo": SimpleUploadedFile("logo.png", image())})
    url = f"/organisation/{organisation.pk}/logo"
    assert signed_in(leader).get(url).status_code == 200
    for stranger in (outsider, other_admin):
        assert signed_in(stranger).get(url).status_code == 404
    assert signed_in(org_admin).get(f"/organisation/{outsider.memberships.first().organisation_id}/logo").status_code \
        == 404
    assert Client().get(url).status_code == 302
