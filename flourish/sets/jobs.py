"""The sets app's background job: a set's record as a PDF (WeasyPrint takes seconds)."""

from flourish.jobs.actions import JobFailed, store_file
from flourish.jobs.permissions import while_allowed
from flourish.jobs.registry import handler

from .actions import RECORD_PDF_JOB
from .models import LearningSet
from .permissions import get_set_for_member


def _pdf_read(job):
    return "set-record-exported", LearningSet.objects.get(pk=job.args["set_id"])


# Readable while the reader is still in the set (or facilitates it): a member who left
# cannot fetch the record from an older job.
@handler(RECORD_PDF_JOB, max_attempts=3, may_read=while_allowed(get_set_for_member, "set_id"), audit=_pdf_read)
def record_pdf(context, set_id: int) -> dict:
    from . import export

    learning_set = LearningSet.objects.filter(pk=set_id).first()
    if learning_set is None:
        raise JobFailed("The set is no longer in Flourish, so there is no record to print.")
    context.progress(20, "Laying out the pages")
    # store_file replaces: a job run twice leaves one file.
    result = store_file(context.job, export.filename(learning_set, "pdf"), "application/pdf", export.pdf(learning_set))
    return {**result, "message": "The PDF of the set's record is ready.", "link_text": "Open the PDF"}
