"""Writes for action-learning sets and their PAR cycles; each function is one transaction
and refuses with NotAllowed (a message saying why) rather than saving part of its input."""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from flourish.accounts.models import Membership, Role
from flourish.core.actions import NotAllowed, required
from flourish.core.tokens import hash_token
from flourish.jobs.mail import queue_mail
from flourish.lib.disclosure import MIN_K

from .models import (
    NEXT_STAGE,
    LearningSet,
    Observation,
    ParCycle,
    Session,
    SetAction,
    SetInvitation,
    SetMember,
    Stage,
)


def _check_processes(learning_set, process_ids) -> list[str]:
    known = [p["id"] for p in learning_set.framework_version.processes]
    unknown = [pid for pid in process_ids if pid not in known]
    if unknown:
        raise NotAllowed(f"Unknown process(es): {', '.join(unknown)}")
    return [pid for pid in known if pid in process_ids]


# --- sets and membership -------------------------------------------------------------------

@transaction.atomic
def create_set(facilitator, organisation, name: str, framework_version) -> LearningSet:
    if not Membership.objects.filter(user=facilitator, organisation=organisation, role=Role.FACILITATOR).exists():
        raise NotAllowed("Only a facilitator of this organisation can start a set here.")
    return LearningSet.objects.create(
        name=required(name, "a name for the set"), facilitator=facilitator,
        organisation=organisation, framework_version=framework_version,
    )


def join_url(token: str) -> str:
    return settings.SITE_URL + reverse("sets:join", args=[token])


@transaction.atomic
def invite(learning_set, email: str) -> str:
    """Invite a leader by email; returns the raw token (only its hash is stored)."""
    email = required(email, "an email address").lower()
    if learning_set.active_members().filter(user__email__iexact=email).exists():
        raise NotAllowed(f"{email} is already a member of this set.")
    token = SetInvitation.new_token()
    invitation = learning_set.invitations.filter(email=email, accepted_at__isnull=True).first()
    if invitation:  # a fresh link replaces the unused one
        invitation.token_hash = hash_token(token)
        invitation.invited_at = timezone.now()
        invitation.save(update_fields=["token_hash", "invited_at"])
    else:
        invitation = SetInvitation.objects.create(learning_set=learning_set, email=email, token_hash=hash_token(token))
    body = render_to_string("sets/email/invitation.txt", {
        "set": learning_set, "url": join_url(token), "k": MIN_K,
    })
    subject = f"{learning_set.facilitator.display_name} invites you to the action-learning set “{learning_set.name}”"
    queue_mail("sets.invitation", f"set-invitation:{invitation.pk}", email, subject, body)
    return token


@transaction.atomic
def accept_invitation(invitation, user, *, consent: bool, share_scores: bool) -> SetMember:
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    invitation = SetInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise NotAllowed("This invitation has already been used.")
    if invitation.email.lower() != user.email.lower():
        raise NotAllowed(
            f"This invitation was sent to another email address. Sign in as {invitation.email} to accept it."
        )
    if not Membership.objects.filter(user=user, role=Role.LEADER).exists():
        raise NotAllowed("Sets are for leaders: your account does not have the leader role.")
    if not consent:
        raise NotAllowed("Confirm that you understand and agree to what the facilitator will see.")
    now = timezone.now()
    member, created = SetMember.objects.get_or_create(
        learning_set=invitation.learning_set, user=user,
        defaults={"joined_at": now, "consented_at": now, "share_scores": share_scores},
    )
    if not created:  # someone who left and is invited back consents again
        member.joined_at, member.consented_at, member.left_at = now, now, None
        member.share_scores = share_scores
        member.save()
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    return member


@transaction.atomic
def set_share_scores(member, share: bool) -> SetMember:
    member.share_scores = share
    member.save(update_fields=["share_scores"])
    return member


@transaction.atomic
def leave(member) -> SetMember:
    member.left_at = timezone.now()
    member.share_scores = False
    member.save(update_fields=["left_at", "share_scores"])
    return member


# --- PAR cycles ----------------------------------------------------------------------------

def _lock(cycle) -> ParCycle:
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    return ParCycle.objects.select_for_update().select_related("learning_set__framework_version").get(pk=cycle.pk)


def _open(cycle) -> ParCycle:
    locked = _lock(cycle)
    if locked.is_closed:
        raise NotAllowed("This cycle is closed; its record no longer changes.")
    return locked


@transaction.atomic
def start_par_cycle(learning_set, focus: str, process_ids: list[str]) -> ParCycle:
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    learning_set = LearningSet.objects.select_for_update().get(pk=learning_set.pk)
    if learning_set.current_cycle():
        raise NotAllowed("Close the current cycle before starting the next.")
    focus = required(focus, "the question the cycle will explore")
    processes = _check_processes(learning_set, process_ids)
    if not processes:
        raise NotAllowed("Choose at least one process the cycle touches.")
    number = (learning_set.cycles.aggregate(m=Max("number"))["m"] or 0) + 1
    return ParCycle.objects.create(learning_set=learning_set, number=number, focus=focus, processes=processes)


