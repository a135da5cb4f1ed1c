"""The queue's promises, through the real database backend: a job asked for twice is one
job, run twice does its work once, a failure is retried with backoff and then says why,
and a job whose worker died is run again."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from flourish.jobs import actions, registry
from flourish.jobs.models import Job, JobStatus
from flourish.jobs.testing import run_pending_jobs

pytestmark = pytest.mark.django_db

WORK_DONE = []
FLAKY = {"failures_left": 0}


@registry.handler("test.count", max_attempts=3)
def count_work(context, item: str) -> dict:
    if FLAKY["failures_left"]:
        FLAKY["failures_left"] -= 1
        raise ConnectionError("the far end hung up")
    WORK_DONE.append(item)
    return {"message": f"did {item}"}


@registry.handler("test.refuse")
def refuse(context) -> dict:
    raise actions.JobFailed("Row 3: the email address is missing.")


@pytest.fixture(autouse=True)
def clean():
    WORK_DONE.clear()
    FLAKY["failures_left"] = 0


def test_asking_twice_for_the_same_work_queues_one_job_that_runs_once():
    first = actions.enqueue("test.count", key="count:a", label="Count a", args={"item": "a"})
    second = actions.enqueue("test.count", key="count:a", label="Count a", args={"item": "a"})
    assert first.pk == second.pk
    run_pending_jobs()
    assert WORK_DONE == ["a"]
    assert Job.objects.get(pk=first.pk).status == JobStatus.DONE


def test_a_job_run_twice_does_its_work_once():
    job = actions.enqueue("test.count", key="count:b", label="Count b", args={"item": "b"})
    assert actions.execute(job.pk) == "done"
    assert actions.execute(job.pk) != "done"  # a duplicate message, or a second worker
    run_pending_jobs()  # and the queued task itself
    assert WORK_DONE == ["b"]


def test_a_failure_is_retried_later_with_growing_backoff_then_succeeds():
    FLAKY["failures_left"] = 2
    job = actions.enqueue("test.count", key="count:c", label="Count c", args={"item": "c"})
    before = timezone.now()
    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 1
    assert "ConnectionError: the far end hung up" in job.last_error
    first_wait = job.run_after - before
    assert timedelta(seconds=25) < first_wait < timedelta(seconds=35)
    assert run_pending_jobs() == 0  # not due yet: nothing runs early
    run_pending_jobs(advance=timedelta(minutes=1))
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 2
    assert job.run_after - timezone.now() > timedelta(seconds=55)  # doubled
    run_pending_jobs(advance=timedelta(minutes=2))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and WORK_DONE == ["c"]


def test_after_its_last_attempt_a_job_fails_saying_why_and_can_be_retried():
    FLAKY["failures_left"] = 3
    job = actions.enqueue("test.count", key="count:d", label="Count d", args={"item": "d"})
    run_pending_jobs(advance=timedelta(hours=2))
    run_pending_jobs(advance=timedelta(hours=2))
    run_pending_jobs(advance=timedelta(hours=2))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 3
    assert "the far end hung up" in job.last_error
    assert run_pending_jobs(advance=timedelta(days=1)) == 0
    actions.retry(job)
    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and WORK_DONE == ["d"]


def test_bad_input_fails_at_once_with_its_message_and_no_retry():
    job = actions.enqueue("test.refuse", key="refuse:1", label="Refuse")
    run_pending_jobs(advance=timedelta(days=1))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 1
    assert job.last_error == "Row 3: the email address is missing."


def test_a_job_whose_worker_died_is_queued_again_once_its_lease_runs_out():
    job = actions.enqueue("test.count", key="count:e", label="Count e", args={"item": "e"})
    # A worker claimed it and was killed: the job is RUNNING and nobody holds it.
    actions._claim(job.pk)
    DBTaskResult.objects.update(status="RUNNING")
    assert run_pending_jobs() == 0
    assert actions.recover_abandoned() == 0  # still within its lease
    assert actions.recover_abandoned(now=timezone.now() + timedelta(minutes=11)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and "stopped before it finished" in job.last_error
    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and WORK_DONE == ["e"]


def test_a_job_only_runs_its_registered_kind():
    with pytest.raises(LookupError):
        actions.enqueue("test.nothing", key="x", label="x")

