"""The released report as a page, a PDF and JSON.

Every output renders the report stored in `cycle.report` when the cycle closed (already
through the disclosure rules): nothing here reads responses. Only the pinned framework
version is read besides, for the items' wording and the model's citation.
"""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from flourish import audit
from flourish.jobs.presenters import pdf_page

from .permissions import get_cycle_for_reader
from .presenters import RADAR, branding, not_released_message, report_context, report_json_text


@login_required
def report_page(request, pk):
    cycle = get_cycle_for_reader(request.user, pk)
    audit.record(request, "report-viewed", cycle)
    if not cycle.is_released:
        return render(request, "feedback/report_unreleased.html", {"cycle": cycle})
    view = RADAR if request.GET.get("view") == RADAR else "bars"
    # A released report never changes, so its body is rendered once per version and
    # view; the key names the release, so nothing stale can be served.
    key = f"report-body:{cycle.pk}:{cycle.released_at.isoformat()}:{view}"
    context = {"cycle": cycle, "report": cycle.report, "branding": branding(cycle)}
    context["body"] = cache.get(key)
    if context["body"] is None:
        full = report_context(cycle, view=view) | {"cycle": cycle}
        context["body"] = render_to_string("feedback/report_body.html", full, request=request)
        cache.set(key, context["body"], timeout=24 * 60 * 60)
    return render(request, "feedback/report.html", context)


@login_required
def report_pdf(request, pk):
    """The old address of the PDF: a read. The PDF is made by a job (the POST below); this
    opens the one this reader already has, or offers to make it."""
    from . import actions

    cycle = get_cycle_for_reader(request.user, pk)
    if not cycle.is_released:
        return HttpResponse(not_released_message(cycle), status=409, content_type="text/plain; charset=utf-8")
    return pdf_page(request, key=actions.report_pdf_key(cycle, request.user),
                    title=f"The PDF of the report on “{cycle.title}”",
                    action=reverse("feedback:prepare_pdf", args=[cycle.pk]),
                    back_url=reverse("feedback:report", args=[cycle.pk]), back_text="Back to the report")


@login_required
@require_POST
def prepare_pdf(request, pk):
    """The PDF is laid out by a worker; its progress page links to it when ready."""
    from . import actions

    cycle = get_cycle_for_reader(request.user, pk)
    try:
        job = actions.prepare_report_pdf(cycle, request.user)
    except actions.NotAllowed as problem:
        return HttpResponse(str(problem), status=409, content_type="text/plain; charset=utf-8")
    return redirect("jobs:progress", job_id=job.pk)


@login_required
def report_json(request, pk):
    cycle = get_cycle_for_reader(request.user, pk)
    audit.record(request, "report-json-downloaded", cycle)
    if not cycle.is_released:
        return JsonResponse({"message": not_released_message(cycle)}, status=409)
    response = HttpResponse(report_json_text(cycle.report), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="flourish-report-{cycle.pk}.json"'
    return response
