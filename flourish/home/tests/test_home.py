"""The home page. A visitor learns what Flourish is and the model's eight processes by name;
a signed-in person sees what is waiting for them (Amara's rounds, plan steps and reviews,
the lists Gareth must approve, the sets' next sessions), soonest first, never anyone
else's, and never a count of who has answered."""

from datetime import timedelta

import pytest
from django.utils import timezone

from flourish.development import actions as development
from flourish.development.models import Action as PlanAction
from flourish.feedback import actions as feedback
from flourish.feedback.tests.helpers import add_raters, answer, new_cycle
from flourish.jobs.testing import run_pending_jobs
from flourish.selfassess.models import SelfAssessment
from flourish.sets import actions as sets

pytestmark = pytest.mark.django_db


def completed_self_assessment(leader, version):
    assessment = SelfAssessment.objects.create(
        leader=leader, organisation=leader.memberships.first().organisation, framework_version=version,
        answers={i["id"]: 3 for p in version.processes for i in p["items"]},
        importance={p["id"]: 4 for p in version.processes}, focus=[version.processes[0]["id"]])
    SelfAssessment.objects.filter(pk=assessment.pk).update(completed=timezone.now())
    assessment.refresh_from_db()
    return assessment


def test_a_visitor_reads_what_flourish_is_and_the_eight_processes_by_name(client, model_version):
    page = client.get("/").content.decode()
    assert "360° feedback" in page
    for process in model_version.processes:
        assert process["name"] in page
    assert "Sign in" in page


def test_amara_sees_her_rounds_by_what_they_need_and_never_how_many_answered(client, leader, outsider,
                                                                             model_version):
    draft = new_cycle(leader, model_version, title="Autumn round")
    running = new_cycle(leader, model_version, title="Spring round", days=10)
    raters = add_raters(running)
    feedback.send_invitations(running)
    for rater in raters:
        answer(rater)
    new_cycle(outsider, model_version, title="Olu's own round")
    client.force_login(leader)
    page = client.get("/").content.decode()
    assert "Hello, Amara" in page
    assert "“Autumn round”: being set up" in page and f"/feedback/{draft.pk}/" in page
    closes = running.closes_on
    assert "“Spring round”: open for feedback" in page and f'datetime="{closes:%Y-%m-%d}"' in page
    assert "Olu's own round" not in page
    assert "answered" not in page and " of 8" not in page

    feedback.close(running)
    run_pending_jobs()
    page = client.get("/").content.decode()
    assert "“Spring round”: your report is ready" in page and f"/feedback/{running.pk}/report/" in page


def test_plan_steps_due_soon_or_overdue_are_listed_and_done_or_far_ones_are_not(client, leader, model_version):
    today = timezone.localdate()
    plan = development.create_plan(leader, completed_self_assessment(leader, model_version),
                                   [model_version.processes[0]["id"]], review_on=today + timedelta(days=5))
    process = model_version.processes[0]["id"]
    development.set_goal(plan, process, "Know every partner's role in the team")
    late = development.add_action(plan, process, due_on=today + timedelta(days=1), text="Meet the school nurse")
    PlanAction.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=3))
    development.add_action(plan, process, due_on=today + timedelta(days=7), text="Shadow a health visitor")
    development.add_action(plan, process, due_on=today + timedelta(days=60), text="Joint training day")
    done = development.add_action(plan, process, due_on=today + timedelta(days=2), text="Agree shared goals")
    development.set_action_status(done, "done")
    client.force_login(leader)
    page = client.get("/").content.decode()
    assert page.index("Meet the school nurse") < page.index("Shadow a health visitor")
    assert "Overdue" in page and "Review your plan" in page
    assert "Joint training day" not in page and "Agree shared goals" not in page


def test_a_self_assessment_left_half_way_is_offered_to_continue(client, leader, model_version):
    started = SelfAssessment.objects.create(leader=leader, organisation=leader.memberships.first().organisation,
                                            framework_version=model_version)
    client.force_login(leader)
    page = client.get("/").content.decode()
    assert "Continue your self-assessment" in page and f"/self-assessment/{started.pk}/" in page


def test_gareth_sees_the_list_he_must_approve_and_the_next_session_of_his_set(client, leader, facilitator,
                                                                             model_version):
    cycle = new_cycle(leader, model_version, approver=facilitator, title="Summer round")
    add_raters(cycle)
    feedback.request_approval(cycle)
    learning_set = sets.create_set(facilitator, leader.memberships.first().organisation, "North cluster",
                                   model_version)
    par = sets.start_par_cycle(learning_set, "How do we share plans with families?",
                               [model_version.processes[0]["id"]])
    sets.add_session(par, date=timezone.localdate() + timedelta(days=3), agenda="Plan the first cycle")
    client.force_login(facilitator)
    page = client.get("/").content.decode()
    assert "Feedback lists to approve" in page and "Amara Okafor: “Summer round”" in page
    assert f"/feedback/{cycle.pk}/approve/" in page
    assert "North cluster: session" in page


def test_the_home_page_costs_a_fixed_number_of_queries_however_much_is_waiting(client, leader, model_version,
                                                                              django_assert_max_num_queries):
    for number in range(12):
        new_cycle(leader, model_version, title=f"Round {number}")
    client.force_login(leader)
    with django_assert_max_num_queries(14):
        assert client.get("/").status_code == 200
