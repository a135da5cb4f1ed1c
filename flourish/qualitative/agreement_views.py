"""Agreement between coders, its downloads, and adjudication onto the consensus layer.

The agreement and adjudication pages show other people's coding, so a member still coding
blind is first asked to choose to compare (a POST to `compare`, `actions.choose_to_compare`),
which the method note reports.
Anyone in the project may read these pages; only leads adjudicate (404 for coders).
"""

import csv
import io
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from flourish import audit

from . import actions, actions_adjudication, analysis, selectors
from .forms import AgreementForm
from .permissions import get_code, get_source, get_workbench_for_user, has_chosen_to_compare
from .presenters import CoderKind, compare_first, page
from .quotations import spreadsheet_cell

BOOTSTRAP, SEED = 1000, 0
SHOWN_DISAGREEMENTS = 200


def _form(request, project, only=None) -> AgreementForm:
    return AgreementForm(project, request.GET if "unit" in request.GET else None, only=only)


def _run(form, project, bootstrap=BOOTSTRAP) -> tuple[dict | None, str]:
    """(report, problem): the report when the choice is valid and there is something to compare."""
    if form.is_bound and not form.is_valid():
        return None, ""
    try:
        return analysis.cached_project_agreement(project, **form.chosen(), bootstrap_samples=bootstrap,
                                                 seed=SEED), ""
    except actions.NotAllowed as problem:
        return None, str(problem)


# --- display --------------------------------------------------------------------------------


def _number(value, percent: bool) -> str:
    if value is None:
        return "not defined"
    text = f"{value:.0%}" if percent else f"{value:.2f}"
    return text.lstrip("-") if float(text.rstrip("%")) == 0 else text.replace("-", "−")  # no “−0.00”


def _ci(ci, percent: bool) -> str:
    return f"{_number(ci[0], percent)} to {_number(ci[1], percent)}" if ci else ""


def _grouped(project, report) -> list[dict]:
    """The per-code rows grouped by the process each code counts for, then emergent codes."""
    process_of = analysis.code_processes(project)
    groups = {p["id"]: {"title": p["name"], "kind": p["kind"], "rows": []}
              for p in analysis.framework_processes(project)}
    emergent = {"title": "Emergent codes", "kind": "", "rows": []}
    for row in report["per_code"]:
        shown = {**row, "percent": _number(row["percent_agreement"], True), "percent_ci": _ci(row["percent_ci"], True),
                 "kappa": _number(row["cohen_kappa"], False), "kappa_ci": _ci(row["kappa_ci"], False),
                 "alpha": _number(row["krippendorff_alpha"], False), "alpha_ci": _ci(row["alpha_ci"], False),
                 "fleiss": _number(row.get("fleiss_kappa"), False), "light": _number(row.get("light_kappa"), False)}
        groups.get(process_of.get(row["code_id"]), emergent)["rows"].append(shown)
    return [g for g in [*groups.values(), emergent] if g["rows"]]


def _blindness(project, report) -> list[dict]:
    layers = {c.name: c for c in project.coders.filter(kind=CoderKind.PERSON)}
    return [{"name": name, "compared_at": layers[name].compared_at} for name in report["coders"] if name in layers]


def _query(request) -> str:
    return urlencode([(k, v) for k in ("coders", "sources", "codes", "unit", "exclude_uncoded", "confidence")
                      for v in request.GET.getlist(k)])


# --- pages ----------------------------------------------------------------------------------


@login_required
@require_POST
def compare(request, pk):
    """The member chooses to see the other layers; back to the page that asked (in this project)."""
    project, _, layer = get_workbench_for_user(request.user, pk)
    actions.choose_to_compare(layer)
    wanted = request.POST.get("next", "")
    inside = reverse("qualitative:project", args=[project.pk])
    safe = url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}) and wanted.startswith(inside)
    return redirect(wanted if safe else reverse("qualitative:agreement", args=[project.pk]))


@login_required
def agreement(request, pk):
    project, member, layer = get_workbench_for_user(request.user, pk)
    if not has_chosen_to_compare(layer):
        return compare_first(request, project, member, "agreement")
    form = _form(request, project)
    report, problem = _run(form, project)
    return page(request, "qualitative/agreement.html", project, member, "agreement", {
        "form": form, "report": report, "problem": problem, "query": _query(request),
        "groups": _grouped(project, report) if report else [],
        "blindness": _blindness(project, report) if report else [],
        "confidence": f"{report['confidence']:.0%}" if report else "",
    }, status=200 if report or not form.is_bound else 400)


