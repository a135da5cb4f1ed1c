"""Honest nominations (issue 10, attack 1 and item 2): a leader cannot ask themselves, and
every name on the list — also one added after the invitations went — is seen by a second
person first, with warnings about what to look at twice."""

import pytest
from django.core import mail

from flourish.feedback import actions, nominations
from flourish.feedback.models import Cycle, Rater, Status
from flourish.jobs.testing import run_pending_jobs

from .helpers import answer, fresh_rate_limits  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db

BEA = {"name": "Bea Jones", "email": "bea@nhs.test", "profession": "Health", "employer": "City NHS Trust",
       "relationship": "peer"}


def start_round(client, leader, approver):
    client.force_login(leader)
    reply = client.post("/feedback/new/", {
        "title": "Spring feedback", "closes_on": "2099-01-31",
        "organisation": leader.memberships.first().organisation_id, "leader": leader.pk,
        "approver": approver.pk,
    })
    assert reply.status_code == 302
    return Cycle.objects.get(title="Spring feedback")


def add(client, cycle, **person):
    return client.post(f"/feedback/{cycle.pk}/raters/", {"employer": "", **person}, follow=True)


def test_puppet_raters_are_refused_or_held_and_the_small_report_never_opens(client, leader, facilitator,
                                                                          django_capture_on_commit_callbacks):
    """Attack 1: Amara lists her own sign-in address and a personal one next to one real
    rater, hoping for an n = 3 report that is the real rater's answers minus her own."""
    cycle = start_round(client, leader, facilitator)

    # Her sign-in address, however it is written, is refused outright.
    for written in ("amara@riverside.test", "  AMARA@Riverside.test ", "amara+360@riverside.test"):
        reply = add(client, cycle, name="A Colleague", email=written, profession="Health", relationship="peer")
        assert "is an address of Amara Okafor, the leader receiving the feedback" in reply.content.decode()
    assert not cycle.raters.exists()

    # A personal address is accepted onto the list, but only as waiting for approval.
    reply = add(client, cycle, name="Sam Friend", email="amara.okafor@gmail.com", profession="Health",
                relationship="peer")
    assert "waiting for Gareth Lloyd" in reply.content.decode()
    add(client, cycle, **BEA)
    # The same Gmail mailbox written another way is the same person.
    reply = add(client, cycle, name="Sam Again", email="Amara.Okafor+x@googlemail.com", profession="Health",
                relationship="peer")
    assert "already on the list (as amara.okafor@gmail.com)" in reply.content.decode()
    with pytest.raises(actions.NotAllowed, match="approved before invitations go"):
        actions.send_invitations(cycle)

    client.post(f"/feedback/{cycle.pk}/send-for-approval/")
    # Gareth sees what to look at twice.
    client.force_login(facilitator)
    page = client.get(f"/feedback/{cycle.pk}/approve/").content.decode()
    assert "a personal mail address (gmail.com)" in page.lower()
    assert "looks like amara okafor&#x27;s own name" in page.lower()
    assert "can never be shown on its own" in page
    # He takes the puppet off and approves the rest: only the real rater is invited.
    puppet = cycle.raters.get(email="amara.okafor@gmail.com")
    run_pending_jobs()  # the approval request, queued when the list was sent
    mail.outbox.clear()
    client.post(f"/feedback/{cycle.pk}/approve/raters/{puppet.pk}/remove/")
    client.post(f"/feedback/{cycle.pk}/approve/")
    run_pending_jobs()  # the invitations go through the mail queue
    cycle.refresh_from_db()
    assert cycle.status == Status.OPEN
    assert [m.to for m in mail.outbox] == [["bea@nhs.test"]]

    # Adding the puppet again after the invitations went does not invite it: it waits.
    client.force_login(leader)
    run_pending_jobs()
    mail.outbox.clear()
    add(client, cycle, name="Sam Friend", email="a.okafor77@hotmail.com", profession="Health",
        relationship="peer")
    run_pending_jobs()
    assert [m.to for m in mail.outbox] == [[facilitator.email]]  # the approver is asked, nobody invited
    late = cycle.raters.get(email="a.okafor77@hotmail.com")
    assert late.awaiting_approval and late.invited_at is None

    # With only the real rater invited, the n = 3 report that would have given her
    # answers away cannot be made.
    answer(cycle.raters.get(email="bea@nhs.test"))
    client.post(f"/feedback/{cycle.pk}/close/")
    run_pending_jobs()  # the report is built by a job: with one answer, none is made
    cycle.refresh_from_db()
    assert cycle.is_closed and cycle.report is None
    assert "there is no report" in client.get(f"/feedback/{cycle.pk}/").content.decode()


