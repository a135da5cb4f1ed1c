"""The account page, the organisation lookup that guards every page, and Django admin."""

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape

from flourish.accounts.models import Membership, Role, User
from flourish.accounts.permissions import get_organisation_for_user, has_role, leader_organisations
from flourish.testing.personas import PASSWORD


def test_the_account_page_requires_sign_in(client):
    response = client.get(reverse("account"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('account')}"


def test_the_account_page_lists_each_membership_with_its_role(client, leader, outsider):
    other = outsider.memberships.get().organisation
    Membership.objects.create(user=leader, organisation=leader.memberships.get().organisation, role=Role.ADMIN)
    Membership.objects.create(user=leader, organisation=other, role=Role.FACILITATOR)
    client.force_login(leader)

    response = client.get(reverse("account"))

    assert response.status_code == 200
    content = response.content.decode()
    assert escape("Leader at Riverside Children's Centre") in content
    assert escape("Organisation admin at Riverside Children's Centre") in content
    assert "Facilitator at Hilltop Family Hub" in content
    assert "amara@riverside.test" in content
    assert "Amara Okafor" in content


def test_the_account_page_of_someone_without_an_organisation_says_so(client, db):
    loner = User.objects.create_user("loner@nowhere.test", PASSWORD)
    client.force_login(loner)

    response = client.get(reverse("account"))

    assert "You do not belong to an organisation yet" in response.content.decode()


def test_the_account_page_shows_only_the_persons_own_memberships(client, leader, outsider):
    client.force_login(leader)

    response = client.get(reverse("account"))

    assert "Hilltop Family Hub" not in response.content.decode()


def test_a_member_gets_their_organisation(leader, organisation):
    assert get_organisation_for_user(leader, organisation.pk) == organisation
    assert get_organisation_for_user(leader, organisation.pk, Role.LEADER) == organisation


def test_an_outsider_asking_for_an_organisation_gets_404(outsider, organisation):
    with pytest.raises(Http404):
        get_organisation_for_user(outsider, organisation.pk)


def test_a_member_asking_with_a_role_they_do_not_have_gets_404(leader, organisation):
    with pytest.raises(Http404):
        get_organisation_for_user(leader, organisation.pk, Role.FACILITATOR)


@pytest.mark.parametrize("pk", ["not-a-number", None, 999_999])
def test_a_nonsense_or_missing_organisation_id_gets_404(leader, pk):
    with pytest.raises(Http404):
        get_organisation_for_user(leader, pk)


def test_an_anonymous_visitor_has_no_organisations(organisation):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    with pytest.raises(Http404):
        get_organisation_for_user(anonymous, organisation.pk)
    assert not has_role(anonymous, organisation, Role.LEADER)


def test_roles_are_per_organisation(leader, facilitator, outsider, organisation):
    assert has_role(leader, organisation, Role.LEADER)
    assert not has_role(facilitator, organisation, Role.LEADER)
    assert list(leader_organisations(leader)) == [organisation]
    assert organisation not in leader_organisations(outsider)


def test_django_admin_is_reachable_for_staff(client, db):
    staff = User.objects.create_superuser("admin@flourish.test", PASSWORD)
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


@pytest.mark.parametrize("persona", ["leader", "org_admin"])
def test_django_admin_redirects_people_who_are_not_staff(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_django_admin_redirects_anonymous_visitors(client, db):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
