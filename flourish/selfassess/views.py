from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from flourish.accounts.permissions import leader_organisations
from flourish.frameworks.permissions import frameworks_for
from flourish.frameworks.selectors import latest_versions
from flourish.orgadmin.selectors import preselected_framework

from . import actions, profile
from .forms import FocusForm, ProcessAnswersForm, StartForm
from .permissions import get_self_assessment_for_user, self_assessments_for


def _start_form(request, data=None):
    organisations, versions = leader_organisations(request.user), latest_versions(frameworks_for(request.user))
    return StartForm(data, organisations=organisations, versions=versions,
                     initial=preselected_framework(organisations, versions))


@login_required
def index(request):
    form = _start_form(request)
    return render(request, "selfassess/index.html", {
        "assessments": self_assessments_for(request.user),
        "form": form,
        "is_leader": leader_organisations(request.user).exists(),
    })


@login_required
@require_POST
def start(request):
    form = _start_form(request, request.POST)
    if not form.is_valid():
        return render(request, "selfassess/index.html", {
            "assessments": self_assessments_for(request.user), "form": form,
            "is_leader": leader_organisations(request.user).exists(),
        }, status=400)
    assessment = actions.start(
        request.user, form.cleaned_data["organisation"], form.cleaned_data["framework"]
    )
    return redirect("selfassess:step", pk=assessment.pk, step=1)


def _process_at(assessment, step: int) -> dict:
    processes = assessment.framework_version.processes
    if not 1 <= step <= len(processes):
        raise Http404("No such step.")
    return processes[step - 1]


@login_required
def step(request, pk, step):
    assessment = get_self_assessment_for_user(request.user, pk)
    if assessment.is_complete:
        return redirect("selfassess:profile", pk=pk)
    version = assessment.framework_version
    process = _process_at(assessment, step)
    form_args = dict(process=process, scale=version.document["scale"],
                     importance_scale=version.document.get("importance_scale"))
    if request.method == "POST":
        form = ProcessAnswersForm(request.POST, **form_args)
        later = "save_and_return" in request.POST
        if form.is_valid() and (later or form.require_all()):
            actions.save_answers(assessment, process["id"], form.answers(), form.importance())
            if later:
                messages.success(request, "Your answers are saved. Come back to carry on at any time.")
                return redirect("selfassess:list")
            if step < len(version.processes):
                return redirect("selfassess:step", pk=pk, step=step + 1)
            return redirect("selfassess:review", pk=pk)
    else:
        form = ProcessAnswersForm(
            initial=ProcessAnswersForm.initial_from(assessment.answers, assessment.importance, process),
            **form_args,
        )
    return render(request, "selfassess/step.html", {
        "assessment": assessment, "process": process, "form": form, "step": step,
        "steps": len(version.processes), "previous_step": step - 1 if step > 1 else None,
    }, status=400 if form.errors else 200)


@login_required
def review(request, pk):
    assessment = get_self_assessment_for_user(request.user, pk)
    if assessment.is_complete:
        return redirect("selfassess:profile", pk=pk)
    error = None
    if request.method == "POST":
        try:
            actions.complete(assessment)
        except actions.NotAllowed as problem:
            error = str(problem)
        else:
            return redirect("selfassess:profile", pk=pk)
    version = assessment.framework_version
    labels = version.scale_labels()
    sections = [
        {
            "process": p, "step": index,
            "importance": assessment.importance.get(p["id"]),
            "answers": [
                (item, assessment.answers.get(item["id"], "missing"))
                for item in p["items"]
            ],
        }
        for index, p in enumerate(version.processes, start=1)
    ]
    return render(request, "selfassess/review.html", {
        "assessment": assessment, "sections": sections, "labels": labels, "error": error,
        "not_observed": version.document["scale"]["not_observed"],
    }, status=400 if error else 200)


@login_required
def detail(request, pk):
    assessment = get_self_assessment_for_user(request.user, pk)
    if not assessment.is_complete:
        return redirect("selfassess:step", pk=pk, step=assessment.first_unanswered_step() or 1)
    earlier = self_assessments_for(request.user).filter(
        completed__isnull=False, completed__lt=assessment.completed,
        framework_version__framework=assessment.framework_version.framework,
    ).order_by("-completed")
    chosen = request.GET.get("compare")
    previous = earlier.filter(pk=chosen).first() if chosen else earlier.first()
    if request.method == "POST":
        form = FocusForm(request.POST, processes=assessment.framework_version.processes)
        if form.is_valid():
            actions.choose_focus(assessment, form.cleaned_data["focus"])
            return redirect("selfassess:profile", pk=pk)
    else:
        form = FocusForm(initial={"focus": assessment.focus},
                         processes=assessment.framework_version.processes)
    return render(request, "selfassess/profile.html", {
        "assessment": assessment, "profile": profile.build(assessment, previous),
        "previous": previous, "earlier": earlier, "form": form,
    }, status=400 if form.errors else 200)
