"""Assisted coding pages: the assistant's suggestions for uncoded units, asked for by a
lead and accepted or rejected by any member (see `assist.suggest` for what each does).
Without the optional extra the page says how to install it and offers nothing else."""

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
from .forms import RunForm
from .permissions import get_project_for_user, get_suggestion
from .presenters import CoderKind, MemberRole, page

PER_PAGE = 50
METHOD_LABELS = {
    scoring.SIMILARITY: "Similarity to the code's definition and examples",
    scoring.CLASSIFIER: "Classifier trained on the consensus coding",
}


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