STAGE_TIMESTAMP = {Stage.ACT: "acting_at", Stage.OBSERVE: "observing_at", Stage.REFLECT: "reflecting_at",
                   Stage.CLOSED: "closed_at"}


@transaction.atomic
def advance(cycle) -> ParCycle:
    """plan → act → observe → reflect. Closing goes through `close_par_cycle()` with the reflection."""
    locked = _open(cycle)
    if locked.stage == Stage.REFLECT:
        raise NotAllowed("Write the closing reflection to close the cycle.")
    locked.stage = NEXT_STAGE[locked.stage]
    field = STAGE_TIMESTAMP[locked.stage]
    setattr(locked, field, timezone.now())
    locked.save(update_fields=["stage", field])
    return locked


@transaction.atomic
def close_par_cycle(cycle, *, what_changed: str, what_learnt: str, processes_bore_on: list[str]) -> ParCycle:
    locked = _open(cycle)
    if locked.stage != Stage.REFLECT:
        raise NotAllowed("A cycle closes from the reflect stage.")
    locked.what_changed = required(what_changed, "what changed")
    locked.what_learnt = required(what_learnt, "what the set learnt")
    locked.processes_bore_on = _check_processes(locked.learning_set, processes_bore_on)
    locked.stage, locked.closed_at = Stage.CLOSED, timezone.now()
    locked.save()
    return locked


@transaction.atomic
def add_session(cycle, *, date, agenda: str, notes: str = "") -> Session:
    locked = _open(cycle)
    if date is None:
        raise NotAllowed("Enter the date of the session.")
    return Session.objects.create(cycle=locked, date=date, agenda=required(agenda, "the agenda"),
                                  notes=(notes or "").strip())


@transaction.atomic
def update_session_notes(session, notes: str) -> Session:
    _open(session.cycle)
    session.notes = (notes or "").strip()
    session.save(update_fields=["notes"])
    return session


@transaction.atomic
def add_action(cycle, *, owner, text: str, due=None) -> SetAction:
    locked = _open(cycle)
    if owner.learning_set_id != locked.learning_set_id or not owner.is_active:
        raise NotAllowed("An action's owner must be a member of this set.")
    return SetAction.objects.create(cycle=locked, owner=owner, text=required(text, "the action"), due=due)


@transaction.atomic
def set_action_done(action, done: bool, *, by_member=None) -> SetAction:
    """Mark an action done or not; a member may change only their own (the facilitator any)."""
    if by_member is not None and action.owner_id != by_member.pk:
        raise NotAllowed("You can only update your own actions.")
    _open(action.cycle)
    action.done = done
    action.done_at = timezone.now() if done else None
    action.save(update_fields=["done", "done_at"])
    return action


@transaction.atomic
def add_observation(cycle, *, author, date, text: str, process_ids: list[str]) -> Observation:
    locked = _open(cycle)
    if author.learning_set_id != locked.learning_set_id or not author.is_active:
        raise NotAllowed("Only members of this set can add observations.")
    if date is None:
        raise NotAllowed("Enter the date of the observation.")
    return Observation.objects.create(
        cycle=locked, author=author, date=date, text=required(text, "what you observed"),
        processes=_check_processes(locked.learning_set, process_ids),
    )


@transaction.atomic
def share_journal_entry(member, entry_id, share: bool):
    """Share (or stop sharing) one of the member's own journal entries with the set."""
    from . import sharing

    return sharing.share_entry(member, entry_id, share)


@transaction.atomic
def release_cohort(learning_set):
    """Release the cohort view to the set's facilitator: every figure the joint audit over
    all their earlier releases allows is recorded in the disclosure ledger (cohort.py)."""
    from . import cohort

    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    LearningSet.objects.select_for_update().get(pk=learning_set.pk)  # one release at a time
    return cohort.release(learning_set)


# --- the record as a PDF (laid out by a worker: flourish/sets/jobs.py) ---------------------

RECORD_PDF_JOB = "sets.record_pdf"


def record_pdf_key(learning_set, user) -> str:
    """One job per reader and per version of the record (its printed content's digest):
    asking again for an unchanged record returns the PDF already made; anything new in the
    set makes a new one."""
    import hashlib

    from .export import print_html

    digest = hashlib.sha256(print_html(learning_set).encode()).hexdigest()[:24]
    return f"{RECORD_PDF_JOB}:{learning_set.pk}:{user.pk}:{digest}"


@transaction.atomic
def prepare_record_pdf(learning_set, user):
    from flourish.jobs import actions as jobs_actions

    return jobs_actions.enqueue(RECORD_PDF_JOB, key=record_pdf_key(learning_set, user), owner=user,
                                label=f"The record of “{learning_set.name}” as a PDF",
                                args={"set_id": learning_set.pk})
