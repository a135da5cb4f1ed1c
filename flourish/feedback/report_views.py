"""The released report as a page, a PDF and JSON.

Every output renders the report stored in `cycle.report` when the cycle closed (already
through the disclosure rules): nothing here reads responses. Only the pinned framework
version is read besides, for the items' wording and the model's citation.
"""

import json
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string

from flourish import audit

from . import charts
from .permissions import get_cycle_for_reader

RADAR = "radar"


def report_json_text(report: dict) -> str:
    """The report dict as JSON, keys sorted so the output is the same on every database."""
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def not_released_message(cycle) -> str:
    return (
        f"The report on {cycle.title!r} is not released yet. A report opens only after the cycle "
        f"closes, and only if at least {cycle.min_group_size} people other than the leader responded."
    )


def _citation(document: dict) -> dict:
    citation = document.get("citation") or {}
    return {"text": citation.get("text", ""), "url": citation.get("url") or (
        f"https://doi.org/{citation['doi']}" if citation.get("doi") else ""
    ), "doi": citation.get("doi", "")}


def report_context(cycle, *, view: str = "bars") -> dict:
    """Everything the report templates show, from `cycle.report` (and the pinned
    framework version's item wording and citation)."""
    report = cycle.report
    document = cycle.framework_version.document
    item_text = {i["id"]: i.get("other", i["id"]) for p in document["processes"] for i in p["items"]}
    change = report.get("change") or {}
    changes = change.get("processes") or {}
    processes = []
    for number, process in enumerate(report["processes"], start=1):
        rows = charts.figure_rows(process)
        columns, items = charts.item_rows(process, item_text)
        processes.append({
            "number": number,
            "p": process,
            "rows": rows,
            "chart": charts.bars(rows) if rows else None,
            "item_columns": columns,
            "items": items,
            "priority": charts.is_priority(process),
            # Explicit keys (None where the report has no figure) for the templates.
            "self": process.get("self"),
            "others": process.get("others"),
            "gap": process.get("gap"),
            "importance": process.get("importance"),
            "reach": process.get("reach"),
            "change_self": (changes.get(process["id"]) or {}).get("self"),
            "change_others": (changes.get(process["id"]) or {}).get("others"),
            "comments": (report.get("comments") or {}).get(process["id"], []),
        })
    closed = report["cycle"].get("closed")
    return {
        "report": report,
        "closed": datetime.fromisoformat(closed) if closed else None,
        "rules": report["rules"],
        "summary": charts.summary(report),
        "processes": processes,
        "change": change or None,
        "radar": charts.radar(report) if view == RADAR else None,
        "view": view,
        "citation": _citation(document),
        "priority_importance": charts.PRIORITY_IMPORTANCE,
        "priority_below": charts.PRIORITY_BELOW,
    }


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
    context = {"cycle": cycle, "report": cycle.report}
    context["body"] = cache.get(key)
    if context["body"] is None:
        full = report_context(cycle, view=view) | {"cycle": cycle}
        context["body"] = render_to_string("feedback/report_body.html", full, request=request)
        cache.set(key, context["body"], timeout=24 * 60 * 60)
    return render(request, "feedback/report.html", context)


@login_required
def report_pdf(request, pk):
    from .pdf import render_pdf  # WeasyPrint loads only when a PDF is asked for

    cycle = get_cycle_for_reader(request.user, pk)
    audit.record(request, "report-pdf-downloaded", cycle)
    if not cycle.is_released:
        return HttpResponse(not_released_message(cycle), status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(render_pdf(cycle), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="flourish-report-{cycle.pk}.pdf"'
    return response


@login_required
def report_json(request, pk):
    cycle = get_cycle_for_reader(request.user, pk)
    audit.record(request, "report-json-downloaded", cycle)
    if not cycle.is_released:
        return JsonResponse({"message": not_released_message(cycle)}, status=409)
    response = HttpResponse(report_json_text(cycle.report), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="flourish-report-{cycle.pk}.json"'
    return response
