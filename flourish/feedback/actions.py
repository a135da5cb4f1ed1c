"""Writes for 360° cycles. Each public function is one transaction and refuses, with a
message, anything the cycle's state does not allow."""

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from flourish.accounts.models import Membership, Organisation, Role, User
from flourish.core.actions import NotAllowed
from flourish.disclosure import keys
from flourish.jobs import mail as jobs_mail
from flourish.jobs import selectors as jobs_selectors
from flourish.lib import live
from flourish.lib.disclosure import MIN_K
from flourish.selfassess import actions as self_actions
from flourish.selfassess.models import SelfAssessment

from . import disclosures, nominations, reporting
from .models import Cycle, Rater, RaterLink, Relationship, Response, Status


def _lock(cycle) -> Cycle:
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    return Cycle.objects.select_for_update().get(pk=cycle.pk)


def may_approve(user, organisation) -> bool:
    """A facilitator or an organisation admin of the cycle's organisation."""
    return user.memberships.filter(organisation=organisation, role__in=[Role.FACILITATOR, Role.ADMIN]).exists()


@transaction.atomic
def create_cycle(leader, organisation, framework_version, title, closes_on, approver=None) -> Cycle:
    if closes_on <= timezone.localdate():
        raise NotAllowed("The closing date must be in the future.")
    if approver is None and organisation.rater_lists_need_approval:
        raise NotAllowed(f"{organisation.name} asks for every list of people to be approved: "
                         "choose a facilitator or organisation admin to approve it.")
    if approver is not None:
        if approver.pk == leader.pk:
            raise NotAllowed("The leader cannot approve their own list of people to ask.")
        if not may_approve(approver, organisation):
            raise NotAllowed(f"{approver.display_name} is not a facilitator or organisation admin "
                             f"at {organisation.name}.")
    own = self_actions.own_part_of_a_round(leader, organisation, framework_version)
    return Cycle.objects.create(
        leader=leader, organisation=organisation, framework_version=framework_version,
        title=title, closes_on=closes_on, approver=approver, self_assessment=own,
        min_comments=_comment_minimum(organisation),
    )


def _comment_minimum(organisation) -> int:
    """The organisation admin's comment minimum (never below k), or k."""
    from flourish.orgadmin.models import OrganisationSettings

    chosen = (OrganisationSettings.objects.filter(organisation=organisation)
              .values_list("comment_minimum", flat=True).first())
    return max(MIN_K, chosen or MIN_K)


def _check_rater_fields(cycle, name, email, profession, relationship):
    problems = []
    if not name.strip():
        problems.append("name is missing")
    if not email.strip():
        problems.append("email is missing")
    if profession not in cycle.professional_groups:
        problems.append(f"professional group {profession!r} is not one of: " + ", ".join(cycle.professional_groups))
    if relationship not in Relationship.values:
        problems.append(f"relationship {relationship!r} is not one of: " + ", ".join(Relationship.values))
    return problems


def _address_problems(cycle, email) -> list[str]:
    """The leader's own addresses, and a second address for the same mailbox, are refused
    (compared as `nominations.mailbox` normalises them)."""
    if nominations.mailbox(email) in {nominations.mailbox(a) for a in cycle.leader.addresses()}:
        return [f"{email} is an address of {cycle.leader.display_name}, the leader receiving the feedback: "
                "feedback must come from other people"]
    on_list = {nominations.mailbox(e): e for e in cycle.raters.values_list("email", flat=True) if e}
    same = nominations.same_mailbox_as(email, on_list)
    if same is not None:
        return [f"{email} is already on the list" + ("" if same == email else f" (as {same})")]
    return []


@transaction.atomic
def nominate(cycle, *, name, email, profession, employer="", relationship, by=None) -> Rater:
    """Add a person to ask. With an approver on the cycle, everyone the leader (or an
    organisation admin) adds waits for the approver — also after the invitations went;
    people the approver adds themselves are approved by adding them."""
    cycle = _lock(cycle)
    if cycle.is_closed:
        raise NotAllowed("This cycle is closed; no one else can be asked.")
    email = email.strip().lower()
    problems = _check_rater_fields(cycle, name, email, profession, relationship)
    if email:
        problems += _address_problems(cycle, email)
    if problems:
        message = "; ".join(problems)
        raise NotAllowed(message[0].upper() + message[1:] + ".")
    by_approver = by is not None and by.pk == cycle.approver_id
    rater = Rater.objects.create(
        cycle=cycle, name=name.strip(), email=email, profession=profession, employer=employer.strip(),
        relationship=relationship, awaiting_approval=cycle.approver_id is not None and not by_approver,
    )
    if cycle.is_open and not rater.awaiting_approval:
        _invite(rater)
    elif cycle.is_open:
        _ask_approver(cycle, additions=True)
    return rater


