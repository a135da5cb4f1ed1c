from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from flourish import audit
from flourish.accounts.permissions import Role, organisations_for
from flourish.frameworks.permissions import frameworks_for
from flourish.frameworks.selectors import latest_versions
from flourish.jobs.presenters import pdf_page
from flourish.lib.disclosure import MIN_K
from flourish.orgadmin.selectors import preselected_framework

from . import actions, cohort, export, presenters, sharing
from .forms import (
    ActionForm,
    CloseForm,
    CreateSetForm,
    InviteForm,
    JoinForm,
    NotesForm,
    ObservationForm,
    ParCycleForm,
    SessionForm,
    SharingForm,
)
from .permissions import (
    check_may_post,
    facilitated_sets,
    facilitates,
    get_action_to_mark,
    get_invitation_for_token,
    get_membership,
    get_par_cycle,
    get_session,
    get_set_for_facilitator,
    get_set_for_member,
    member_sets,
)


def _create_form(request, data=None):
    organisations = organisations_for(request.user, Role.FACILITATOR)
    versions = latest_versions(frameworks_for(request.user))
    return CreateSetForm(data, organisations=organisations, versions=versions,
                         initial=preselected_framework(organisations, versions))


def _index(request, form, status=200):
    return render(request, "sets/index.html", {
        "facilitated": facilitated_sets(request.user), "joined": member_sets(request.user),
        "is_facilitator": organisations_for(request.user, Role.FACILITATOR).exists(), "form": form,
    }, status=status)


@login_required
def index(request):
    if request.method == "POST":
        form = _create_form(request, request.POST)
        if form.is_valid():
            try:
                learning_set = actions.create_set(
                    request.user, form.cleaned_data["organisation"], form.cleaned_data["name"],
                    form.cleaned_data["framework"],
                )
            except actions.NotAllowed as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(request, f"The set “{learning_set.name}” is ready. Invite its leaders.")
                return redirect("sets:detail", pk=learning_set.pk)
        return _index(request, form, status=400)
    return _index(request, _create_form(request))


def _detail(request, learning_set, member, *, invite_form=None, cycle_form=None, status=200):
    is_facilitator = facilitates(request.user, learning_set)
    context = {
        "set": learning_set, "member": member, "is_facilitator": is_facilitator,
        "members": learning_set.active_members(), "current": learning_set.current_cycle(),
        "cycles": learning_set.cycles.order_by("number"), "k": MIN_K,
        "shared_entries": sharing.entries_shared_with(learning_set),
    }
    if is_facilitator:
        context["pending"] = learning_set.invitations.filter(accepted_at__isnull=True)
        context["invite_form"] = invite_form or InviteForm(prefix="invite")
        context["cycle_form"] = cycle_form or ParCycleForm(prefix="cycle", version=learning_set.framework_version)
        context["form"] = invite_form if invite_form and invite_form.errors else cycle_form
    if member:
        context["sharing_form"] = SharingForm(initial={"share_scores": member.share_scores})
        context["own_entries"] = sharing.own_entries(request.user)
    return render(request, "sets/detail.html", context, status=status)


@login_required
def detail(request, pk):
    learning_set, member = get_set_for_member(request.user, pk)
    return _detail(request, learning_set, member)


@login_required
@require_POST
def invite(request, pk):
    learning_set = get_set_for_facilitator(request.user, pk)
    form = InviteForm(request.POST, prefix="invite")
    if form.is_valid():
        try:
            actions.invite(learning_set, form.cleaned_data["email"])
        except actions.NotAllowed as problem:
            form.add_error("email", str(problem))
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("sets:detail", pk=pk)
    return _detail(request, learning_set, None, invite_form=form, status=400)


