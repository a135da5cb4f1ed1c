"""Assisted coding pages: the assistant's suggestions for uncoded units, asked for by a
lead and accepted or rejected by any member (see `assist.suggest` for what each does).
Without the optional extra the page says how to install it and offers nothing else."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import actions, actions_assist
from . import jobs as assist_jobs
from .assist import scoring
from .assist import suggest as assist
from .permissions import get_project_for_user, get_suggestion
from .presenters import CoderKind, MemberRole, UnitKind, page

PER_PAGE = 50
METHOD_LABELS = {
    scoring.SIMILARITY: "Similarity to the code's definition and examples",
    scoring.CLASSIFIER: "Classifier trained on the consensus coding",
}


class RunForm(forms.Form):
    unit_kind = forms.ChoiceField(label="Suggest codes for each", choices=[
        (UnitKind.TURN, "Speaker turn"), (UnitKind.SENTENCE, "Sentence")], widget=forms.RadioSelect)
    threshold = forms.FloatField(
        label="Lowest similarity to suggest", min_value=0.0, max_value=1.0, initial=scoring.SIMILARITY_THRESHOLD,
        help_text="From 0 to 1. About 0.3 leaves out talk unrelated to a code; higher means fewer, surer suggestions.")
    probability = forms.FloatField(
        label="Lowest classifier probability to suggest", min_value=0.0, max_value=1.0,
        initial=scoring.PROBABILITY_THRESHOLD,
        help_text=f"From 0 to 1. Used for codes with at least {scoring.MIN_POSITIVE} adjudicated units where "
                  f"the code applies and {scoring.MIN_NEGATIVE} where it does not.")
    limit = forms.IntegerField(label="Most suggestions for one unit", min_value=1, max_value=10,
                               initial=scoring.LIMIT)


def _assist_url(project, page_number=None) -> str:
    url = reverse("qualitative:assist", args=[project.pk])
    return f"{url}?page={page_number}" if page_number and str(page_number).isdigit() else url


def _assist_page(request, project, member, form=None, status=200):
    is_lead = member.role == MemberRole.LEAD
    suggestions = assist.open_suggestions(project, request.user)
    current = Paginator(suggestions, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"coding": c, "quote": c.text, "method": METHOD_LABELS.get(c.method, c.method),
             "is_classifier": c.method == scoring.CLASSIFIER} for c in current.object_list]
    return page(request, "qualitative/assist.html", project, member, "assist", {
        "available": assist.available(),
        "help": assist.ASSIST_HELP,
        "form": form or RunForm(initial={"unit_kind": project.unit_kind}),
        "can_run": is_lead,
        "page_obj": current,
        "rows": rows,
        "assistant": project.coders.filter(kind=CoderKind.ASSISTANT).first(),
        "min_positive": scoring.MIN_POSITIVE, "min_negative": scoring.MIN_NEGATIVE,
    }, status=status)


@login_required
def assist_page(request, pk):
    project, member = get_project_for_user(request.user, pk)
    return _assist_page(request, project, member)


@login_required
@require_POST
def run(request, pk):
    project, member = get_project_for_user(request.user, pk, lead=True)
    form = RunForm(request.POST)
    if not form.is_valid():
        return _assist_page(request, project, member, form=form, status=400)
    if not assist.available():
        messages.error(request, assist.ASSIST_HELP)
        return redirect(_assist_url(project))
    # The model runs in a worker; the job's page shows its progress and links back here.
    data = form.cleaned_data
    job = assist_jobs.queue_assist_run(project, request.user, unit_kind=data["unit_kind"], threshold=data["threshold"],
                                       probability=data["probability"], limit=data["limit"])
    return redirect("jobs:progress", job_id=job.pk)


@login_required
@require_POST
def accept(request, pk, coding_pk):
    project, member = get_project_for_user(request.user, pk)
    suggestion = get_suggestion(project, coding_pk)
    try:
        actions_assist.accept(suggestion, request.user)
    except actions.NotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{suggestion.code.name}” added to your coding of {suggestion.source.name}.")
    return redirect(_assist_url(project, request.POST.get("page")))


@login_required
@require_POST
def reject(request, pk, coding_pk):
    project, member = get_project_for_user(request.user, pk)
    suggestion = get_suggestion(project, coding_pk)
    try:
        actions_assist.reject(suggestion, request.user)
    except actions.NotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Suggestion “{suggestion.code.name}” rejected. It stays in the assistant's "
                                  "record, so its agreement with people still counts it.")
    return redirect(_assist_url(project, request.POST.get("page")))
