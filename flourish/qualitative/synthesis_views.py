"""One coding layer's synthesis, the model check, and quotations for a paper.

Which layer: the one chosen (`?layer=`), else the consensus layer when it has codings and the
member has already chosen to compare, else their own. Looking at any layer but one's own
counts as choosing to compare (`actions.choose_to_compare`), so nobody is shown others'
coding while still coding blind without choosing to.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from . import actions, analysis, quotations
from .models import CoderKind, UnitKind
from .views import page, project_for

QUOTES_ON_PAGE = 10  # per code; the exports have them all


class LayerForm(forms.Form):
    layer = forms.ChoiceField(label="Coding layer")
    unit = forms.ChoiceField(label="Unit", choices=UnitKind.choices, widget=forms.RadioSelect)
    leave_out = forms.MultipleChoiceField(
        label="Leave out the turns of", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The research team's questions and prompts are not data. Speakers whose role is "
                  "researcher, interviewer or facilitator are left out unless you choose otherwise.")

    def __init__(self, project, layer, unit, leave_out):
        super().__init__(initial={"layer": str(layer.pk), "unit": unit, "leave_out": leave_out})
        kind = dict(CoderKind.choices)
        self.fields["layer"].choices = [
            (str(c.pk), c.name if c.kind == CoderKind.PERSON else f"{c.name} ({kind[c.kind].lower()})")
            for c in project.coders.all()]
        self.fields["leave_out"].choices = [(s.name, s.name) for s in project.speakers.all()]


def choose_layer(request, project, own):
    """The layer to show (see the module docstring); 404 for a layer of another project."""
    chosen = request.GET.get("layer")
    if chosen:
        layer = project.coders.filter(pk=chosen).first() if chosen.isdigit() else None
        if layer is None:
            raise Http404("No such coding layer.")
    else:
        consensus = project.coders.filter(kind=CoderKind.CONSENSUS).first()
        ready = consensus is not None and own.compared_at is not None and consensus.codings.exists()
        layer = consensus if ready else own
    if layer.pk != own.pk:
        actions.choose_to_compare(own)
    return layer


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
    project, member, own = project_for(request, pk)
    layer, unit, leave_out = choose_layer(request, project, own), _unit(request, project), _leave_out(request, project)
    return project, member, layer, unit, leave_out, LayerForm(project, layer, unit, leave_out)


@login_required
def synthesis(request, pk):
    project, member, layer, unit, leave_out, form = _choices(request, pk)
    quotes = quotations.by_code(quotations.quotations(project, layer))
    for group in quotes:
        group["more"] = max(0, len(group["quotes"]) - QUOTES_ON_PAGE)
        group["quotes"] = [{**q, "attribution": quotations.attribution(q)} for q in group["quotes"][:QUOTES_ON_PAGE]]
    return page(request, "qualitative/synthesis.html", project, member, "synthesis", {
        "form": form, "layer": layer, "data": analysis.layer_synthesis(project, layer, unit, leave_out=leave_out), "quotes": quotes,
        "leave_out": leave_out,
    })


@login_required
def model_check(request, pk):
    project, member, layer, unit, leave_out, form = _choices(request, pk)
    return page(request, "qualitative/model_check.html", project, member, "model_check", {
        "form": form, "layer": layer, "data": analysis.layer_model_check(project, layer, unit, leave_out=leave_out),
        "leave_out": leave_out,
    })


@login_required
def quotations_export(request, pk, fmt):
    project, _, layer, _, _, _ = _choices(request, pk)
    if fmt not in quotations.FORMATS:
        raise Http404("No such format.")
    codes = [c for c in project.codes.filter(pk__in=[v for v in request.GET.getlist("codes") if v.isdigit()])]
    content, content_type, name = quotations.export(project, layer, fmt, codes or None)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