@login_required
@require_POST
def start_par_cycle(request, pk):
    learning_set = get_set_for_facilitator(request.user, pk)
    form = ParCycleForm(request.POST, prefix="cycle", version=learning_set.framework_version)
    if form.is_valid():
        try:
            cycle = actions.start_par_cycle(learning_set, form.cleaned_data["focus"], form.cleaned_data["processes"])
        except actions.NotAllowed as problem:
            form.add_error(None, str(problem))
        else:
            return redirect("sets:par_cycle", pk=pk, number=cycle.number)
    return _detail(request, learning_set, None, cycle_form=form, status=400)


@login_required
@require_POST
def sharing_choice(request, pk):
    learning_set, member = get_membership(request.user, pk)
    form = SharingForm(request.POST)
    form.is_valid()
    share = bool(form.cleaned_data.get("share_scores"))
    actions.set_share_scores(member, share)
    audit.record(request, "set-consent-changed", learning_set, share_scores=share)
    messages.success(request, "Your choice is saved.")
    return redirect("sets:detail", pk=pk)


@login_required
@require_POST
def share_journal(request, pk):
    learning_set, member = get_membership(request.user, pk)
    share = request.POST.get("share") == "yes"
    entry = _int(request.POST.get("entry"))
    try:
        actions.share_journal_entry(member, entry, share)
    except actions.NotAllowed as problem:
        messages.error(request, str(problem))
    else:
        audit.record(request, "journal-entry-shared" if share else "journal-entry-unshared", learning_set,
                     journal_entry=entry)
        messages.success(request, "Shared with the set." if share else "No longer shared with the set.")
    return redirect("sets:detail", pk=pk)


@login_required
@require_POST
def leave(request, pk):
    learning_set, member = get_membership(request.user, pk)
    actions.leave(member)
    audit.record(request, "set-left", learning_set)
    messages.success(request, f"You have left “{learning_set.name}”.")
    return redirect("sets:list")


# --- a cycle -------------------------------------------------------------------------------

def _cycle_forms(learning_set, cycle, post=None, which=None):
    version = learning_set.framework_version
    def bound(name):
        return post if which == name else None
    return {
        "session_form": SessionForm(bound("session"), prefix="session"),
        "action_form": ActionForm(bound("action"), prefix="action", members=learning_set.active_members()),
        "observation_form": ObservationForm(bound("observation"), prefix="observation", version=version),
        "close_form": CloseForm(bound("close"), prefix="close", version=version),
    }


@login_required
def par_cycle(request, pk, number):
    learning_set, member = get_set_for_member(request.user, pk)
    cycle = get_par_cycle(learning_set, number)
    which = request.POST.get("do") if request.method == "POST" else None
    if which:
        check_may_post(request.user, learning_set, member, which)
    is_facilitator = facilitates(request.user, learning_set)
    forms = _cycle_forms(learning_set, cycle, request.POST, which)
    error = None
    if which:
        try:
            done = _cycle_post(request, learning_set, cycle, member, which, forms)
        except actions.NotAllowed as problem:
            error = str(problem)
        else:
            if done:
                messages.success(request, done)
                return redirect("sets:par_cycle", pk=pk, number=number)
    bound = forms.get(f"{which}_form") if which else None
    context = presenters.par_cycle_context(learning_set, cycle, member, is_facilitator=is_facilitator, forms=forms,
                                           error=error, bound=bound)
    return render(request, "sets/par_cycle.html", context,
                  status=400 if error or (bound is not None and bound.errors) else 200)


def _cycle_post(request, learning_set, cycle, member, which, forms) -> str | None:
    """Carry out one form's action; the success message, or None when the form is invalid."""
    if which == "advance":
        cycle = actions.advance(cycle)
        return f"The cycle has moved to {cycle.get_stage_display().lower()}."
    if which in ("notes", "done"):
        return _item_post(request, cycle, member, which)
    form = forms.get(f"{which}_form")
    if form is None:
        raise Http404("No such form.")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    if which == "close":
        actions.close_par_cycle(cycle, what_changed=data["what_changed"], what_learnt=data["what_learnt"],
                      processes_bore_on=data["processes_bore_on"])
        return "The cycle is closed and its reflection is part of the set's story."
    if which == "session":
        actions.add_session(cycle, date=data["date"], agenda=data["agenda"], notes=data["notes"])
        return "Session added."
    if which == "action":
        actions.add_action(cycle, owner=data["owner"], text=data["text"], due=data["due"])
        return "Action added."
    actions.add_observation(cycle, author=member, date=data["date"], text=data["text"],
                            process_ids=data["processes"])
    return "Observation added."