@login_required
def agreement_download(request, pk, fmt):
    project, member, layer = get_workbench_for_user(request.user, pk)
    if fmt not in ("json", "csv"):
        raise Http404("No such format.")
    if not has_chosen_to_compare(layer):
        return compare_first(request, project, member, "agreement")
    report, problem = _run(_form(request, project), project)
    if report is None:
        return HttpResponse(problem or "Choose at least two coders, a source and a code.", status=400,
                            content_type="text/plain; charset=utf-8")
    if fmt == "json":
        response = HttpResponse(json.dumps(report, indent=2, ensure_ascii=False), content_type="application/json")
    else:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "code_id", "process_id", "n_units", "n_applied", "percent_agreement", "percent_low",
                         "percent_high", "cohen_kappa", "kappa_low", "kappa_high", "krippendorff_alpha", "alpha_low",
                         "alpha_high", "fleiss_kappa", "light_kappa"])
        for row in report["per_code"]:
            cis = [v for key in ("percent_ci", "kappa_ci", "alpha_ci") for v in (row[key] or [None, None])]
            values = [row["code"], row["code_id"], row["process_id"], row["n_units"], row["n_applied"],
                      row["percent_agreement"], *cis[0:2], row["cohen_kappa"], *cis[2:4],
                      row["krippendorff_alpha"], *cis[4:6], row["fleiss_kappa"], row["light_kappa"]]
            writer.writerow([spreadsheet_cell(v) for v in values])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="coding-agreement-{project.pk}.{fmt}"'
    audit.record(request, "agreement-exported", project, format=fmt)
    return response


@login_required
def adjudication_page(request, pk):
    project, member, layer = get_workbench_for_user(request.user, pk)
    if not has_chosen_to_compare(layer):
        return compare_first(request, project, member, "adjudication")
    form = _form(request, project, only=("coders", "unit"))
    report, problem = _run(form, project, bootstrap=0)
    decisions = selectors.decisions(project)
    disagreements = [{**d, "decision": decisions.get((d["source_id"], d["code_id"], d["start"], d["end"]))}
                     for d in (report["disagreements"] if report else [])]
    # Undecided first (in transcript order), so that the page always leads with work to do.
    disagreements.sort(key=lambda d: d["decision"] is not None)
    codes = sorted({(d["code"], d["code_id"]) for d in disagreements})
    sources = sorted({(d["source"], d["source_id"]) for d in disagreements})
    code_f, source_f = _filter(request.GET.get("code"), codes), _filter(request.GET.get("source"), sources)
    chosen = [d for d in disagreements
              if (code_f is None or d["code_id"] == code_f) and (source_f is None or d["source_id"] == source_f)]
    pages = max(1, -(-len(chosen) // SHOWN_DISAGREEMENTS))
    number = _page(request.GET.get("page"), pages)
    first = (number - 1) * SHOWN_DISAGREEMENTS
    query = request.GET.copy()
    links = []
    for n in range(1, pages + 1) if pages > 1 else []:
        query["page"] = str(n)
        links.append({"number": n, "current": n == number, "query": query.urlencode()})
    return page(request, "qualitative/adjudication.html", project, member, "adjudication", {
        "form": form, "report": report, "problem": problem, "shown": chosen[first:first + SHOWN_DISAGREEMENTS],
        "n_disagreements": len(disagreements), "n_decided": sum(1 for d in disagreements if d["decision"]),
        "n_chosen": len(chosen), "first": first + 1, "last": min(first + SHOWN_DISAGREEMENTS, len(chosen)),
        "code_choices": codes, "source_choices": sources, "code_filter": code_f, "source_filter": source_f,
        "pages": links, "page_number": number,
        "coder_pks": report["coder_ids"] if report else [], "unit": report["unit_kind"] if report else "",
        "limit": SHOWN_DISAGREEMENTS,
    }, status=200 if report or not form.is_bound else 400)


def _filter(value, choices) -> int | None:
    """The chosen code or source primary key, if it is one of `choices` ((name, pk) pairs)."""
    try:
        wanted = int(value)
    except (TypeError, ValueError):
        return None
    return wanted if any(pk == wanted for _, pk in choices) else None


def _page(value, pages: int) -> int:
    try:
        return min(max(1, int(value)), pages)
    except (TypeError, ValueError):
        return 1


def _back(pk, post) -> str:
    """Back to the same choice, filter and page of the adjudication page."""
    kept = [(k, post.get(k)) for k in ("code", "source", "page") if post.get(k)]
    pairs = [("coders", c) for c in post.getlist("coders")] + [("unit", post.get("unit", ""))] if post.getlist(
        "coders") else []
    query = urlencode(pairs + kept)
    return reverse("qualitative:adjudication", args=[pk]) + (f"?{query}" if query else "")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such passage.") from None


@login_required
@require_POST
def adjudicate(request, pk):
    project, _, _ = get_workbench_for_user(request.user, pk, lead=True)
    source, code = get_source(project, request.POST.get("source")), get_code(project, request.POST.get("code"))
    applies = request.POST.get("applies") == "yes"
    try:
        actions_adjudication.decide(project, request.user, source, code, _int(request.POST.get("start")),
                            _int(request.POST.get("end")), applies, request.POST.get("note", ""))
    except actions.NotAllowed as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, f"Decided: “{code.name}” {'applies' if applies else 'does not apply'} "
                                  f"there. The consensus layer says the same.")
    return redirect(_back(pk, request.POST))


@login_required
@require_POST
def accept_agreements(request, pk):
    project, _, _ = get_workbench_for_user(request.user, pk, lead=True)
    try:
        coders = [_int(c) for c in request.POST.getlist("coders")]
        added = actions_adjudication.accept_agreements(project, request.user, coders, request.POST.get("unit") or None)
    except actions.NotAllowed as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, f"Added {added} agreed coding{'' if added == 1 else 's'} to the consensus layer."
                         if added else "The consensus layer already has every agreed unit.")
    return redirect(_back(pk, request.POST))
