"""Plans and journal entries are private to their leader: everyone else gets 404 —
facilitator, organisation admin, researcher and a leader from elsewhere alike."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from flourish.development import actions

from .helpers import self_assessment, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(leader, model_version):
    own = self_assessment(leader, model_version)
    plan = actions.create_plan(leader, own, [model_version.processes[0]["id"]])
    actions.set_goal(plan, plan.processes[0], "Goal")
    return plan


@pytest.fixture
def entry(leader, model_version):
    return actions.write_entry(leader, leader.memberships.first().organisation, model_version,
                               title="Private thoughts", text="Only for me.", written_on=date(2026, 1, 1))


def urls(plan, entry):
    action = actions.add_action(plan, plan.processes[0], text="Do it", due_on=timezone.localdate())
    review = actions.schedule_review(plan, timezone.localdate() + timedelta(days=5))
    return [
        f"/development/plans/{plan.pk}/",
        f"/development/plans/{plan.pk}/plan.pdf",
        f"/development/plans/{plan.pk}/actions/{action.pk}/",
        f"/development/plans/{plan.pk}/reviews/{review.pk}/",
        f"/development/journal/{entry.pk}/",
        f"/development/journal/{entry.pk}/edit/",
        f"/development/journal/{entry.pk}/delete/",
    ]


def test_the_leader_can_open_their_plan_pdf_and_journal_entry(leader, plan, entry):
    client = signed_in(leader)
    for url in urls(plan, entry):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["facilitator", "org_admin", "researcher", "outsider"])
def test_everyone_else_gets_404(request, persona, plan, entry):
    client = signed_in(request.getfixturevalue(persona))
    for url in urls(plan, entry):
        assert client.get(url).status_code == 404, (persona, url)
    pid = plan.processes[0]
    writes = {
        f"/development/plans/{plan.pk}/goals/{pid}/": {f"goal-{pid}-text": "Hijack"},
        f"/development/plans/{plan.pk}/processes/{pid}/actions/": {
            f"action-{pid}-text": "x", f"action-{pid}-due_on": "2030-01-01"
        },
        f"/development/plans/{plan.pk}/reviews/": {"due_on": "2030-01-01"},
        f"/development/journal/{entry.pk}/delete/": {},
        f"/development/journal/{entry.pk}/edit/": {"title": "x", "text": "y", "save": "1"},
    }
    for url, data in writes.items():
        assert client.post(url, data).status_code == 404, (persona, url)
    plan.refresh_from_db()
    entry.refresh_from_db()
    assert plan.goals.get().text == "Goal" and entry.title == "Private thoughts"
    listing = client.get("/development/journal/").content.decode()
    assert "Private thoughts" not in listing
    assert f"/development/plans/{plan.pk}/" not in client.get("/development/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, plan, entry):
    for url in (f"/development/plans/{plan.pk}/", f"/development/journal/{entry.pk}/", "/development/journal/"):
        response = client.get(url)
        assert response.status_code == 302 and "sign-in" in response.url