@transaction.atomic
def nominate_many(cycle, rows: list[dict], by=None) -> list[Rater]:
    """All-or-nothing: any problem in any row and nobody is added (the caller reports it)."""
    return [nominate(cycle, by=by, **row) for row in rows]


@transaction.atomic
def revoke(rater) -> Rater:
    if rater.cycle.is_closed:
        raise NotAllowed("This cycle is closed.")
    rater.revoked_at = timezone.localdate()
    rater.save(update_fields=["revoked_at"])
    return rater


@transaction.atomic
def restore(rater) -> Rater:
    """Undo a withdrawal while the round is not closed: the person's link works again and
    their answers count. (The live table counts everyone ever asked, so withdrawing and
    restoring someone changes nothing it shows.)"""
    if rater.cycle.is_closed:
        raise NotAllowed("This round is closed: a withdrawal can no longer be undone.")
    if rater.revoked_at is None:
        raise NotAllowed(f"{rater.name} has not been withdrawn.")
    rater.revoked_at = None
    rater.save(update_fields=["revoked_at"])
    return rater


@transaction.atomic
def change_closing_date(cycle, closes_on) -> Cycle:
    """Extend (or bring forward) the closing date of a round that has not closed; the
    automatic reminders follow the new date."""
    cycle = _lock(cycle)
    if cycle.is_closed:
        raise NotAllowed("This round is closed: its closing date cannot change.")
    if closes_on <= timezone.localdate():
        raise NotAllowed("The closing date must be in the future. To end the round today, close it now.")
    cycle.closes_on = closes_on
    cycle.save(update_fields=["closes_on"])
    return cycle


def _ask_approver(cycle, additions=False):
    url = settings.SITE_URL + reverse("feedback:approve", args=[cycle.pk])
    _queue_mail(
        "feedback.approval_request", f"cycle:{cycle.pk}", cycle.approver.email,
        f"Please approve {'new people on ' if additions else ''}the feedback list for {cycle.leader.display_name}",
        "feedback/email/approval_request.txt", {"cycle": cycle, "url": url, "additions": additions},
    )


@transaction.atomic
def request_approval(cycle) -> Cycle:
    cycle = _lock(cycle)
    if cycle.status != Status.DRAFT or cycle.approver is None:
        raise NotAllowed("Only a cycle being set up, with someone to approve it, can be sent for approval.")
    if not cycle.raters.filter(revoked_at__isnull=True).exists():
        raise NotAllowed("Add the people you want feedback from first.")
    cycle.status = Status.AWAITING_APPROVAL
    cycle.approval_comment = ""
    cycle.save(update_fields=["status", "approval_comment"])
    _ask_approver(cycle)
    return cycle


def pending_raters(cycle):
    return cycle.raters.filter(revoked_at__isnull=True, awaiting_approval=True)


def _check_approver(cycle, approver):
    if cycle.approver_id != approver.pk:
        raise NotAllowed("This list is not waiting for your approval.")
    waiting = cycle.status == Status.AWAITING_APPROVAL or (cycle.is_open and pending_raters(cycle).exists())
    if not waiting:
        raise NotAllowed("This list is not waiting for your approval.")


@transaction.atomic
def approve(cycle, approver) -> Cycle:
    """Approve the list (the invitations go), or, on an open cycle, the people added since."""
    cycle = _lock(cycle)
    _check_approver(cycle, approver)
    pending = list(pending_raters(cycle))
    Rater.objects.filter(pk__in=[r.pk for r in pending]).update(awaiting_approval=False)
    cycle.approval_comment = ""
    if cycle.status == Status.AWAITING_APPROVAL:
        cycle.approved_at = timezone.now()
        cycle.save(update_fields=["approved_at", "approval_comment"])
        return _open(cycle)
    cycle.save(update_fields=["approval_comment"])
    for rater in Rater.objects.filter(pk__in=[r.pk for r in pending]):
        _invite(rater)
    return cycle


