"""Development plan pages: parse, authorise (permissions.py), call an action, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from flourish.jobs.presenters import pdf_page
from flourish.selfassess.permissions import get_self_assessment_for_user, self_assessments_for

from . import actions, progress, suggestions
from .forms import (
    ActionForm,
    ChooseProcessesForm,
    GoalForm,
    ProgressNoteForm,
    ReviewDoneForm,
    ReviewForm,
    StatusForm,
    with_hints,
)
from .permissions import (
    get_action_for_user,
    get_own_report_cycle_for_user,
    get_plan_for_user,
    get_review_for_user,
    own_report_cycles,
    plans_for,
)
from .presenters import plan_context


@login_required
def index(request):
    return render(request, "development/index.html", {
        "plans": plans_for(request.user),
        "assessments": self_assessments_for(request.user).filter(completed__isnull=False),
        "cycles": own_report_cycles(request.user),
    })


def _source(request, value: str):
    """The plan's source from `?from=selfassessment:<pk>` or `?from=cycle:<pk>` (404 for
    anything not the user's own)."""
    kind, _, pk = (value or "").partition(":")
    if kind == "selfassessment":
        return get_self_assessment_for_user(request.user, pk)
    if kind == "cycle":
        return get_own_report_cycle_for_user(request.user, pk)
    raise Http404("Choose what to plan from.")


def _suggestions(source):
    processes = source.framework_version.processes
    if hasattr(source, "report"):  # a released cycle: figures only from its stored report
        return suggestions.suggest(processes, suggestions.figures_from_report(source.report), whose="others'")
    figures = suggestions.figures_from_self(source.scores(), source.importance)
    return suggestions.suggest(processes, figures, whose="your")


@login_required
def new_plan(request):
    value = request.GET.get("from") or request.POST.get("from", "")
    source = _source(request, value)
    if not (source.is_complete if hasattr(source, "is_complete") else source.is_released):
        messages.error(request, "A plan can start only from a finished self-assessment or a released report.")
        return redirect("development:index")
    processes = source.framework_version.processes
    found = _suggestions(source)
    error = None
    if request.method == "POST":
        form = ChooseProcessesForm(request.POST, processes=processes)
        if form.is_valid():
            try:
                plan = actions.create_plan(request.user, source, form.cleaned_data["processes"],
                                           form.cleaned_data["review_on"])
            except actions.NotAllowed as problem:
                error = str(problem)
            else:
                messages.success(request, "Your plan is made. Now write a goal for each process.")
                return redirect("development:plan", pk=plan.pk)
    else:
        form = ChooseProcessesForm(initial={"processes": suggestions.preselected(found)}, processes=processes)
    return render(request, "development/new_plan.html", {
        "source": source, "from": value, "form": form, "suggestions": found, "error": error,
        "options": with_hints(form["processes"], {s.process_id: "Suggested. " + " ".join(s.reasons) for s in found}),
        "is_cycle": hasattr(source, "report"),
        "rules": {"important": suggestions.IMPORTANT, "low": suggestions.LOW, "reach": suggestions.REACH},
    }, status=400 if form.errors or error else 200)


def _plan_page(request, plan, *, bound=None, error=None):
    context = plan_context(plan, bound=bound)
    context["error"] = error
    context["form"] = next(iter(bound.values())) if bound else None  # for the error summary
    status = 400 if bound or error else 200
    return render(request, "development/plan.html", context, status=status)


@login_required
def plan_detail(request, pk):
    return _plan_page(request, get_plan_for_user(request.user, pk))


def plan_url(plan) -> str:
    return reverse("development:plan", args=[plan.pk])


def _process_in(plan, process_id) -> dict:
    if process_id not in plan.processes:
        raise Http404("That process is not in this plan.")
    return plan.framework_version.process(process_id)


@login_required
@require_POST
def set_goal(request, pk, process_id):
    plan = get_plan_for_user(request.user, pk)
    form = GoalForm(request.POST, process=_process_in(plan, process_id))
    if not form.is_valid():
        return _plan_page(request, plan, bound={("goal", process_id): form})
    try:
        actions.set_goal(plan, process_id, form.cleaned_data["text"])
    except actions.NotAllowed as problem:
        return _plan_page(request, plan, error=str(problem))
    messages.success(request, "Your goal is saved.")
    return redirect(f"{plan_url(plan)}#process-{process_id}")