def _item_post(request, cycle, member, which) -> str:
    if which == "notes":
        session = get_session(cycle, _int(request.POST.get("session")))
        form = NotesForm(request.POST)
        form.is_valid()
        actions.update_session_notes(session, form.cleaned_data.get("notes", ""))
        return "Notes saved."
    action = get_action_to_mark(request.user, cycle, member, _int(request.POST.get("action")))
    done = request.POST.get("done") == "yes"
    actions.set_action_done(action, done, by_member=member)
    return "Action marked as done." if done else "Action marked as not done."


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- the story, the cohort, exports, joining ------------------------------------------------

@login_required
def story(request, pk):
    learning_set, member = get_set_for_member(request.user, pk)
    return render(request, "sets/story.html", {"set": learning_set, "story": export.story(learning_set)})


@login_required
def cohort_view(request, pk):
    """What has been released to the facilitator (a read); releasing is the POST below."""
    learning_set = get_set_for_facilitator(request.user, pk)
    audit.record(request, "cohort-viewed", learning_set)
    return render(request, "sets/cohort.html", {"set": learning_set, "cohort": cohort.current(learning_set)})


@login_required
@require_POST
def cohort_release(request, pk):
    learning_set = get_set_for_facilitator(request.user, pk)
    actions.release_cohort(learning_set)
    audit.record(request, "cohort-released", learning_set)
    messages.success(request, "The cohort view is released: every figure the anonymity audit allows is up to date.")
    return redirect("sets:cohort", pk=pk)


@login_required
def export_record(request, pk, fmt):
    """The record as Markdown (made at once), or the PDF's address: a read that opens the
    PDF this reader already made of the record as it is now, or offers to make it (a job,
    `prepare_record_pdf`)."""
    learning_set, member = get_set_for_member(request.user, pk)
    if fmt not in ("md", "pdf"):
        raise Http404("No such format.")
    if fmt == "pdf":
        return pdf_page(request, key=actions.record_pdf_key(learning_set, request.user),
                        title=f"The record of “{learning_set.name}” as a PDF",
                        action=reverse("sets:prepare_record_pdf", args=[learning_set.pk]),
                        back_url=reverse("sets:story", args=[learning_set.pk]), back_text="Back to the set's story")
    audit.record(request, "set-record-exported", learning_set, format=fmt)
    response = HttpResponse(export.markdown(learning_set), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(learning_set, fmt)}"'
    return response


@login_required
@require_POST
def prepare_record_pdf(request, pk):
    """The PDF is laid out by a worker; its progress page links to it when ready."""
    learning_set, _ = get_set_for_member(request.user, pk)
    return redirect("jobs:progress", job_id=actions.prepare_record_pdf(learning_set, request.user).pk)


def join(request, token):
    invitation = get_invitation_for_token(token)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    learning_set = invitation.learning_set
    error = None
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            try:
                actions.accept_invitation(invitation, request.user, consent=True,
                                          share_scores=form.cleaned_data["share_scores"])
            except actions.NotAllowed as problem:
                error = str(problem)
            else:
                audit.record(request, "set-joined", learning_set, consented=True,
                             share_scores=form.cleaned_data["share_scores"])
                messages.success(request, f"You have joined “{learning_set.name}”.")
                return redirect("sets:detail", pk=learning_set.pk)
    else:
        form = JoinForm()
    if invitation.accepted_at and not error:
        error = "This invitation has already been used."
    return render(request, "sets/join.html", {
        "invitation": invitation, "set": learning_set, "form": form, "error": error, "k": MIN_K,
    }, status=400 if error or form.errors else 200)