@transaction.atomic
def return_list(cycle, approver, comment: str) -> Cycle:
    """Send the list back with a comment: a list being set up goes back to the leader to
    change; on an open cycle the people waiting for approval are not asked."""
    cycle = _lock(cycle)
    _check_approver(cycle, approver)
    comment = (comment or "").strip()
    if not comment:
        raise NotAllowed("Say what the leader should change.")
    cycle.approval_comment = comment[:2000]
    if cycle.status == Status.AWAITING_APPROVAL:
        cycle.status = Status.DRAFT
    else:
        pending_raters(cycle).update(revoked_at=timezone.localdate(), awaiting_approval=False)
    cycle.save(update_fields=["status", "approval_comment"])
    return cycle


@transaction.atomic
def send_invitations(cycle) -> Cycle:
    cycle = _lock(cycle)
    if cycle.status != Status.DRAFT:
        raise NotAllowed("Invitations for this cycle have already gone, or it is waiting for approval.")
    if cycle.approver is not None or cycle.organisation.rater_lists_need_approval:
        raise NotAllowed("This cycle needs its list approved before invitations go: send it for approval.")
    if not cycle.raters.filter(revoked_at__isnull=True).exists():
        raise NotAllowed("Add the people you want feedback from first.")
    return _open(cycle)


def _open(cycle) -> Cycle:
    cycle.status = Status.OPEN
    cycle.opened_at = timezone.now()
    cycle.save(update_fields=["status", "opened_at"])
    for rater in cycle.raters.filter(revoked_at__isnull=True, invited_at__isnull=True, awaiting_approval=False):
        _invite(rater)
    return cycle


def rater_url(token: str) -> str:
    return settings.SITE_URL + reverse("rate:start", args=[token])


def _invite(rater, reminder=False, now=None):
    token = RaterLink.issue(rater)
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    if reminder:
        rater.reminded_at = today
        rater.save(update_fields=["reminded_at"])
    else:
        rater.invited_at = today
        rater.save(update_fields=["invited_at"])
    cycle = rater.cycle
    subject = (
        f"Reminder: feedback for {cycle.leader.display_name} closes on {cycle.closes_on:%-d %B}"
        if reminder else f"{cycle.leader.display_name} would value your feedback"
    )
    purpose = REMINDER if reminder else INVITATION
    _queue_mail(purpose, rater_key(rater), rater.email, subject, "feedback/email/invitation.txt", {
        "rater": rater, "cycle": cycle, "url": rater_url(token), "reminder": reminder,
        "minutes": questionnaire_minutes(cycle.framework_version),
    })


