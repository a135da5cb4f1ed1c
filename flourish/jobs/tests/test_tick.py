"""`flourish tick`: one entry point for all periodic work, queued once per slot however
often cron runs it, and run by the worker."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from flourish.feedback import actions as feedback_actions
from flourish.feedback.models import Cycle, Status
from flourish.feedback.tests.helpers import add_raters, answer, new_cycle
from flourish.jobs import scheduling
from flourish.jobs.models import Job, JobStatus
from flourish.jobs.testing import run_pending_jobs

pytestmark = pytest.mark.django_db


def test_tick_queues_each_periodic_kind_once_per_slot(leader, model_version):
    now = timezone.now()
    first = scheduling.tick(now)
    again = scheduling.tick(now + timedelta(seconds=30))
    assert {j.kind for j in first} >= {"feedback.tick", "development.remind", "jobs.prune"}
    assert [j.pk for j in first] == [j.pk for j in again]
    later = {j.kind: j for j in scheduling.tick(now + timedelta(hours=1))}
    earlier = {j.kind: j for j in first}
    assert later["feedback.tick"].pk != earlier["feedback.tick"].pk  # hourly
    if timezone.localdate(now) == timezone.localdate(now + timedelta(hours=1)):
        assert later["development.remind"].pk == earlier["development.remind"].pk  # daily


def test_the_ticks_feedback_work_closes_due_cycles_through_the_worker(leader, model_version):
    cycle = new_cycle(leader, model_version)
    raters = add_raters(cycle)
    feedback_actions.send_invitations(cycle)
    for rater in raters:
        answer(rater)
    Cycle.objects.filter(pk=cycle.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    call_command("tick")
    cycle.refresh_from_db()
    assert cycle.status == Status.OPEN  # queued, not run by the tick itself
    run_pending_jobs()
    cycle.refresh_from_db()
    assert cycle.status == Status.CLOSED and cycle.is_released
    assert Job.objects.get(kind="feedback.tick").status == JobStatus.DONE


def test_tick_run_does_the_work_without_a_worker(leader, model_version, capsys):
    call_command("tick", "--run")
    assert "feedback.tick: done" in capsys.readouterr().out
