"""The plan page, the plan list and the model explorer each need a bounded number of queries,
however many goals, actions and notes a plan has (zulip-style ceilings: a new N+1 breaks them)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from flourish.development import actions

from .helpers import self_assessment, signed_in

pytestmark = pytest.mark.django_db


def _plan_with(leader, version, steps_per_process):
    own = self_assessment(leader, version)
    ids = [version.processes[i]["id"] for i in (0, 3, 5)]
    plan = actions.create_plan(leader, own, ids)
    for process_id in ids:
        actions.set_goal(plan, process_id, "Bring partners in earlier.")
        for n in range(steps_per_process):
            step = actions.add_action(plan, process_id, due_on=timezone.localdate() + timedelta(days=30),
                                      text=f"Try something new, number {n}")
            actions.add_progress_note(step, "Tried it once.")
    return plan


def test_the_plan_page_costs_the_same_however_many_steps_it_has(leader, model_version,
                                                                django_assert_max_num_queries):
    client = signed_in(leader)
    small = _plan_with(leader, model_version, 1)
    client.get(f"/development/plans/{small.pk}/")  # warm per-process caches
    with CaptureQueriesContext(connection) as one_step_each:
        client.get(f"/development/plans/{small.pk}/")
    assert len(one_step_each.captured_queries) <= 30
    big = _plan_with(leader, model_version, 6)
    with django_assert_max_num_queries(len(one_step_each.captured_queries)):
        assert client.get(f"/development/plans/{big.pk}/").status_code == 200


def test_the_plans_list_and_the_model_explorer_are_bounded(client, leader, model_version,
                                                           django_assert_max_num_queries):
    _plan_with(leader, model_version, 2)
    with django_assert_max_num_queries(12):
        assert client.get(f"/model/{model_version.slug}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/model/{model_version.slug}/{model_version.processes[0]['id']}/").status_code == 200
    signed = signed_in(leader)
    with django_assert_max_num_queries(16):
        assert signed.get("/development/").status_code == 200