@login_required
@require_POST
def add_action(request, pk, process_id):
    plan = get_plan_for_user(request.user, pk)
    process = _process_in(plan, process_id)
    form = ActionForm(request.POST, process=process)
    if not form.is_valid():
        return _plan_page(request, plan, bound={("action", process_id): form})
    try:
        actions.add_action(plan, process_id, due_on=form.cleaned_data["due_on"],
                           text=form.cleaned_data["text"], practice=form.cleaned_data["practice"])
    except actions.NotAllowed as problem:
        return _plan_page(request, plan, error=str(problem))
    messages.success(request, "Your action is added.")
    return redirect(f"{plan_url(plan)}#process-{process_id}")


@login_required
def action_detail(request, pk, action_pk):
    step = get_action_for_user(request.user, pk, action_pk)
    plan = step.goal.plan
    note_form, status_form, error = ProgressNoteForm(), StatusForm(initial={"status": step.status}), None
    if request.method == "POST":
        try:
            if "status" in request.POST:
                status_form = StatusForm(request.POST)
                if status_form.is_valid():
                    actions.set_action_status(step, status_form.cleaned_data["status"])
                    messages.success(request, "The action's status is saved.")
                    return redirect("development:action", pk=plan.pk, action_pk=step.pk)
            else:
                note_form = ProgressNoteForm(request.POST)
                if note_form.is_valid():
                    actions.add_progress_note(step, note_form.cleaned_data["text"],
                                              note_form.cleaned_data["written_on"])
                    messages.success(request, "Your progress note is saved.")
                    return redirect("development:action", pk=plan.pk, action_pk=step.pk)
        except actions.NotAllowed as problem:
            error = str(problem)
    failed = bool(error or note_form.errors or status_form.errors)
    return render(request, "development/action.html", {
        "plan": plan, "action": step, "process": plan.framework_version.process(step.goal.process_id),
        "notes": step.notes.all(), "note_form": note_form, "status_form": status_form, "error": error,
        "form": note_form if note_form.errors else status_form,
    }, status=400 if failed else 200)


@login_required
@require_POST
def add_review(request, pk):
    plan = get_plan_for_user(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, bound={("review", None): form})
    try:
        actions.schedule_review(plan, form.cleaned_data["due_on"])
    except actions.NotAllowed as problem:
        return _plan_page(request, plan, error=str(problem))
    messages.success(request, "The review date is added. We will email you two days before.")
    return redirect(f"{plan_url(plan)}#reviews")


@login_required
def review_detail(request, pk, review_pk):
    review = get_review_for_user(request.user, pk, review_pk)
    form, error = ReviewDoneForm(initial={"notes": review.notes}), None
    if request.method == "POST":
        form = ReviewDoneForm(request.POST)
        if form.is_valid():
            try:
                actions.complete_review(review, form.cleaned_data["notes"])
            except actions.NotAllowed as problem:
                error = str(problem)
            else:
                messages.success(request, "Your review is recorded.")
                return redirect("development:plan", pk=review.plan_id)
    plan = review.plan
    return render(request, "development/review.html", {
        "plan": plan, "review": review, "form": form, "error": error,
        "comparison": progress.before_after(plan),
    }, status=400 if form.errors or error else 200)


@login_required
@require_POST
def prepare_plan_pdf(request, pk):
    """The PDF is laid out by a worker; its progress page links to it when ready."""
    plan = get_plan_for_user(request.user, pk)
    return redirect("jobs:progress", job_id=actions.prepare_plan_pdf(plan, request.user).pk)


@login_required
def plan_pdf(request, pk):
    """The old address of the PDF: a read. The PDF is made by a job (`prepare_plan_pdf`);
    this opens the one made of the plan as it is now, or offers to make it."""
    plan = get_plan_for_user(request.user, pk)
    return pdf_page(request, key=actions.plan_pdf_key(plan), title="The PDF of your development plan",
                    action=reverse("development:prepare_plan_pdf", args=[plan.pk]),
                    back_url=reverse("development:plan", args=[plan.pk]), back_text="Back to your plan")
