"""What the progress page and its JSON endpoint show of a job."""

from django.shortcuts import redirect, render
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


def pdf_page(request, *, key: str, title: str, action: str, hidden: list[tuple[str, object]] | None = None,
             back_url: str = "", back_text: str = ""):
    """What a GET on a PDF's address answers (writes nothing: a PDF is made by a job, and a
    job is made only by the POST to `action`). The job `key` names is the one that POST
    would make for this person and this version of the thing: finished, its file; under
    way, its progress page; otherwise a page with one button, "Make the PDF". `hidden`: the
    (name, value) pairs the POST carries (a layer, chosen codes)."""
    from .permissions import may_read_output
    from .selectors import job_for_key, output_of

    job = job_for_key(key)
    if job is not None and job.owner_id == request.user.pk:
        if job.status == JobStatus.DONE and output_of(job) is not None and may_read_output(request.user, job):
            return redirect("jobs:download", job_id=job.pk)
        if not job.is_finished:
            return redirect("jobs:progress", job_id=job.pk)
    return render(request, "jobs/make_pdf.html", {
        "title": title, "action": action, "hidden": hidden or [],
        "back_url": back_url, "back_text": back_text,
    })
