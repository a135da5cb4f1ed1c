"""Development plans: made from a self-assessment or a released report with suggested
processes, goals, actions from the framework's practices, progress notes, reviews with
reminders, before and after, and the PDF."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from flourish.development import actions, progress
from flourish.development.models import ActionStatus, Plan, Review
from flourish.jobs.models import Job
from flourish.jobs.testing import made_pdf, pdf_text, run_pending_jobs

from .helpers import SUGGESTED_POSITIONS, released_cycle, self_assessment, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(leader, model_version):
    return self_assessment(leader, model_version)


@pytest.fixture
def client(leader):
    return signed_in(leader)


def ids_at(version, positions):
    return [version.processes[i]["id"] for i in positions]


def make_plan(leader, source, positions=(0, 3)):
    return actions.create_plan(leader, source, ids_at(source.framework_version, positions))


def test_a_self_assessment_suggests_important_processes_scored_low(client, own, model_version):
    page = client.get(f"/development/new/?from=selfassessment:{own.pk}")
    assert page.status_code == 200
    suggested = page.context["suggestions"]
    assert [s.process_id for s in suggested] == ids_at(model_version, SUGGESTED_POSITIONS)
    first = model_version.processes[0]["name"]
    assert suggested[0].reasons == [
        "You rated it 5 out of 5 for importance to your role, and your score is 2.00, below 3.5."
    ]
    html = page.content.decode()
    assert first in html and "your score is 2.00" in html
    assert page.context["form"]["processes"].value() == ids_at(model_version, SUGGESTED_POSITIONS)


def test_choosing_processes_makes_the_plan_with_a_review_date(client, own, model_version, leader):
    chosen = ids_at(model_version, [0, 3])
    review_on = timezone.localdate() + timedelta(days=90)
    response = client.post(f"/development/new/?from=selfassessment:{own.pk}",
                           {"processes": chosen, "review_on": review_on.isoformat()})
    plan = Plan.objects.get(leader=leader)
    assert response.status_code == 302 and response.url == f"/development/plans/{plan.pk}/"
    assert plan.processes == chosen
    assert plan.source_self_assessment == own and plan.source_cycle is None
    assert plan.framework_version == model_version
    assert list(plan.reviews.values_list("due_on", flat=True)) == [review_on]


@pytest.mark.parametrize("positions, message", [
    ([], "Choose at least one process"),
    ([0, 1, 2, 3], "Choose at most 3 processes"),
])
def test_a_plan_has_one_to_three_processes(client, own, model_version, positions, message):
    response = client.post(f"/development/new/?from=selfassessment:{own.pk}",
                           {"processes": ids_at(model_version, positions)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Plan.objects.exists()
    for wrong in ([], ids_at(model_version, [0, 1, 2, 3]), ["not-a-process"]):
        with pytest.raises(actions.NotAllowed):
            actions.create_plan(own.leader, own, wrong)
    assert not Plan.objects.exists()


def test_an_unfinished_self_assessment_cannot_start_a_plan(leader, model_version, client):
    from flourish.selfassess import actions as self_actions

    draft = self_actions.start(leader, leader.memberships.first().organisation, model_version)
    response = client.get(f"/development/new/?from=selfassessment:{draft.pk}")
    assert response.status_code == 302
    with pytest.raises(actions.NotAllowed, match="Finish the self-assessment"):
        actions.create_plan(leader, draft, ids_at(model_version, [0]))


def test_a_released_report_suggests_low_scores_and_differences_between_professions(client, leader, model_version):
    cycle = released_cycle(leader, model_version)
    page = client.get(f"/development/new/?from=cycle:{cycle.pk}")
    assert page.status_code == 200
    suggested = {s.process_id: s.reasons for s in page.context["suggestions"]}
    first, second = ids_at(model_version, [0, 1])
    assert set(suggested) == {first, second}
    reach = cycle.report["processes"][0]["reach"]
    assert reach == pytest.approx(2.0)
    assert suggested[first] == [f"Professions experience it differently: their scores differ by {reach:.2f}."]
    assert "others' score is 2.00" in suggested[second][0]

    response = client.post(f"/development/new/?from=cycle:{cycle.pk}", {"processes": [first, second]})
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert plan.source_cycle == cycle and plan.source_self_assessment is None


def test_an_unreleased_cycle_or_someone_elses_work_cannot_start_a_plan(client, outsider, model_version):
    theirs = self_assessment(outsider, model_version)
    assert client.get(f"/development/new/?from=selfassessment:{theirs.pk}").status_code == 404
    assert client.get("/development/new/?from=cycle:999").status_code == 404
    assert client.get("/development/new/?from=nonsense").status_code == 404
    with pytest.raises(actions.NotAllowed):
        actions.create_plan(theirs.leader.__class__.objects.get(email="amara@riverside.test"), theirs,
                            ids_at(model_version, [0]))


def test_goals_and_actions_chosen_from_the_frameworks_practices(client, leader, own, model_version):
    plan = make_plan(leader, own)
    process = model_version.processes[0]
    base = f"/development/plans/{plan.pk}"
    prefix = f"action-{process['id']}"
    due = (timezone.localdate() + timedelta(days=30)).isoformat()

    early = client.post(f"{base}/processes/{process['id']}/actions/",
                        {f"{prefix}-practice": process["practices"][0], f"{prefix}-due_on": due})
    assert early.status_code == 400 and "Write your goal" in early.content.decode()

    assert client.post(f"{base}/goals/{process['id']}/", {f"goal-{process['id']}-text": ""}).status_code == 400
    response = client.post(f"{base}/goals/{process['id']}/",
                           {f"goal-{process['id']}-text": "Plan changes with partners from the start."})
    assert response.status_code == 302
    assert plan.goals.get().text == "Plan changes with partners from the start."

    client.post(f"{base}/processes/{process['id']}/actions/",
                {f"{prefix}-practice": process["practices"][0], f"{prefix}-due_on": due})
    client.post(f"{base}/processes/{process['id']}/actions/",
                {f"{prefix}-text": "Ask the health visiting lead to coffee.", f"{prefix}-due_on": due})
    neither = client.post(f"{base}/processes/{process['id']}/actions/", {f"{prefix}-due_on": due})
    assert neither.status_code == 400 and "Choose a practice or write your own action" in neither.content.decode()
    made_up = client.post(f"{base}/processes/{process['id']}/actions/",
                          {f"{prefix}-practice": "Something not in the framework", f"{prefix}-due_on": due})
    assert made_up.status_code == 400

    listed = [(a.text, a.practice) for a in plan.goals.get().actions.order_by("pk")]
    assert listed == [(process["practices"][0], process["practices"][0]),
                      ("Ask the health visiting lead to coffee.", "")]
    page = client.get(f"{base}/").content.decode()
    assert "Ask the health visiting lead to coffee." in page
    other = model_version.processes[1]["id"]  # not in this plan
    assert client.post(f"{base}/goals/{other}/", {f"goal-{other}-text": "x"}).status_code == 404


def test_progress_notes_and_marking_an_action_done(client, leader, own):
    plan = make_plan(leader, own)
    pid = plan.processes[0]
    actions.set_goal(plan, pid, "Know every partner by name.")
    action = actions.add_action(plan, pid, text="Visit the school", due_on=timezone.localdate())
    url = f"/development/plans/{plan.pk}/actions/{action.pk}/"

    assert client.post(url, {"text": ""}).status_code == 400
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert client.post(url, {"text": "Went", "written_on": tomorrow}).status_code == 400
    assert client.post(url, {"text": "Met the head; agreed a joint drop-in.",
                             "written_on": timezone.localdate().isoformat()}).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert [n.text for n in action.notes.all()] == ["Met the head; agreed a joint drop-in."]

    assert client.post(url, {"status": "done"}).status_code == 302
    action.refresh_from_db()
    assert action.is_done and action.done_at is not None
    page = client.get(url).content.decode()
    assert "Met the head; agreed a joint drop-in." in page
    assert client.post(url, {"status": "finished"}).status_code == 400


def test_before_and_after_with_a_later_self_assessment(client, leader, own, model_version):
    plan = make_plan(leader, own)
    before = progress.before_after(plan)
    assert before["after_label"] is None
    assert [r.before for r in before["rows"]] == [2.0, 3.0]

    later_values = [(4, 5), (4, 5), (3, 3), (3, 4), (4, 2), (5, 5), (1, 2), (4, 4)]
    later = self_assessment(leader, model_version, later_values)
    comparison = progress.before_after(plan)
    assert comparison["after_label"].startswith("Self-assessment")
    assert [(r.before, r.after, r.change) for r in comparison["rows"]] == [(2.0, 4.0, 2.0), (3.0, 3.0, 0.0)]
    page = client.get(f"/development/plans/{plan.pk}/").content.decode()
    assert "Before and after" in page and "+2.00" in page
    assert later.completed > own.completed


def test_before_and_after_with_a_later_released_report(leader, model_version):
    first = released_cycle(leader, model_version, title="Spring", low=2)
    plan = actions.create_plan(leader, first, ids_at(model_version, [1]))
    assert [r.before for r in progress.before_after(plan)["rows"]] == [2.0]
    released_cycle(leader, model_version, title="Autumn", low=3)
    comparison = progress.before_after(plan)
    assert "Autumn" in comparison["after_label"]
    assert [(r.before, r.after) for r in comparison["rows"]] == [(2.0, 3.0)]


def test_a_review_reminder_is_emailed_once(leader, own):
    plan = make_plan(leader, own)
    today = timezone.localdate()
    soon = actions.schedule_review(plan, today + timedelta(days=2))
    actions.schedule_review(plan, today + timedelta(days=10))  # not yet
    with pytest.raises(actions.NotAllowed):
        actions.schedule_review(plan, today)

    call_command("development", "remind")
    assert len(mail.outbox) == 0  # queued, not sent inside the command
    run_pending_jobs()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [leader.email]
    assert f"/development/plans/{plan.pk}/" in message.body
    soon.refresh_from_db()
    assert soon.reminded_at is not None

    call_command("development", "remind")
    run_pending_jobs()
    assert len(mail.outbox) == 1  # once only
    assert Review.objects.filter(reminded_at__isnull=True).count() == 1


def test_a_done_review_is_not_reminded_and_records_notes(client, leader, own):
    plan = make_plan(leader, own)
    review = actions.schedule_review(plan, timezone.localdate() + timedelta(days=1))
    url = f"/development/plans/{plan.pk}/reviews/{review.pk}/"
    assert client.post(url, {"notes": ""}).status_code == 400
    assert client.post(url, {"notes": "Two actions done; the map helped."}).status_code == 302
    assert actions.send_due_review_reminders() == 0
    assert "Two actions done; the map helped." in client.get(url).content.decode()


def test_adding_a_review_date_on_the_plan_page(client, leader, own):
    plan = make_plan(leader, own)
    base = f"/development/plans/{plan.pk}"
    past = client.post(f"{base}/reviews/", {"due_on": timezone.localdate().isoformat()})
    assert past.status_code == 400 and "must be in the future" in past.content.decode()
    later = timezone.localdate() + timedelta(days=60)
    assert client.post(f"{base}/reviews/", {"due_on": later.isoformat()}).status_code == 302
    assert list(plan.reviews.values_list("due_on", flat=True)) == [later]


def test_the_plan_renders_as_a_pdf_made_by_a_job(client, leader, own):
    plan = make_plan(leader, own)
    actions.set_goal(plan, plan.processes[0], "Know every partner by name.")
    jobs = Job.objects.count()
    page = client.get(f"/development/plans/{plan.pk}/plan.pdf")  # the old address asks first
    assert page.status_code == 200 and "Make the PDF" in page.content.decode()
    assert Job.objects.count() == jobs  # a GET writes nothing
    response = made_pdf(client, f"/development/plans/{plan.pk}/pdf/")
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content).split())
    assert "Know every partner by name." in text
    assert plan.plan_processes()[1]["name"] in text
    job = Job.objects.get(kind="development.plan_pdf")
    assert client.get(f"/development/plans/{plan.pk}/plan.pdf").url == reverse("jobs:download", args=[job.pk])
    # An edit is a new version of the plan: the old address offers a new PDF.
    actions.set_goal(plan, plan.processes[0], "Know every partner and their manager by name.")
    assert "Make the PDF" in client.get(f"/development/plans/{plan.pk}/plan.pdf").content.decode()


def test_the_development_page_lists_plans_and_where_to_start(client, leader, own):
    plan = make_plan(leader, own)
    page = client.get("/development/").content.decode()
    assert f"/development/plans/{plan.pk}/" in page
    assert f"?from=selfassessment:{own.pk}" in page


def test_the_leaders_report_links_straight_to_a_plan_and_a_coachs_copy_does_not(
    client, leader, facilitator, model_version
):
    cycle = released_cycle(leader, model_version)
    link = f"/development/new/?from=cycle:{cycle.pk}"
    client.force_login(leader)
    assert link in client.get(f"/feedback/{cycle.pk}/report/").content.decode()
    cycle.shared_with.add(facilitator)
    client.force_login(facilitator)
    assert link not in client.get(f"/feedback/{cycle.pk}/report/").content.decode()
