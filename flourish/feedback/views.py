"""The leader's (and organisation admin's) pages for running a 360° cycle, and the
approver's page for its list of people to ask."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from flourish import audit
from flourish.jobs import selectors as jobs_selectors
from flourish.rights import actions as rights_actions

from . import actions, importing, presenters
from . import jobs as feedback_jobs
from .forms import ClosingDateForm, CycleForm, RaterForm, ReturnListForm, ShareForm, UploadForm
from .permissions import (
    cycles_to_approve,
    get_cycle_for_approver,
    get_cycle_for_manager,
    get_cycle_for_sharer,
    get_rater_for_approver,
    get_rater_for_manager,
    leaders_to_start_for,
    manageable_cycles,
    organisations_to_start_in,
    readable_reports,
)


def _cycle_form(request, data=None):
    user = request.user
    return CycleForm(data, organisations=organisations_to_start_in(user), leaders=leaders_to_start_for(user),
                     initial={"leader": user.pk})


@login_required
def index(request):
    return render(request, "feedback/index.html", {
        "cycles": manageable_cycles(request.user),
        "shared": readable_reports(request.user).exclude(leader=request.user),
        "to_approve": cycles_to_approve(request.user),
        "can_start": leaders_to_start_for(request.user).exists(),
    })


@login_required
def create(request):
    form = _cycle_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = actions.create_cycle(
                data["leader"], data["organisation"], presenters.default_framework_version(data["organisation"]),
                data["title"],
                data["closes_on"], data["approver"],
            )
        except actions.NotAllowed as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "The feedback round is set up. Now add the people to ask.")
            return redirect("feedback:detail", pk=cycle.pk)
    return render(request, "feedback/create.html", {
        "form": form,
    }, status=400 if form.errors else 200)


def _detail_context(request, cycle, **extra):
    return {
        **presenters.cycle_page(cycle, request.user),
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


def _run(request, cycle, action, done_message, back="feedback:detail"):
    """Call an action; a refusal becomes a message on the cycle page (or `back`)."""
    try:
        result = action()
    except actions.NotAllowed as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, done_message(result) if callable(done_message) else done_message)
    return redirect(back, pk=cycle.pk)


def _added_message(rater):
    if rater.awaiting_approval:
        return f"{rater.name} is on the list, waiting for {rater.cycle.approver.display_name}'s approval."
    return f"{rater.name} is on the list."


@login_required
@require_POST
def add_rater(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    form = RaterForm(request.POST, cycle=cycle)
    if not form.is_valid():
        return render(request, "feedback/detail.html",
                      _detail_context(request, cycle, rater_form=form), status=400)
    return _run(request, cycle, lambda: actions.nominate(cycle, by=request.user, **form.cleaned_data),
                _added_message)


@login_required
def upload_raters(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    if request.method == "GET" and request.GET.get("template"):
        template = HttpResponse(importing.nominations_template(), content_type="text/csv; charset=utf-8")
        template["Content-Disposition"] = 'attachment; filename="people-to-ask.csv"'
        return template
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if (
        request.method == "POST"
        and form.is_valid()
        and form.cleaned_data["file"].size > feedback_jobs.IMPORT_IN_BACKGROUND
    ):
        upload = form.cleaned_data["file"]
        job = feedback_jobs.queue_nominations_import(cycle, request.user, upload.read(), upload.name,
                                                     address=audit.client_address(request))
        return redirect("jobs:progress", job_id=job.pk)
    if request.method == "POST" and form.is_valid():
        try:
            rows = importing.parse_nominations(form.cleaned_data["file"].read(), cycle)
            added = actions.nominate_many(cycle, rows, by=request.user)
        except importing.ImportProblems as error:
            problems = error.problems
        except actions.NotAllowed as error:
            problems = [str(error)]
        else:
            audit.record(request, "import", cycle, kind="people to ask csv", file=form.cleaned_data["file"].name[:200],
                         added=len(added))
            waiting = " They wait for approval." if added and added[0].awaiting_approval else ""
            messages.success(request, f"{len(added)} people added to the list.{waiting}")
            return redirect("feedback:detail", pk=cycle.pk)
    return render(request, "feedback/detail.html",
                  _detail_context(request, cycle, upload_form=form, upload_problems=problems),
                  status=400 if problems or form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def revoke_rater(request, pk, rater_pk):
    """GET asks to confirm; POST withdraws (it can be undone until the round closes)."""
    rater = get_rater_for_manager(request.user, pk, rater_pk)
    if request.method == "GET":
        return render(request, "feedback/confirm_withdraw.html", {"cycle": rater.cycle, "rater": rater})
    return _run(request, rater.cycle, lambda: actions.revoke(rater),
                f"{rater.name}'s link no longer works and any answers from it will not count. "
                "You can undo this until the round closes.")


@login_required
@require_POST
def restore_rater(request, pk, rater_pk):
    rater = get_rater_for_manager(request.user, pk, rater_pk)
    return _run(request, rater.cycle, lambda: actions.restore(rater),
                f"{rater.name} is back on the list: their link works again.")


@login_required
@require_http_methods(["GET", "POST"])
def closing_date(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    form = ClosingDateForm(request.POST or None, initial={"closes_on": cycle.closes_on})
    if request.method == "POST" and form.is_valid():
        return _run(request, cycle, lambda: actions.change_closing_date(cycle, form.cleaned_data["closes_on"]),
                    lambda c: f"The round now closes at the end of {c.closes_on:%A %-d %B %Y}.")
    return render(request, "feedback/closing_date.html", {"cycle": cycle, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def send_for_approval(request, pk):
    cycle = get_cycle_for_manager(request.user, pk)
    return _run(request, cycle, lambda: actions.request_approval(cycle),
                "The list has gone for approval.")


def _approval_context(request, cycle, **extra):
    return {
        **presenters.approval_page(cycle),
        "rater_form": RaterForm(cycle=cycle),
        "return_form": ReturnListForm(),
        **extra,
    }


@login_required
def approve(request, pk):
    cycle = get_cycle_for_approver(request.user, pk)
    if request.method == "POST":
        try:
            actions.approve(cycle, request.user)
        except actions.NotAllowed as problem:
            messages.error(request, str(problem))
            return redirect("feedback:approve", pk=cycle.pk)
        messages.success(request, "Approved. The invitations are on their way.")
        return redirect("feedback:list")
    return render(request, "feedback/approve.html", _approval_context(request, cycle))


@login_required
@require_POST
def return_list(request, pk):
    cycle = get_cycle_for_approver(request.user, pk)
    form = ReturnListForm(request.POST)
    if not form.is_valid():
        return render(request, "feedback/approve.html", _approval_context(request, cycle, return_form=form),
                      status=400)
    return _run(request, cycle, lambda: actions.return_list(cycle, request.user, form.cleaned_data["comment"]),
                f"Sent back to {cycle.leader.display_name} with your comment.", back="feedback:approve")


@login_required
@require_POST
def approver_add_rater(request, pk):
    cycle = get_cycle_for_approver(request.user, pk)
    form = RaterForm(request.POST, cycle=cycle)
    if not form.is_valid():
        return render(request, "feedback/approve.html", _approval_context(request, cycle, rater_form=form),
                      status=400)
    return _run(request, cycle, lambda: actions.nominate(cycle, by=request.user, **form.cleaned_data),
                lambda rater: f"{rater.name} is on the list.", back="feedback:approve")


@login_required
@require_POST
def approver_remove_rater(request, pk, rater_pk):
    rater = get_rater_for_approver(request.user, pk, rater_pk)
    return _run(request, rater.cycle, lambda: actions.revoke(rater),
                f"{rater.name} is off the list.", back="feedback:approve")


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
    # No number: how many were reminded is how many have not answered.
    return _run(request, cycle, lambda: actions.remind(cycle),
                "Reminders are on their way to everyone asked who has not answered yet.")


@login_required
@require_http_methods(["GET", "POST"])
def close(request, pk):
    """GET asks to confirm (closing cannot be undone); POST closes and builds the report."""
    cycle = get_cycle_for_manager(request.user, pk)
    if request.method == "GET":
        return render(request, "feedback/confirm_close.html", {"cycle": cycle, **presenters.close_warning(cycle)})
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
    cycle = get_cycle_for_sharer(request.user, pk)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return render(request, "feedback/detail.html",
                      _detail_context(request, cycle, share_form=form), status=400)
    # Shared through the rights app: the person is emailed and the share is audited.
    return _run(request, cycle, lambda: rights_actions.share(request.user, cycle, form.user),
                f"{form.user.display_name} can now read your report.")