def questionnaire_minutes(version) -> int:
    """About 20 seconds an item, rounded up to whole minutes."""
    return max(1, -(-version.item_count * 20 // 60))


INVITATION, REMINDER = "feedback.invitation", "feedback.reminder"


def rater_key(rater) -> str:
    return f"rater:{rater.pk}"


def _queue_mail(purpose, object_key, to, subject, template, context):
    """Queued in this transaction; a worker sends it (retrying while the mail server is
    down), so the rater shows "Sent" only once the server accepted it."""
    from flourish.orgadmin.mail import sender_for

    cycle = context.get("cycle")
    sender = sender_for(cycle.organisation) if cycle is not None else ""
    jobs_mail.queue_mail(purpose, object_key, to, subject, render_to_string(template, context), from_email=sender)


def _live_rater_keys(cycle) -> list[str]:
    return [rater_key(r) for r in cycle.raters.filter(revoked_at__isnull=True)]


def delivery_problem(cycle):
    """For the leader: how many invitations the mail server has not accepted yet, and why.

    Reminders are left out on purpose: they go only to people who have not answered, so a
    count of stuck reminders would tell the leader how many have not answered (with one
    person asked, whether that person has). The queue retries them with its own backoff."""
    return jobs_selectors.delivery_problem([INVITATION], _live_rater_keys(cycle))


@transaction.atomic
def resend_undelivered(cycle) -> int:
    """Try every invitation of this cycle not yet accepted by the mail server again now."""
    return jobs_mail.resend(jobs_selectors.undelivered([INVITATION], _live_rater_keys(cycle)))


def waiting_raters(cycle):
    return cycle.raters.filter(revoked_at__isnull=True, invited_at__isnull=False).exclude(
        response__submitted_at__isnull=False
    )


@transaction.atomic
def remind(cycle) -> int:
    """Remind everyone invited who has not submitted. Returns how many were reminded, for
    the scheduler's log: the leader is never shown it (a count of people who have not
    answered would tell them, with one person asked, whether that person answered)."""
    cycle = _lock(cycle)
    if not cycle.is_open:
        raise NotAllowed("Reminders go only while the cycle is open.")
    today = timezone.localdate()
    if cycle.reminded_on == today:
        raise NotAllowed("Reminders already went today. You can send more tomorrow; the automatic ones "
                         "also go a week and two days before the closing date.")
    cycle.reminded_on = today
    cycle.save(update_fields=["reminded_on"])
    waiting = list(waiting_raters(cycle))
    for rater in waiting:
        _invite(rater, reminder=True)
    return len(waiting)


# --- a rater's answers -------------------------------------------------------------


def _rater_can_answer(rater):
    cycle = rater.cycle
    if rater.revoked_at is not None:
        raise NotAllowed("This link has been withdrawn.")
    if not cycle.is_open or cycle.is_past_closing_date:
        raise NotAllowed("This feedback has closed.")


def _answers_of(rater) -> Response:
    answers, _ = Response.objects.get_or_create(rater=rater, defaults={
        "cycle": rater.cycle, "profession": rater.profession, "relationship": rater.relationship,
    })
    return answers


def asks_line_manager_consent(rater) -> bool:
    """Only a line manager, and only where the organisation shows line managers apart."""
    return rater.relationship == Relationship.LINE_MANAGER and rater.cycle.organisation.show_line_manager_separately


@transaction.atomic
def save_page(rater, process_id: str, answers: dict, comment: str | None) -> Response:
    """Save one process's answers as a draft. Saving the same page twice gives the same
    result, so retries, two tabs and the back button cannot duplicate anything."""
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    rater = Rater.objects.select_for_update().select_related("cycle__framework_version").get(pk=rater.pk)
    _rater_can_answer(rater)
    process = rater.cycle.framework_version.process(process_id)
    if process is None:
        raise NotAllowed(f"There is no process {process_id!r}.")
    item_ids = {item["id"] for item in process["items"]}
    for item_id, value in answers.items():
        if item_id not in item_ids:
            raise NotAllowed(f"Unknown question {item_id!r}.")
        if value is not None and value not in (1, 2, 3, 4, 5):
            raise NotAllowed("Each answer must be 1 to 5, or not able to observe.")
    rater_answers = _answers_of(rater)
    rater_answers.answers.update(answers)
    if comment is not None:
        comment = comment.strip()[:2000]
        if comment:
            rater_answers.comments[process_id] = comment
        else:
            rater_answers.comments.pop(process_id, None)
    rater_answers.save(update_fields=["answers", "comments"])
    return rater_answers


@transaction.atomic
def submit(rater, line_manager_consented: bool = False) -> Response:
    """Count the answers. Idempotent: submitting again keeps one set of answers (and
    updates the line manager's choice, which they may change until close)."""
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    rater = Rater.objects.select_for_update().select_related("cycle").get(pk=rater.pk)
    _rater_can_answer(rater)
    cycle = _lock(rater.cycle)
    rater_answers = _answers_of(rater)
    rater_answers.line_manager_consented = bool(line_manager_consented) and asks_line_manager_consent(rater)
    first_time = rater_answers.submitted_at is None
    if first_time:
        rater_answers.submitted_at = timezone.localdate()
    rater_answers.save(update_fields=["submitted_at", "line_manager_consented"])
    if first_time:
        _update_live_milestone(cycle, rater.profession)
    return rater_answers


def _update_live_milestone(cycle, group):
    """At an answer — and only then — decide whether its group's milestone goes up
    (`flourish.lib.live`)."""
    if group in cycle.live_milestones:
        return
    asked = list(cycle.raters.filter(profession=group, invited_at__isnull=False))
    if live.milestone_reached(
        asked_ever=len(asked),
        still_asked=sum(1 for r in asked if r.revoked_at is None),
        # Answers from withdrawn links still count here, so a withdrawal moves nothing.
        answered=Response.objects.filter(cycle=cycle, profession=group, submitted_at__isnull=False).count(),
        k=cycle.min_k,
    ) and disclosures.show_milestone(cycle, group, asked):
        cycle.live_milestones = [*cycle.live_milestones, group]
        cycle.save(update_fields=["live_milestones"])


@transaction.atomic
def withdraw_answers(rater) -> None:
    """A rater deletes their own answers (drafts too) from their link, before close."""
    rater = Rater.objects.select_for_update().select_related("cycle").get(pk=rater.pk)
    _rater_can_answer(rater)
    deleted, _ = Response.objects.filter(rater=rater).delete()
    if not deleted:
        raise NotAllowed("There are no answers from this link to delete.")


# --- closing and the report --------------------------------------------------------


def _sever(cycle) -> None:
    """Cut every link between answers and named raters, once the report is built.

    Deleted: drafts never sent and answers from withdrawn links (they never count).
    Kept: the counted answers, stored again in a random order (row numbers would
    otherwise follow the order people first answered) with `rater` empty, so only their
    group labels remain. Raters keep their names and invitation dates (the leader's
    record of whom they asked) but not their reminder dates, which said who had not
    answered by then. The answers, not the names, are what the report and the research
    export need."""
    kept = Response.objects.filter(cycle=cycle, submitted_at__isnull=False).filter(
        Q(rater__isnull=True) | Q(rater__revoked_at__isnull=True)
    )
    rows = [
        Response(
            cycle=cycle, profession=r.profession, relationship=r.relationship, answers=r.answers,
            comments=r.comments, submitted_at=r.submitted_at, research_consent=r.research_consent,
            line_manager_consented=r.line_manager_consented,
        )
        for r in kept
    ]
    Response.objects.filter(cycle=cycle).delete()
    random.SystemRandom().shuffle(rows)
    Response.objects.bulk_create(rows)
    cycle.raters.update(reminded_at=None)
    # A reminder's record says that its rater had not answered by then: it goes too.
    jobs_mail.forget(REMINDER, [rater_key(r) for r in cycle.raters.all()])


@transaction.atomic
def close(cycle) -> Cycle:
    """Close the cycle and, if at least k others responded, release its report: built
    once, stored, never rebuilt. Later answers are refused by `_rater_can_answer`. Then
    the answers are severed from their raters (`_sever`). (The leader's "Close" button
    uses `close_in_background`: the same, with the report built by a worker.)"""
    cycle = _mark_closed(cycle)
    return release_report(cycle)


def _mark_closed(cycle) -> Cycle:
    cycle = _lock(cycle)
    if cycle.is_closed:
        return cycle
    if cycle.status not in (Status.OPEN,):
        raise NotAllowed("Only an open cycle can close.")
    cycle.status = Status.CLOSED
    cycle.closed_at = timezone.now()
    cycle.save(update_fields=["status", "closed_at"])
    return cycle


REPORT_JOB = "feedback.release_report"


def report_job_key(cycle) -> str:
    return f"{REPORT_JOB}:{cycle.pk}"


@transaction.atomic
def close_in_background(cycle, user):
    """Close now (no answer counts from this moment) and queue the report's building;
    returns the job, whose page shows its progress."""
    from flourish.jobs import actions as jobs_actions

    cycle = _mark_closed(cycle)
    return jobs_actions.enqueue(REPORT_JOB, key=report_job_key(cycle), owner=user,
                                label=f"Closing “{cycle.title}” and preparing its report", args={"cycle_id": cycle.pk})


def report_pdf_key(cycle, user) -> str:
    """One PDF job per reader and per look of the report: the report never changes once
    released, but the organisation's name and logo on it may (then the PDF is made anew)."""
    import hashlib

    from .presenters import branding

    shown = branding(cycle)
    digest = hashlib.sha256(f"{shown.name}\n{shown.logo_data_uri or ''}".encode()).hexdigest()[:16]
    return f"feedback.report_pdf:{cycle.pk}:{user.pk}:{digest}"


@transaction.atomic
def prepare_report_pdf(cycle, user):
    """Queue the released report's PDF for this reader (asking again returns the PDF
    already made)."""
    from flourish.jobs import actions as jobs_actions

    if not cycle.is_released:
        raise NotAllowed("The report is not released yet.")
    return jobs_actions.enqueue("feedback.report_pdf", key=report_pdf_key(cycle, user), owner=user,
                                label=f"The PDF of the report on “{cycle.title}”", args={"cycle_id": cycle.pk})


@transaction.atomic
def release_report(cycle) -> Cycle:
    """Build and store a closed cycle's report, if enough people answered. Idempotent:
    a report already built is never rebuilt (a job run twice releases it once)."""
    cycle = _lock(cycle)
    if cycle.status != Status.CLOSED or cycle.report is not None or cycle.released_at is not None:
        return cycle
    # Severed first: the report's figures are recorded in the ledger over the severed
    # answers' pseudonyms (the ones a research export names), and severing keeps exactly
    # the answers the report counts.
    _sever(cycle)
    if reporting.enough_responses(cycle):
        report, figures, allowed = reporting.build_with_equations(cycle)
        # Each reader's joint audit. The report's respondents are fresh pseudonyms, so it
        # holds unless something else shown to that reader names them; if it fails for the
        # leader the report is held, for someone it was shared with the share is undone.
        if disclosures.show_report(cycle, keys.person(cycle.leader_id), figures, allowed):
            for reader in list(cycle.shared_with.all()):
                if not disclosures.show_report(cycle, keys.person(reader.pk), figures, allowed):
                    cycle.shared_with.remove(reader)
            cycle.report = report
            cycle.released_at = cycle.closed_at
            cycle.save(update_fields=["report", "released_at"])
    return cycle


@transaction.atomic
def import_closed_cycle(*, leader_email: str, organisation_name: str, version, title: str,
                        own_answers: dict | None, others: list[tuple[str, str, dict, dict]],
                        groups: list[str]) -> Cycle:
    """A completed cycle from another source (checked by `importing.parse_responses`):
    created open with its answers — which never had named raters — and closed through
    `close`, so it is released and stored exactly like any other cycle."""
    organisation, _ = Organisation.objects.get_or_create(name=organisation_name)
    leader = User.objects.filter(email__iexact=leader_email).first()
    if leader is None:
        leader = User.objects.create_user(leader_email)  # no password: they reset it to sign in
    Membership.objects.get_or_create(user=leader, organisation=organisation, role=Role.LEADER)
    today = timezone.localdate()
    own = None
    if own_answers is not None:
        own = SelfAssessment.objects.create(
            organisation=organisation, leader=leader, framework_version=version, answers=own_answers,
            completed=timezone.now(),
        )
    cycle = Cycle.objects.create(
        organisation=organisation, leader=leader, framework_version=version, title=title, closes_on=today,
        status=Status.OPEN, opened_at=timezone.now(), professional_groups=groups, self_assessment=own,
        imported=True,
    )
    Response.objects.bulk_create([
        Response(cycle=cycle, profession=group, relationship=relationship, answers=answers, comments=comments,
                 submitted_at=today)
        for group, relationship, answers, comments in others
    ])
    if not reporting.enough_responses(cycle):
        raise NotAllowed(f"fewer than {cycle.min_k} other respondents; the report could never be released")
    return close(cycle)


@transaction.atomic
def share_report(cycle, user) -> Cycle:
    if user.pk == cycle.leader_id:
        raise NotAllowed("You can already see your own report.")
    if cycle.is_released:
        figures, allowed = reporting.report_figures(cycle)
        if not disclosures.show_report(cycle, keys.person(user.pk), figures, allowed):
            raise NotAllowed(f"The report cannot be shared with {user.email}: together with what they have "
                             "already been shown, it would reveal something about fewer raters than the "
                             "anonymity minimum.")
    cycle.shared_with.add(user)
    return cycle


@transaction.atomic
def unshare_report(cycle, user) -> Cycle:
    cycle.shared_with.remove(user)
    return cycle


# --- the scheduler (flourish feedback tick) ----------------------------------------

REMINDER_DAYS = (7, 2)


def _reminder_due(rater, today) -> bool:
    """Due once in each window (a week before, two days before the closing date),
    whenever the scheduler runs in that window; never on the day of the invitation."""
    days_left = (rater.cycle.closes_on - today).days
    if rater.invited_at is None or rater.invited_at == today:
        return False
    for window in sorted(REMINDER_DAYS):
        if days_left <= window:
            window_start = rater.cycle.closes_on - timedelta(days=window)
            last = rater.reminded_at
            return last is None or last < window_start
    return False


def send_due_reminders(now=None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for cycle in Cycle.objects.filter(status=Status.OPEN, closes_on__gte=today):
        with transaction.atomic():
            for rater in waiting_raters(cycle).select_related("cycle__leader", "cycle__organisation"):
                if _reminder_due(rater, today):
                    _invite(rater, reminder=True, now=now)
                    sent += 1
    return sent


def close_due_cycles(today=None) -> list[Cycle]:
    today = today or timezone.localdate()
    return [close(cycle) for cycle in Cycle.objects.filter(status=Status.OPEN, closes_on__lt=today)]
