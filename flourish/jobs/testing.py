"""For tests: run the real queue in this process, as `flourish worker --batch` would, but
without the worker's connection handling (which would close the test's transaction)."""

from datetime import timedelta

from django.utils import timezone


def run_pending_jobs(*, advance: timedelta | None = None, limit: int = 10_000) -> int:
    """Run every task that is due in the database queue, including those the jobs it runs
    queue in turn; `advance` first brings forward whatever is due within that time (a
    retry waiting out its backoff). Returns how many tasks ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult, get_date_max

    from .models import Job, JobStatus

    now = timezone.now()
    if advance is not None:
        Job.objects.filter(status=JobStatus.QUEUED, run_after__lte=now + advance).update(run_after=now)
        DBTaskResult.objects.filter(status="READY", run_after__lte=now + advance).exclude(
            run_after=get_date_max()).update(run_after=now)
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test", excluded_queue_names=[])
    ran = 0
    while ran < limit:
        task = DBTaskResult.objects.ready().first()
        if task is None:
            return ran
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    raise AssertionError(f"More than {limit} tasks ran: a job keeps queueing more work")


def sent_mail() -> list:
    """The messages the mail server has been handed (Django's test outbox), after the worker
    has run everything queued: mail never leaves inside a request."""
    from django.core import mail

    run_pending_jobs()
    return mail.outbox


def made_pdf(client, prepare_url: str, data: dict | None = None):
    """Ask for a PDF as a person does (the POST to its prepare address), let the worker make
    it, and fetch it from the job; returns the download response (a PDF, status 200)."""
    from django.urls import resolve, reverse

    from .models import Job, JobStatus

    response = client.post(prepare_url, data or {})
    assert response.status_code == 302, f"{prepare_url} answered {response.status_code}, not a job's page"
    match = resolve(response.url)
    assert match.view_name == "jobs:progress", f"{prepare_url} went to {response.url}, not a job's page"
    run_pending_jobs()
    job = Job.objects.get(pk=match.kwargs["job_id"])
    assert job.status == JobStatus.DONE, f"the PDF job {job.status}: {job.last_error}"
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    return download


def pdf_text(data: bytes) -> str:
    """A PDF's text as poppler's pdftotext reads it (the tests read PDFs back this way)."""
    import shutil
    import subprocess

    assert shutil.which("pdftotext"), "pdftotext is missing (apt-get install poppler-utils)"
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
