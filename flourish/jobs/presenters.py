"""What the progress page and its JSON endpoint show of a job."""

from django.urls import reverse

from .models import Job, JobStatus


def result_link(job: Job) -> dict | None:
    """Where the finished job's result is: its file, or the page it points to."""
    if job.status != JobStatus.DONE:
        return None
    if job.result.get("file"):
        return {"url": reverse("jobs:download", args=[job.pk]), "text": job.result.get("link_text", "Download")}
    if job.result.get("url"):
        return {"url": job.result["url"], "text": job.result.get("link_text", "Continue")}
    return None


def status_text(job: Job) -> str:
    if job.status == JobStatus.QUEUED:
        if job.attempts:
            return f"Waiting to try again (attempt {job.attempts + 1} of {job.max_attempts})."
        return "Waiting for a worker to start it."
    if job.status == JobStatus.RUNNING:
        return job.progress_text or "Working on it."
    if job.status == JobStatus.DONE:
        return job.result.get("message") or "Done."
    return "It failed: " + (job.last_error or "no reason was recorded.")


def job_status(job: Job) -> dict:
    return {
        "id": str(job.pk),
        "label": job.label,
        "status": job.status,
        "status_display": job.get_status_display(),
        "progress": job.progress,
        "text": status_text(job),
        "finished": job.is_finished,
        "can_retry": job.status == JobStatus.FAILED,
        "last_error": job.last_error,
        "result": result_link(job),
        "details": job.result.get("details", []) if job.status == JobStatus.DONE else [],
    }
