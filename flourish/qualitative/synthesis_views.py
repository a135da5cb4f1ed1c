"""One coding layer's synthesis, the model check, and quotations for a paper.

Which layer: `permissions.choose_layer` (the one chosen with `?layer=`, else the consensus
layer when it has codings and the member has already chosen to compare, else their own).
Any layer but one's own waits until the member has chosen to compare (a POST to `compare`),
so nobody is shown others' coding while still coding blind.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from flourish import audit
from flourish.jobs.presenters import pdf_page

from . import actions, analysis, quotations
from .forms import LayerForm
from .permissions import choose_layer, get_workbench_for_user, has_chosen_to_compare
from .presenters import compare_first, page

QUOTES_ON_PAGE = 10  # per code; the exports have them all


def _unit(request, project) -> str:
    unit = request.GET.get("unit") or project.unit_kind
    if unit not in analysis.UNIT_KINDS:
        raise Http404("No such unit.")
    return unit


def _leave_out(request, project) -> list[str]:
    """The speakers chosen on the form; before it is first submitted, the research team."""
    if "unit" not in request.GET:
        return analysis.research_team_speakers(project)
    return request.GET.getlist("leave_out")


def _choices(request, pk):
    """(project, member, layer, unit, leave_out, form), or a response asking a blind coder to
    choose to compare before another layer is shown."""
    project, member, own = get_workbench_for_user(request.user, pk)
    layer = choose_layer(project, own, request.GET.get("layer"))
    if layer.pk != own.pk and not has_chosen_to_compare(own):
        return compare_first(request, project, member, "synthesis")
    unit, leave_out = _unit(request, project), _leave_out(request, project)
    return project, member, layer, unit, leave_out, LayerForm(project, layer, unit, leave_out)


@login_required
def synthesis(request, pk):
    choices = _choices(request, pk)
    if isinstance(choices, HttpResponse):
        return choices
    project, member, layer, unit, leave_out, form = choices
    quotes = quotations.by_code(quotations.quotations(project, layer))
    for group in quotes:
        group["more"] = max(0, len(group["quotes"]) - QUOTES_ON_PAGE)
        group["quotes"] = [{**q, "attribution": quotations.attribution(q)} for q in group["quotes"][:QUOTES_ON_PAGE]]
    return page(request, "qualitative/synthesis.html", project, member, "synthesis", {
        "form": form, "layer": layer,
        "data": analysis.cached_layer_synthesis(project, layer, unit, leave_out=leave_out),
        "quotes": quotes, "leave_out": leave_out,
    })


@login_required
def model_check(request, pk):
    choices = _choices(request, pk)
    if isinstance(choices, HttpResponse):
        return choices
    project, member, layer, unit, leave_out, form = choices
    return page(request, "qualitative/model_check.html", project, member, "model_check", {
        "form": form, "layer": layer,
        "data": analysis.cached_layer_model_check(project, layer, unit, leave_out=leave_out),
        "leave_out": leave_out,
    })


def _chosen_codes(project, values) -> list:
    return list(project.codes.filter(pk__in=[v for v in values if str(v).isdigit()]))


@login_required
def quotations_export(request, pk, fmt):
    """Markdown, CSV and Word at once; the PDF's address is a read that opens the PDF this
    reader already made of these quotations, or offers to make it (a job, below)."""
    choices = _choices(request, pk)
    if isinstance(choices, HttpResponse):
        return choices
    project, _, layer, _, _, _ = choices
    if fmt not in quotations.FORMATS:
        raise Http404("No such format.")
    codes = _chosen_codes(project, request.GET.getlist("codes"))
    if fmt == "pdf":
        return pdf_page(request, key=actions.quotations_pdf_key(project, layer, request.user, codes or None),
                        title=f"Quotations of “{project.name}” ({layer.name}) as a PDF",
                        action=reverse("qualitative:prepare_quotations_pdf", args=[project.pk]),
                        hidden=[("layer", layer.pk)] + [("codes", c.pk) for c in codes],
                        back_url=reverse("qualitative:synthesis", args=[project.pk]) + f"?layer={layer.pk}",
                        back_text="Back to the synthesis")
    content, content_type, name = quotations.export(project, layer, fmt, codes or None)
    audit.record(request, "quotations-exported", project, format=fmt, codes=len(codes) or "all")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def prepare_quotations_pdf(request, pk):
    """The PDF is laid out by a worker; its progress page links to it when ready."""
    project, member, own = get_workbench_for_user(request.user, pk)
    layer = choose_layer(project, own, request.POST.get("layer"))
    if layer.pk != own.pk and not has_chosen_to_compare(own):
        return compare_first(request, project, member, "synthesis")
    codes = _chosen_codes(project, request.POST.getlist("codes"))
    job = actions.prepare_quotations_pdf(project, layer, request.user, codes or None)
    return redirect("jobs:progress", job_id=job.pk)
