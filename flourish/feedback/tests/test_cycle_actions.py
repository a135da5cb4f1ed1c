"""The life of a cycle: nominate, approve, invite, answer, remind, close, release."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from flourish.core.tokens import hash_token
from flourish.feedback import actions, reporting
from flourish.feedback.models import RaterLink, Status
from flourish.jobs.testing import run_pending_jobs

from .helpers import add_raters, answer, complete_self, new_cycle


@pytest.fixture
def cycle(leader, model_version):
    return new_cycle(leader, model_version)


def test_a_new_cycle_starts_its_self_part_on_the_same_framework_version(cycle, model_version):
    assert cycle.status == Status.DRAFT
    assert cycle.self_assessment.framework_version == model_version
    assert cycle.self_assessment.leader == cycle.leader


def test_the_closing_date_must_be_in_the_future(leader, model_version):
    with pytest.raises(actions.NotAllowed, match="future"):
        new_cycle(leader, model_version, days=0)


def test_nominating_checks_group_relationship_and_duplicates(cycle):
    add_raters(cycle, [("Ann", "Health", "peer")])
    with pytest.raises(actions.NotAllowed, match="already on the list"):
        actions.nominate(cycle, name="Ann", email="ANN@example.org", profession="Health", relationship="peer")
    with pytest.raises(actions.NotAllowed, match="rofessional group 'Nursing'"):
        actions.nominate(cycle, name="Bo", email="bo@example.org", profession="Nursing", relationship="peer")
    with pytest.raises(actions.NotAllowed, match="elationship 'boss'"):
        actions.nominate(cycle, name="Bo", email="bo@example.org", profession="Health", relationship="boss")
    assert cycle.raters.count() == 1


def test_nominating_many_is_all_or_nothing(cycle):
    rows = [
        dict(name="A", email="a@example.org", profession="Health", relationship="peer"),
        dict(name="B", email="b@example.org", profession="Nope", relationship="peer"),
    ]
    with pytest.raises(actions.NotAllowed):
        actions.nominate_many(cycle, rows)
    assert cycle.raters.count() == 0


def test_invitations_email_a_personal_link_stored_only_as_a_hash(cycle):
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    run_pending_jobs()
    assert len(mail.outbox) == len(raters)
    message = mail.outbox[0]
    token = message.body.split("/r/")[1].split("/")[0]
    assert len(token) >= 40
    assert not RaterLink.objects.filter(token_hash=token).exists()
    assert RaterLink.objects.filter(token_hash=hash_token(token)).exists()
    assert "minutes" in message.body
    # The promise says exactly what the product guarantees (issue 10): no more "nobody
    # sees whether you have answered", which the live counts used to break.
    assert "nothing they do can tell them whether you answered" in message.body
    assert "kept without your name" in message.body
    assert "Nobody sees whether you have answered" not in message.body


def test_with_an_approver_invitations_wait_for_approval(leader, facilitator, model_version):
    cycle = new_cycle(leader, model_version, approver=facilitator)
    add_raters(cycle)
    with pytest.raises(actions.NotAllowed, match="approval"):
        actions.send_invitations(cycle)
    actions.request_approval(cycle)
    run_pending_jobs()
    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    with pytest.raises(actions.NotAllowed):
        actions.approve(cycle, leader)
    actions.approve(cycle, facilitator)
    run_pending_jobs()
    cycle.refresh_from_db()
    assert cycle.status == Status.OPEN and len(mail.outbox) == 1 + cycle.raters.count()


def test_reminders_go_only_to_people_who_have_not_answered(cycle):
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    run_pending_jobs()
    answer(raters[0])
    mail.outbox.clear()
    reminded = actions.remind(cycle)
    run_pending_jobs()
    assert reminded == len(raters) - 1
    assert raters[0].email not in {m.to[0] for m in mail.outbox}


def test_the_scheduler_reminds_once_in_each_window_and_closes_due_cycles(cycle):
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    type(cycle).objects.filter(pk=cycle.pk).update(opened_at=timezone.now() - timedelta(days=8))
    for rater in raters:
        type(rater).objects.filter(pk=rater.pk).update(invited_at=timezone.localdate() - timedelta(days=8))
    now = timezone.now()

    def days_before_closing(days):
        return now + timedelta(days=(cycle.closes_on - timezone.localdate(now)).days - days)

    assert actions.send_due_reminders(now=days_before_closing(9)) == 0
    assert actions.send_due_reminders(now=days_before_closing(7)) == len(raters)
    assert actions.send_due_reminders(now=days_before_closing(6)) == 0
    assert actions.send_due_reminders(now=days_before_closing(2)) == len(raters)
    assert actions.send_due_reminders(now=days_before_closing(1)) == 0
    for rater in raters[:3]:
        answer(rater)
    closed = actions.close_due_cycles(today=cycle.closes_on + timedelta(days=1))
    assert [c.pk for c in closed] == [cycle.pk] and closed[0].is_released


def test_closing_releases_a_fixed_report_and_refuses_late_answers(cycle):
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    complete_self(cycle)
    for rater in raters[:-1]:
        answer(rater)
    closed = actions.close(cycle)
    assert closed.is_released and closed.report["respondents"] == {"self": 1, "others": len(raters) - 1}
    frozen = closed.report
    with pytest.raises(actions.NotAllowed, match="closed"):
        answer(raters[-1])
    closed.refresh_from_db()
    assert closed.report == frozen
    assert actions.close(closed).report == frozen


def test_a_cycle_with_fewer_than_k_answers_closes_without_a_report(cycle):
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    for rater in raters[:2]:
        answer(rater)
    closed = actions.close(cycle)
    assert closed.is_closed and not closed.is_released


def test_drafts_and_revoked_raters_do_not_count(cycle):
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    for rater in raters[:3]:
        answer(rater)
    actions.save_page(raters[3], cycle.framework_version.processes[0]["id"], {}, None)
    actions.revoke(raters[0])
    assert len([r for r in reporting.respondents_of(cycle) if r.role == "other"]) == 2
    assert not reporting.enough_responses(cycle)


def test_submitting_twice_keeps_one_response(cycle):
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    first = answer(raters[0])
    again = actions.submit(raters[0])
    assert first.pk == again.pk and first.submitted_at == again.submitted_at


def test_a_later_cycle_reports_the_change_since_the_previous_one(leader, model_version):
    scores = {}
    for round_number, value in ((1, 3), (2, 4)):
        cycle = new_cycle(leader, model_version, title=f"Round {round_number}")
        raters = add_raters(cycle)
        actions.send_invitations(cycle)
        for rater in raters:
            answer(rater, value_of=lambda r, i, v=value: v)
        scores[round_number] = actions.close(cycle)
    change = scores[2].report["change"]
    assert change["cycle"] == scores[1].pk
    first_process = model_version.processes[0]["id"]
    assert change["processes"][first_process]["others"] == pytest.approx(1.0)
    assert "change" not in scores[1].report
