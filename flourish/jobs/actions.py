"""Queueing, running, retrying and recovering jobs.

- `enqueue` is idempotent by key: asking twice for the same work returns the same job.
- `execute` (what the worker runs) claims the job with one conditional UPDATE, so two
  workers, or a duplicate message, never run it at once; a finished job is never re-run.
- A failure is retried with exponential backoff (JOBS_RETRY_BASE_SECONDS × 2ⁿ, at most an
  hour) until `max_attempts`; `JobFailed`/`NotAllowed` fail at once with their message
  (bad input is not going to get better). A failed job can be retried by its owner.
- `recover_abandoned` puts back a running job whose lease ran out (its worker died), and
  re-sends a queued job whose message the broker lost. `flourish worker` runs it between
  batches; `flourish tick` runs it too.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from flourish.core.actions import NotAllowed

from . import registry
from .backend import is_database_backend
from .models import Job, JobStatus

MAX_BACKOFF = timedelta(hours=1)


class JobFailed(Exception):
    """A job cannot succeed as asked (bad input, a missing object): fail without retrying;
    the message is shown to the person, so it says what and where."""


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "JOBS_LEASE_SECONDS", 600))


def backoff(attempts: int) -> timedelta:
    base = getattr(settings, "JOBS_RETRY_BASE_SECONDS", 30)
    return min(MAX_BACKOFF, timedelta(seconds=base * 2 ** max(0, attempts - 1)))


def _send(job: Job) -> None:
    """Hand the job's id to the queue. The database backend's row is written in the same
    transaction as the job (both or neither); a broker (RQ) only after commit, so a worker
    never sees an id whose job is not there yet. Should the broker lose it, recovery
    re-sends it."""
    from .tasks import run_job

    when = job.run_after if job.run_after > timezone.now() else None
    task = run_job.using(run_after=when) if when else run_job
    if is_database_backend():
        task.enqueue(str(job.pk))
    else:
        job_id = str(job.pk)
        transaction.on_commit(lambda: task.enqueue(job_id))


@transaction.atomic
def enqueue(
    kind: str, *, key: str, label: str, args: dict | None = None, owner=None, delay: timedelta | None = None
) -> Job:
    spec = registry.get(kind)
    now = timezone.now()
    job, created = Job.objects.get_or_create(key=key, defaults={
        "kind": kind, "label": label, "args": args or {}, "owner": owner,
        "max_attempts": spec.max_attempts, "run_after": now + (delay or timedelta()),
    })
    if created:
        _send(job)
    return job


@transaction.atomic
def retry(job: Job) -> Job:
    """Run a failed job again from scratch (its owner asked, or the leader pressed resend)."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.FAILED:
        raise NotAllowed("Only a job that failed can be retried.")
    job.status = JobStatus.QUEUED
    job.attempts = 0
    job.run_after = timezone.now()
    job.progress, job.progress_text = 0, ""
    job.save(update_fields=["status", "attempts", "run_after", "progress", "progress_text", "updated"])
    _send(job)
    return job


@transaction.atomic
def run_now(job: Job) -> Job:
    """Bring a job waiting for its next attempt forward (resend), or retry a failed one."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status == JobStatus.FAILED:
        return retry(job)
    if job.status == JobStatus.QUEUED:
        job.run_after = timezone.now()
        job.save(update_fields=["run_after", "updated"])
        _send(job)
    return job


class JobContext:
    """What a handler gets: its job, and `progress()` to report how far it got (which
    also renews the lease, so a long job that reports progress is never taken for dead)."""

    def __init__(self, job: Job):
        self.job = job

    def progress(self, percent: int, text: str = "") -> None:
        percent = max(0, min(99, int(percent)))
        Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(
            progress=percent, progress_text=text[:200], leased_until=timezone.now() + lease(),
            updated=timezone.now(),
        )


def _claim(job_id) -> Job | None:
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, run_after__lte=now).update(
        status=JobStatus.RUNNING, attempts=F("attempts") + 1, leased_until=now + lease(), updated=now,
    )
    return Job.objects.get(pk=job_id) if claimed else None


def execute(job_id) -> str:
    """Run one job if it is due and nobody else holds it. Returns what happened (the
    queue's own result record keeps it, for the admin)."""
    job = _claim(job_id)
    if job is None:
        return "skipped: not due, already running or finished"
    try:
        kind = registry.get(job.kind)
        result = kind.run(JobContext(job), **job.args) or {}
    except (JobFailed, NotAllowed, registry.UnknownKind) as problem:
        _failed(job, str(problem), may_retry=False)
        return "failed"
    except Exception as problem:  # noqa: BLE001 - any other error is worth another try
        _failed(job, f"{type(problem).__name__}: {problem}", may_retry=True)
        return "will retry" if job.attempts < job.max_attempts else "failed"
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE, progress=100, progress_text="", result=result, last_error="",
        leased_until=None, finished_at=timezone.now(), updated=timezone.now(),
    )
    return "done"


def _failed(job: Job, message: str, *, may_retry: bool) -> None:
    now = timezone.now()
    with transaction.atomic():
        if may_retry and job.attempts < job.max_attempts:
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.QUEUED, last_error=message, leased_until=None,
                run_after=now + backoff(job.attempts), updated=now,
            )
            job.refresh_from_db()
            _send(job)
        else:
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, last_error=message, leased_until=None, finished_at=now, updated=now,
            )


ABANDONED = "The worker running this job stopped before it finished"


def recover_abandoned(now=None) -> int:
    """Queue again each running job whose lease has run out, and re-send each queued job
    that has waited a whole lease past its time (a lost message). Returns how many."""
    now = now or timezone.now()
    recovered = 0
    lost = list(Job.objects.filter(status=JobStatus.QUEUED, run_after__lt=now - lease()))
    for job in Job.objects.filter(status=JobStatus.RUNNING, leased_until__lt=now):
        with transaction.atomic():
            if job.attempts >= job.max_attempts:
                updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, leased_until__lt=now).update(
                    status=JobStatus.FAILED, last_error=ABANDONED + ", and it has no attempts left.",
                    leased_until=None, finished_at=now, updated=now,
                )
            else:
                updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, leased_until__lt=now).update(
                    status=JobStatus.QUEUED, last_error=ABANDONED + "; it will run again.",
                    leased_until=None, run_after=min(now, timezone.now()), progress=0, progress_text="",
                    updated=now,
                )
                if updated:
                    job.refresh_from_db()
                    _send(job)
            recovered += updated
    for job in lost:
        with transaction.atomic():
            if Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED, run_after=job.run_after).update(
                run_after=min(now, timezone.now()), updated=now,
            ):
                job.refresh_from_db()
                _send(job)
                recovered += 1
    return recovered


def store_file(job: Job, filename: str, content_type: str, data: bytes) -> dict:
    """Keep a job's output (a PDF) for its owner; storing it again replaces it, so a job run
    twice leaves one file. Returns the result that points the progress page at it."""
    from .models import JobFile

    JobFile.objects.update_or_create(job=job, defaults={
        "filename": filename, "content_type": content_type, "data": data,
    })
    return {"file": True}
