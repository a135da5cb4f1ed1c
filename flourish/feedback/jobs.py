"""Feedback's background jobs: building a closed cycle's report, and its PDF."""

from django.db import transaction
from django.urls import reverse

from flourish import audit
from flourish.jobs.actions import JobFailed, enqueue, store_file
from flourish.jobs.permissions import while_allowed
from flourish.jobs.registry import handler, periodic

from . import actions
from .models import Cycle
from .permissions import get_cycle_for_reader

REPORT_PDF_JOB = "feedback.report_pdf"


@handler(actions.REPORT_JOB, max_attempts=3)
def release_report(context, cycle_id: int) -> dict:
    context.progress(10, "Pooling the answers and applying the anonymity rules")
    cycle = actions.release_report(Cycle.objects.get(pk=cycle_id))
    if cycle.is_released:
        return {"message": "Closed. The report is ready.", "link_text": "Read the report",
                "url": reverse("feedback:report", args=[cycle.pk])}
    return {"message": "Closed. Too few people answered for a report that keeps them anonymous.",
            "link_text": "Back to the feedback round", "url": reverse("feedback:detail", args=[cycle.pk])}


def _pdf_read(job):
    return "report-pdf-downloaded", Cycle.objects.get(pk=job.args["cycle_id"])


# The PDF is the report: whoever lost access to the report (sharing withdrawn) cannot fetch
# it from an older job either.
@handler(REPORT_PDF_JOB, max_attempts=3, may_read=while_allowed(get_cycle_for_reader, "cycle_id"), audit=_pdf_read)
def report_pdf(context, cycle_id: int) -> dict:
    from .pdf import render_pdf
    from .presenters import not_released_message

    cycle = Cycle.objects.get(pk=cycle_id)
    if not cycle.is_released:
        raise JobFailed(not_released_message(cycle))
    context.progress(20, "Laying out the pages")
    result = store_file(context.job, f"flourish-report-{cycle.pk}.pdf", "application/pdf", render_pdf(cycle))
    return {**result, "message": "The PDF of the report is ready.", "link_text": "Open the PDF"}


@periodic("feedback.tick", every="hour")
def tick(context) -> dict:
    """What `flourish feedback tick` does, once an hour from `flourish tick`."""
    closed = actions.close_due_cycles()
    reminded = actions.send_due_reminders()
    return {"message": f"Closed {len(closed)} cycle(s); queued {reminded} reminder(s)."}


NOMINATIONS_JOB = "feedback.import_nominations"
# A list of people larger than this is read by a worker; smaller ones at once, as before.
IMPORT_IN_BACKGROUND = 1024 * 1024


@transaction.atomic
def queue_nominations_import(cycle, user, data: bytes, filename: str, address=None):
    import uuid

    from flourish.jobs.models import JobUpload

    job = enqueue(NOMINATIONS_JOB, key=f"{NOMINATIONS_JOB}:{cycle.pk}:{uuid.uuid4()}", owner=user,
                  label=f"Adding the people in {filename} to “{cycle.title}”",
                  args={"cycle_id": cycle.pk, "address": address})
    JobUpload.objects.create(job=job, filename=filename, data=data)
    return job


@handler(NOMINATIONS_JOB, max_attempts=3)
def import_nominations(context, cycle_id: int, address=None) -> dict:
    from flourish.jobs.models import Job, JobUpload

    from . import importing

    job = Job.objects.get(pk=context.job.pk)
    if "added" in job.result:  # done already, by an attempt whose worker then died
        return job.result
    upload = JobUpload.objects.filter(job=job).first()
    if upload is None:
        raise JobFailed("The uploaded file is no longer here; upload it again.")
    cycle = Cycle.objects.get(pk=cycle_id)
    context.progress(10, "Checking every row")
    try:
        with transaction.atomic():
            # All or nothing, and the job's record of it commits with the people added.
            added = actions.nominate_many(cycle, importing.parse_nominations(bytes(upload.data), cycle))
            # The request that uploaded the file is gone; its address came with the job.
            audit.record(job.owner, "import", cycle, kind="people to ask csv", file=upload.filename[:200],
                         added=len(added), address=address)
            result = {"added": len(added), "message": f"{len(added)} people added to the list.",
                      "url": reverse("feedback:detail", args=[cycle.pk]), "link_text": "Back to the feedback round"}
            Job.objects.filter(pk=job.pk).update(result=result)
            upload.delete()
    except importing.ImportProblems as error:
        raise JobFailed(f"The file was not added: nobody from it is on the list. {'; '.join(error.problems)}") from None
    return result