def test_the_approver_can_send_the_list_back_with_a_comment(client, leader, facilitator):
    cycle = start_round(client, leader, facilitator)
    add(client, cycle, **BEA)
    client.post(f"/feedback/{cycle.pk}/send-for-approval/")
    client.force_login(facilitator)
    reply = client.post(f"/feedback/{cycle.pk}/approve/return/", {"comment": ""})
    assert reply.status_code == 400 and "Enter what the leader should change" in reply.content.decode()
    client.post(f"/feedback/{cycle.pk}/approve/return/", {"comment": "Ask people from the school too."})
    cycle.refresh_from_db()
    assert cycle.status == Status.DRAFT
    client.force_login(leader)
    page = client.get(f"/feedback/{cycle.pk}/").content.decode()
    assert "Gareth Lloyd sent the list back: “Ask people from the school too.”" in page


def test_the_approver_adds_people_and_the_additions_are_approved_by_adding_them(client, leader, facilitator):
    cycle = start_round(client, leader, facilitator)
    add(client, cycle, **BEA)
    client.post(f"/feedback/{cycle.pk}/send-for-approval/")
    client.force_login(facilitator)
    client.post(f"/feedback/{cycle.pk}/approve/raters/", {
        "name": "Ola Head", "email": "ola@school.test", "profession": "Education and early years",
        "employer": "", "relationship": "partner agency"})
    ola = cycle.raters.get(email="ola@school.test")
    assert not ola.awaiting_approval
    client.post(f"/feedback/{cycle.pk}/approve/")
    assert set(Rater.objects.filter(cycle=cycle, invited_at__isnull=False).values_list("email", flat=True)) == {
        "bea@nhs.test", "ola@school.test"}


def test_the_report_method_says_who_approved_the_list_and_what_is_protected(client, leader, facilitator,
                                                                          model_version):
    from .helpers import add_raters, new_cycle

    cycle = new_cycle(leader, model_version, approver=facilitator)
    raters = add_raters(cycle)
    actions.request_approval(cycle)
    actions.approve(cycle, facilitator)
    for rater in raters:
        answer(rater)
    cycle = actions.close(cycle)
    assert cycle.report["approval"]["approved"] and cycle.report["approval"]["by"] == "Gareth Lloyd"
    client.force_login(leader)
    method = client.get(f"/feedback/{cycle.pk}/report/").content.decode().split('id="method"')[1]
    assert "The list of people asked was approved by Gareth Lloyd" in method
    assert "What is and is not protected" in method and "Not protected: who was asked" in method


@pytest.mark.parametrize("written, same", [
    (" Amara@Riverside.TEST ", "amara@riverside.test"),
    ("amara+feedback@riverside.test", "amara@riverside.test"),
    ("a.m.a.r.a@googlemail.com", "amara@gmail.com"),
    ("amara.okafor+1@gmail.com", "amaraokafor@gmail.com"),
])
def test_addresses_are_compared_as_the_mailbox_they_reach(written, same):
    assert nominations.mailbox(written) == same


def test_dots_are_kept_outside_gmail():
    assert nominations.mailbox("a.okafor@nhs.test") != nominations.mailbox("aokafor@nhs.test")


@pytest.mark.parametrize("address, looks_like_her", [
    ("amara.okafor@gmail.com", True), ("a.okafor77@hotmail.com", True), ("amara1@yahoo.com", True),
    ("bea.jones@nhs.test", False), ("amy@x.org", False),
])
def test_an_address_like_the_leaders_name_is_flagged(address, looks_like_her):
    assert nominations.resembles_name(address, "Amara", "Okafor") is looks_like_her
