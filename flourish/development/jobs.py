"""Development's background job: a plan's PDF."""

from flourish.jobs.actions import store_file
from flourish.jobs.permissions import while_allowed
from flourish.jobs.registry import handler, periodic

from . import actions
from .models import Plan
from .permissions import get_plan_for_user

PLAN_PDF_JOB = "development.plan_pdf"


def _pdf_read(job):
    return "plan-pdf-downloaded", Plan.objects.get(pk=job.args["plan_id"])


@handler(PLAN_PDF_JOB, max_attempts=3, may_read=while_allowed(get_plan_for_user, "plan_id"), audit=_pdf_read)
def plan_pdf(context, plan_id: int) -> dict:
    from .pdf import render_pdf

    plan = Plan.objects.get(pk=plan_id)
    context.progress(20, "Laying out the pages")
    result = store_file(context.job, f"flourish-development-plan-{plan.pk}.pdf", "application/pdf", render_pdf(plan))
    return {**result, "message": "The PDF of your plan is ready.", "link_text": "Open the PDF"}


@periodic("development.remind", every="day")
def remind(context) -> dict:
    """What `flourish development remind` does, once a day from `flourish tick`."""
    return {"message": f"Queued {actions.send_due_review_reminders()} review reminder(s)."}
