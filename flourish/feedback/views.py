"""The leader's (and organisation admin's) pages for running a 360° cycle."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from flourish.accounts.models import Role, User
from flourish.accounts.permissions import organisations_for
from flourish.frameworks.actions import default_framework_slug
from flourish.frameworks.models import Framework
from flourish.jobs import selectors as jobs_selectors

from . import actions, dashboard, importing
from . import jobs as feedback_jobs
from .forms import CycleForm, RaterForm, ShareForm, UploadForm
from .permissions import (
    get_cycle_for_approver, get_cycle_for_manager, get_rater_for_manager, manageable_cycles,
    readable_reports,
)


def _cycle_form(request, data=None):
    user = request.user
    admin_of = organisations_for(user, Role.ADMIN)
    organisations = organisations_for(user).filter(
        Q(pk__in=organisations_for(user, Role.LEADER)) | Q(pk__in=admin_of)
    )
    leaders = User.objects.filter(
        Q(pk=user.pk, memberships__role=Role.LEADER)
        | Q(memberships__role=Role.LEADER, memberships__organisation__in=admin_of)
    ).distinct()
    return CycleForm(data, organisations=organisations, leaders=leaders, initial={"leader": user.pk})


@login_required
def index(request):
    return render(request, "feedback/index.html", {
        "cycles": manageable_cycles(request.user),
        "shared": readable_reports(request.user).exclude(leader=request.user),
        "to_approve": request.user.cycles_to_approve.filter(status="awaiting approval"),
        "can_start": _cycle_form(request).fields["leader"].queryset.exists(),
    })


@login_required
def create(request):
    form = _cycle_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = Framework.objects.get(slug=default_framework_slug()).latest()
        cycle = actions.create_cycle(
            data["leader"], data["organisation"], version, data["title"], data["closes_on"], data["approver"]
        )
        messages.success(request, "The feedback round is set up. Now add the people to ask.")
        return redirect("feedback:detail", pk=cycle.pk)
    return render(request, "feedback/create.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request, cycle, **extra):
    return {
        "cycle": cycle,
        "raters": jobs_selectors.with_delivery(cycle.raters.all(), [actions.INVITATION], actions.rater_key),
        "undelivered": actions.delivery_problem(cycle),
        "counts": dashboard.response_counts(cycle),
        "is_leader": cycle.leader_id == request.user.pk,
        "rater_form": RaterForm(cycle=cycle),
        "upload_form": UploadForm(),
        "share_form": ShareForm(),
        "report_job": jobs_selectors.job_for_key(actions.report_job_key(cycle)) if cycle.is_closed else None,
        **extra,
    }


@login_required
def detail(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    return render(request, "feedback/detail.html", _detail_context(request, cycle))


def _run(request, cycle, action, done_message):
    """Call an action; a refusal becomes a message on the cycle page."""
    try:
        result = action()
    except actions.NotAllowed as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, done_message(result) if callable(done_message) else done_message)
    return redirect("feedback:detail", pk=cycle.pk)


@login_required
@require_POST
def add_rater(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    form = RaterForm(request.POST, cycle=cycle)
    if not form.is_valid():
        return render(request, "feedback/detail.html",
                      _detail_context(request, cycle, rater_form=form), status=400)
    return _run(request, cycle, lambda: actions.nominate(cycle, **form.cleaned_data),
                lambda rater: f"{rater.name} is on the list.")


@login_required
def upload_raters(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    if request.method == "GET" and request.GET.get("template"):
        response = HttpResponse(importing.nominations_template(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="people-to-ask.csv"'
        return response
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid() and form.cleaned_data["file"].size > feedback_jobs.IMPORT_IN_BACKGROUND:
        upload = form.cleaned_data["file"]
        job = feedback_jobs.queue_nominations_import(cycle, request.user, upload.read(), upload.name)
        return redirect("jobs:progress", job_id=job.pk)
    if request.method == "POST" and form.is_valid():
        try:
            rows = importing.parse_nominations(form.cleaned_data["file"].read(), cycle)
            added = actions.nominate_many(cycle, rows)
        except importing.ImportProblems as error:
            problems = error.problems
        except actions.NotAllowed as error:
            problems = [str(error)]
        else:
            messages.success(request, f"{len(added)} people added to the list.")
            return redirect("feedback:detail", pk=cycle.pk)
    return render(request, "feedback/detail.html",
                  _detail_context(request, cycle, upload_form=form, upload_problems=problems),
                  status=400 if problems or form.errors else 200)


@login_required
@require_POST
def revoke_rater(request, pk, rater_pk):
    rater = get_rater_for_manager(request.user, pk, rater_pk)
    return _run(request, rater.cycle, lambda: actions.revoke(rater),
                f"{rater.name}'s link no longer works and any answers from it will not count.")


@login_required
@require_POST
def send_for_approval(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    return _run(request, cycle, lambda: actions.request_approval(cycle),
                "The list has gone to the facilitator for approval.")


@login_required
def approve(request, pk):
    cycle = get_cycle_for_approver(request.user, pk)
    if request.method == "POST":
        try:
            actions.approve(cycle, request.user)
        except actions.NotAllowed as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, "Approved. The invitations are on their way.")
        return redirect("feedback:list")
    return render(request, "feedback/approve.html", {
        "cycle": cycle, "raters": cycle.raters.filter(revoked_at__isnull=True),
    })


@login_required
@require_POST
def invite(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    return _run(request, cycle, lambda: actions.send_invitations(cycle), "The invitations are on their way.")


@login_required
@require_POST
def resend(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    return _run(request, cycle, lambda: actions.resend_undelivered(cycle),
                lambda n: f"Trying again to deliver {n} email{'s' if n != 1 else ''}.")


@login_required
@require_POST
def remind(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    return _run(request, cycle, lambda: actions.remind(cycle),
                lambda n: f"Reminders are on their way to {n} people who have not answered yet.")


@login_required
@require_POST
def close(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    try:
        job = actions.close_in_background(cycle, request.user)
    except actions.NotAllowed as problem:
        messages.error(request, str(problem))
        return redirect("feedback:detail", pk=cycle.pk)
    if job.owner_id != request.user.pk:  # someone else closed it first
        return redirect("feedback:detail", pk=cycle.pk)
    return redirect("jobs:progress", job_id=job.pk)


@login_required
@require_POST
def share(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    if cycle.leader_id != request.user.pk:
        messages.error(request, "Only the leader can share their report.")
        return redirect("feedback:detail", pk=cycle.pk)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return render(request, "feedback/detail.html",
                      _detail_context(request, cycle, share_form=form), status=400)
    return _run(request, cycle, lambda: actions.share_report(cycle, form.user),
                f"{form.user.display_name} can now read your report.")
