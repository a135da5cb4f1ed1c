"""An organisation admin manages members through the real views: invites (the person
chooses their own password), roles, deactivation and removal, each in the audit log."""

import pytest
from django.core import mail
from django.test import Client

from flourish.accounts.models import Membership, Role, User
from flourish.audit.models import Entry
from flourish.jobs.models import Delivery
from flourish.jobs.testing import sent_mail
from flourish.testing import personas
from flourish.testing.personas import PASSWORD

from .helpers import NEW_PASSWORD, can_sign_in, last_mail_to, link_in, set_password_from, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def base(organisation):
    return f"/organisation/{organisation.pk}/members/"


def invite(client, organisation, email, roles, **names):
    return client.post(base(organisation) + "invite/", {"email": email, "roles": roles, **names})


def test_the_admin_invites_a_new_leader_who_chooses_their_own_password(org_admin, organisation):
    admin = signed_in(org_admin)
    response = invite(admin, organisation, "Bethan@Riverside.test", [Role.LEADER], first_name="Bethan",
                      last_name="Rees")

    assert response.status_code == 302
    bethan = User.objects.get(email="bethan@riverside.test")
    assert not bethan.has_usable_password()
    assert list(Membership.objects.filter(user=bethan).values_list("role", flat=True)) == [Role.LEADER]
    assert mail.outbox == []  # queued with the invitation, sent by the worker, not by the request
    assert Delivery.objects.get(purpose="orgadmin.account").object_key == f"user:{bethan.pk}"
    message = last_mail_to("bethan@riverside.test")
    assert "invited you to Riverside Children's Centre on Flourish as leader" in message.body

    set_password_from(Client(), link_in(message))
    assert can_sign_in("bethan@riverside.test", NEW_PASSWORD)
    entry = Entry.objects.get(verb="member-invited")
    assert (entry.actor_email, entry.object_label, entry.details["roles"]) == (org_admin.email, "Bethan Rees",
                                                                                "leader")
    assert entry.organisation_id == organisation.pk and entry.address == "127.0.0.1"


def test_inviting_someone_already_here_is_refused_and_changes_nothing(org_admin, leader, organisation):
    response = invite(signed_in(org_admin), organisation, leader.email, [Role.RESEARCHER])
    assert response.status_code == 400
    assert "is already a member" in response.content.decode()
    assert list(Membership.objects.filter(user=leader).values_list("role", flat=True)) == [Role.LEADER]
    assert sent_mail() == []


def test_an_invitation_without_a_role_is_refused():
    organisation = personas.organisation()
    response = invite(signed_in(personas.org_admin(organisation)), organisation, "x@riverside.test", [])
    assert response.status_code == 400 and "Choose at least one role." in response.content.decode()
    assert not User.objects.filter(email="x@riverside.test").exists()


def test_someone_from_another_organisation_is_added_without_a_password_link(org_admin, organisation, outsider):
    invite(signed_in(org_admin), organisation, outsider.email, [Role.RESEARCHER])
    assert Membership.objects.filter(user=outsider, organisation=organisation, role=Role.RESEARCHER).exists()
    assert "password-reset" not in last_mail_to(outsider.email).body
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)


def test_the_admin_changes_roles_and_the_change_is_logged(org_admin, leader, organisation):
    response = signed_in(org_admin).post(f"{base(organisation)}{leader.pk}/roles/",
                                         {"roles": [Role.LEADER, Role.FACILITATOR]})
    assert response.status_code == 302
    assert set(Membership.objects.filter(user=leader).values_list("role", flat=True)) == {"leader", "facilitator"}
    entry = Entry.objects.get(verb="roles-changed")
    assert entry.details == {"before": "leader", "after": "facilitator,leader"}


def test_the_last_admin_cannot_give_up_the_admin_role(org_admin, organisation):
    response = signed_in(org_admin).post(f"{base(organisation)}{org_admin.pk}/roles/", {"roles": [Role.LEADER]})
    assert response.status_code == 400
    assert "needs at least one active admin" in response.content.decode()
    assert Membership.objects.filter(user=org_admin, role=Role.ADMIN).exists()


def test_a_deactivated_member_cannot_sign_in_and_their_session_ends(org_admin, leader, organisation):
    their_session = signed_in(leader)
    response = signed_in(org_admin).post(f"{base(organisation)}{leader.pk}/deactivate/")
    assert response.status_code == 302

    assert their_session.get("/self-assessment/").status_code == 302  # sent to sign in
    assert not can_sign_in(leader.email)
    assert Membership.objects.filter(user=leader).exists()  # roles kept for reactivating

    signed_in(org_admin).post(f"{base(organisation)}{leader.pk}/reactivate/")
    assert can_sign_in(leader.email)
    assert [e.verb for e in Entry.objects.filter(verb__startswith="member-").order_by("at", "pk")] == [
        "member-deactivated", "member-reactivated"]


def test_an_admin_cannot_switch_off_an_account_shared_with_another_organisation(org_admin, organisation,
                                                                                outsider):
    Membership.objects.create(user=outsider, organisation=organisation, role=Role.LEADER)
    response = signed_in(org_admin).post(f"{base(organisation)}{outsider.pk}/deactivate/")
    assert response.status_code == 400
    assert "also belongs to another organisation" in response.content.decode()
    outsider.refresh_from_db()
    assert outsider.is_active


def test_an_admin_cannot_deactivate_themselves(org_admin, organisation):
    response = signed_in(org_admin).post(f"{base(organisation)}{org_admin.pk}/deactivate/")
    assert response.status_code == 400
    org_admin.refresh_from_db()
    assert org_admin.is_active


def test_removing_a_member_takes_their_roles_here_and_keeps_their_account(org_admin, leader, organisation):
    admin = signed_in(org_admin)
    assert "Remove Amara Okafor from" in admin.get(f"{base(organisation)}{leader.pk}/remove/").content.decode()
    assert Membership.objects.filter(user=leader).exists()  # the GET changed nothing

    response = admin.post(f"{base(organisation)}{leader.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(user=leader, organisation=organisation).exists()
    assert User.objects.filter(pk=leader.pk).exists()
    assert admin.get(f"{base(organisation)}{leader.pk}/").status_code == 404  # no longer one of ours


def test_members_can_be_searched_by_name_or_email(org_admin, leader, researcher, organisation):
    admin = signed_in(org_admin)
    page = admin.get(base(organisation), {"q": "okafor"}).content.decode()
    assert "Amara Okafor" in page and "Mei Chen" not in page
    page = admin.get(base(organisation), {"q": "mei@"}).content.decode()
    assert "Mei Chen" in page and "Amara Okafor" not in page
