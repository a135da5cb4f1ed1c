"""Issue 10, the ledger for 360° feedback: everything a cycle shows is recorded with its
audience — the report's figures for its leader when it is released and for each person it
is shared with, the live milestones for the leader and the organisation's admins — and
nothing new is shown to someone before the joint audit over everything they were already
shown. Through the real pages: the leader's Close and Share buttons, raters' links."""

import pytest

from flourish.disclosure import actions as ledger_actions
from flourish.disclosure import keys
from flourish.disclosure.models import Release
from flourish.feedback import actions
from flourish.feedback.models import RaterLink, Response
from flourish.feedback.reporting import counted_responses, processes_of, respondents_of, rules_of
from flourish.jobs.testing import run_pending_jobs
from flourish.lib import report as pure
from flourish.lib.ledger import Figure

from .helpers import add_raters, answer, fresh_rate_limits, new_cycle  # noqa: F401

pytestmark = pytest.mark.django_db

HEALTH_TEAM = [("Bea", "Health", "peer"), ("Carl", "Health", "peer"), ("Dan", "Health", "peer"),
               ("Eve", "Health", "peer")]


def report_releases(cycle, user):
    return Release.objects.filter(audience=keys.person(user.pk), subject=keys.cycle_subject(cycle.pk),
                                  key__startswith="report:").order_by("pk")


def closed_through_the_page(client, leader, cycle):
    client.force_login(leader)
    assert client.post(f"/feedback/{cycle.pk}/close/").status_code == 302
    run_pending_jobs()
    cycle.refresh_from_db()
    assert cycle.is_released
    return cycle


@pytest.fixture
def answered_cycle(leader, model_version):
    cycle = new_cycle(leader, model_version)
    for rater in add_raters(cycle):
        answer(rater)
    return cycle


@pytest.fixture
def open_cycle(leader, model_version):
    cycle = new_cycle(leader, model_version)
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    for rater in raters:
        answer(rater)
    return cycle


def test_closing_a_cycle_records_every_figure_of_its_report_for_the_leader(client, leader, open_cycle):
    cycle = closed_through_the_page(client, leader, open_cycle)
    recorded = [Figure.from_json(r.equation) for r in report_releases(cycle, leader)]
    counted = list(counted_responses(cycle))
    others = [r for r in respondents_of(cycle, counted) if r.role == pure.OTHER]
    expected = pure.report_equations(processes_of(cycle.framework_version), others,
                                     [keys.response_key(r.pk) for r in counted], rules_of(cycle))
    assert recorded == expected and len(recorded) > 30
    # The figures name the severed answers' pseudonyms, never a rater.
    named = {term[0] for figure in recorded for term in figure.terms}
    assert named == {keys.response_key(r.pk) for r in Response.objects.filter(cycle=cycle)}
    assert not any("rater" in name or "@" in name for name in named)


def test_sharing_a_report_records_it_for_the_person_it_is_shared_with(client, leader, facilitator, open_cycle):
    cycle = closed_through_the_page(client, leader, open_cycle)
    assert not report_releases(cycle, facilitator).exists()
    assert client.post(f"/feedback/{cycle.pk}/share/", {"email": facilitator.email}).status_code == 302
    assert facilitator in cycle.shared_with.all()
    shown = report_releases(cycle, facilitator)
    assert shown.count() == report_releases(cycle, leader).count()
    # Sharing again shows nothing new and records nothing twice.
    client.post(f"/feedback/{cycle.pk}/share/", {"email": facilitator.email})
    assert report_releases(cycle, facilitator).count() == shown.count()


def test_a_share_is_refused_when_with_what_the_person_already_has_it_would_reveal_a_rater(
        client, leader, facilitator, open_cycle):
    cycle = closed_through_the_page(client, leader, open_cycle)
    # The coach already holds, in full, the answers of one rater in a group the report shows
    # with exactly three people (say, rows exported to them): that group would then leave
    # two raters, which is too few. (Which professions the report pools depends on the
    # groups' sizes, so the group is read off the report's own figures.)
    group_of_three = next(f for f in (Figure.from_json(r.equation) for r in report_releases(cycle, leader))
                          if len(f.respondents) == cycle.min_k)
    one = sorted(group_of_three.respondents)[0]
    ledger_actions.record(keys.person(facilitator.pk), keys.cycle_subject(cycle.pk), "rows", rows_of=[one])
    reply = client.post(f"/feedback/{cycle.pk}/share/", {"email": facilitator.email}, follow=True)
    assert "cannot be shared with" in reply.content.decode()
    assert facilitator not in cycle.shared_with.all()
    assert not report_releases(cycle, facilitator).exists()


def test_a_report_shared_before_it_is_released_is_recorded_for_that_person_at_release(
        client, leader, facilitator, open_cycle):
    client.force_login(leader)
    assert client.post(f"/feedback/{open_cycle.pk}/share/", {"email": facilitator.email}).status_code == 302
    cycle = closed_through_the_page(client, leader, open_cycle)
    assert report_releases(cycle, facilitator).count() == report_releases(cycle, leader).count() > 0


def milestone_releases(cycle):
    return Release.objects.filter(subject=keys.cycle_subject(cycle.pk), key__startswith="live:")


def answer_through_the_link(client, rater):
    from flourish.feedback.tests.helpers import answer_everything, url

    token = RaterLink.issue(rater)
    answer_everything(client, token, rater.cycle.framework_version)
    assert client.post(url("review", token), {}).status_code == 302


def test_a_live_milestone_is_recorded_for_the_leader_and_the_organisations_admins(
        client, leader, org_admin, model_version):
    cycle = new_cycle(leader, model_version)
    raters = add_raters(cycle, HEALTH_TEAM)
    actions.send_invitations(cycle)
    for rater in raters[:2]:
        answer_through_the_link(client, rater)
    assert not milestone_releases(cycle).exists()
    answer_through_the_link(client, raters[2])
    cycle.refresh_from_db()
    assert cycle.live_milestones == ["Health"]
    recorded = {r.audience: Figure.from_json(r.equation) for r in milestone_releases(cycle)}
    assert set(recorded) == {keys.person(leader.pk), keys.organisation_admins(cycle.organisation_id)}
    # The cautious reading: the sum of "answered" over everyone of the group ever asked.
    assert all(f.respondents == {keys.rater_key(r.pk) for r in raters} for f in recorded.values())


def test_a_milestone_that_would_single_someone_out_with_what_the_leader_was_shown_stays_down(
        client, leader, model_version):
    cycle = new_cycle(leader, model_version)
    raters = add_raters(cycle, HEALTH_TEAM)
    actions.send_invitations(cycle)
    # Suppose the leader had been shown how many of Bea, Carl and Dan answered: the milestone
    # over all four would then tell them about Eve alone.
    earlier = Figure(tuple((keys.rater_key(r.pk), "answered", 1) for r in raters[:3]))
    ledger_actions.record(keys.person(leader.pk), keys.cycle_subject(cycle.pk), "live:earlier", figure=earlier)
    for rater in raters[:3]:
        answer_through_the_link(client, rater)
    cycle.refresh_from_db()
    assert cycle.live_milestones == []
    assert not milestone_releases(cycle).exclude(key="live:earlier").exists()
