"""Writes for 360° cycles. Each public function is one transaction and refuses, with a
message, anything the cycle's state does not allow."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from flourish.core.actions import NotAllowed
from flourish.jobs import mail as jobs_mail
from flourish.jobs import selectors as jobs_selectors
from flourish.selfassess import actions as self_actions

from . import reporting
from .models import Cycle, Rater, RaterLink, Relationship, Response, Status



def _lock(cycle) -> Cycle:
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    return Cycle.objects.select_for_update().get(pk=cycle.pk)


@transaction.atomic
def create_cycle(leader, organisation, framework_version, title, closes_on, approver=None) -> Cycle:
    if closes_on <= timezone.localdate():
        raise NotAllowed("The closing date must be in the future.")
    own = self_actions.start(leader, organisation, framework_version)
    return Cycle.objects.create(
        leader=leader, organisation=organisation, framework_version=framework_version,
        title=title, closes_on=closes_on, approver=approver, self_assessment=own,
    )


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


@transaction.atomic
def nominate(cycle, *, name, email, profession, employer="", relationship, line_manager_informed=False) -> Rater:
    cycle = _lock(cycle)
    if cycle.is_closed:
        raise NotAllowed("This cycle is closed; no one else can be asked.")
    email = email.strip().lower()
    problems = _check_rater_fields(cycle, name, email, profession, relationship)
    if cycle.raters.filter(email=email).exists():
        problems.append(f"{email} is already on the list")
    if problems:
        message = "; ".join(problems)
        raise NotAllowed(message[0].upper() + message[1:] + ".")
    rater = Rater.objects.create(
        cycle=cycle, name=name.strip(), email=email, profession=profession, employer=employer.strip(),
        relationship=relationship,
        line_manager_informed=line_manager_informed and relationship == Relationship.LINE_MANAGER,
    )
    if cycle.is_open:
        _invite(rater)
    return rater


@transaction.atomic
def nominate_many(cycle, rows: list[dict]) -> list[Rater]:
    """All-or-nothing: any problem in any row and nobody is added (the caller reports it)."""
    return [nominate(cycle, **row) for row in rows]


@transaction.atomic
def revoke(rater) -> Rater:
    if rater.cycle.is_closed:
        raise NotAllowed("This cycle is closed.")
    rater.revoked_at = timezone.now()
    rater.save(update_fields=["revoked_at"])
    return rater


@transaction.atomic
def request_approval(cycle) -> Cycle:
    cycle = _lock(cycle)
    if cycle.status != Status.DRAFT or cycle.approver is None:
        raise NotAllowed("Only a cycle being set up, with a facilitator to approve it, can be sent for approval.")
    if not cycle.raters.filter(revoked_at__isnull=True).exists():
        raise NotAllowed("Add the people you want feedback from first.")
    cycle.status = Status.AWAITING_APPROVAL
    cycle.save(update_fields=["status"])
    url = settings.SITE_URL + reverse("feedback:approve", args=[cycle.pk])
    _queue_mail(
        "feedback.approval_request", f"cycle:{cycle.pk}",
        cycle.approver.email, f"Please approve the feedback list for {cycle.leader.display_name}",
        "feedback/email/approval_request.txt", {"cycle": cycle, "url": url},
    )
    return cycle


@transaction.atomic
def approve(cycle, facilitator) -> Cycle:
    cycle = _lock(cycle)
    if cycle.status != Status.AWAITING_APPROVAL or cycle.approver_id != facilitator.pk:
        raise NotAllowed("This list is not waiting for your approval.")
    cycle.approved_at = timezone.now()
    cycle.save(update_fields=["approved_at"])
    return _open(cycle)


@transaction.atomic
def send_invitations(cycle) -> Cycle:
    cycle = _lock(cycle)
    if cycle.status != Status.DRAFT:
        raise NotAllowed("Invitations for this cycle have already gone, or it is waiting for approval.")
    if cycle.approver is not None:
        raise NotAllowed("This cycle needs the facilitator's approval before invitations go.")
    if not cycle.raters.filter(revoked_at__isnull=True).exists():
        raise NotAllowed("Add the people you want feedback from first.")
    return _open(cycle)


def _open(cycle) -> Cycle:
    cycle.status = Status.OPEN
    cycle.opened_at = timezone.now()
    cycle.save(update_fields=["status", "opened_at"])
    for rater in cycle.raters.filter(revoked_at__isnull=True, invited_at__isnull=True):
        _invite(rater)
    return cycle


def rater_url(token: str) -> str:
    return settings.SITE_URL + reverse("rate:start", args=[token])


def _invite(rater, reminder=False, now=None):
    token = RaterLink.issue(rater)
    now = now or timezone.now()
    if reminder:
        rater.reminded_at = now
        rater.save(update_fields=["reminded_at"])
    else:
        rater.invited_at = now
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
    jobs_mail.queue_mail(purpose, object_key, to, subject, render_to_string(template, context))


def _live_rater_keys(cycle) -> list[str]:
    return [rater_key(r) for r in cycle.raters.filter(revoked_at__isnull=True)]


def delivery_problem(cycle):
    """For the leader: how many invitations/reminders the mail server has not accepted yet, and why."""
    return jobs_selectors.delivery_problem([INVITATION, REMINDER], _live_rater_keys(cycle))


@transaction.atomic
def resend_undelivered(cycle) -> int:
    """Try every invitation and reminder of this cycle not yet accepted by the mail server again now."""
    return jobs_mail.resend(jobs_selectors.undelivered([INVITATION, REMINDER], _live_rater_keys(cycle)))


def waiting_raters(cycle):
    return cycle.raters.filter(revoked_at__isnull=True, invited_at__isnull=False).exclude(
        response__submitted_at__isnull=False
    )


@transaction.atomic
def remind(cycle) -> int:
    """Remind everyone invited who has not submitted. Returns how many were reminded
    (the leader sees the number, never the names)."""
    cycle = _lock(cycle)
    if not cycle.is_open:
        raise NotAllowed("Reminders go only while the cycle is open.")
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
    response, _ = Response.objects.get_or_create(rater=rater)
    response.answers.update(answers)
    if comment is not None:
        comment = comment.strip()[:2000]
        if comment:
            response.comments[process_id] = comment
        else:
            response.comments.pop(process_id, None)
    response.save()
    return response


@transaction.atomic
def submit(rater) -> Response:
    """Count the response. Idempotent: submitting again keeps one response."""
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    rater = Rater.objects.select_for_update().select_related("cycle").get(pk=rater.pk)
    _rater_can_answer(rater)
    response, _ = Response.objects.get_or_create(rater=rater)
    if response.submitted_at is None:
        response.submitted_at = timezone.now()
        response.save(update_fields=["submitted_at", "updated"])
    return response


# --- closing and the report --------------------------------------------------------


@transaction.atomic
def close(cycle) -> Cycle:
    """Close the cycle and, if at least k others responded, release its report: built
    once, stored, never rebuilt. Later answers are refused by `_rater_can_answer`.
    (The leader's "Close" button uses `close_in_background`: the same, with the report
    built by a worker.)"""
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


@transaction.atomic
def prepare_report_pdf(cycle, user):
    """Queue the released report's PDF for this reader (one job per reader: the report never
    changes once released, so asking again returns the PDF already made)."""
    from flourish.jobs import actions as jobs_actions

    if not cycle.is_released:
        raise NotAllowed("The report is not released yet.")
    return jobs_actions.enqueue("feedback.report_pdf", key=f"feedback.report_pdf:{cycle.pk}:{user.pk}", owner=user,
                                label=f"The PDF of the report on “{cycle.title}”", args={"cycle_id": cycle.pk})


@transaction.atomic
def release_report(cycle) -> Cycle:
    """Build and store a closed cycle's report, if enough people answered. Idempotent:
    a report already built is never rebuilt (a job run twice releases it once)."""
    cycle = _lock(cycle)
    if cycle.status != Status.CLOSED or cycle.report is not None or cycle.released_at is not None:
        return cycle
    if reporting.enough_responses(cycle):
        cycle.report = reporting.build(cycle)
        cycle.released_at = cycle.closed_at
        cycle.save(update_fields=["report", "released_at"])
    return cycle


@transaction.atomic
def share_report(cycle, user) -> Cycle:
    if user.pk == cycle.leader_id:
        raise NotAllowed("You can already see your own report.")
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
    if rater.invited_at is None or timezone.localdate(rater.invited_at) == today:
        return False
    for window in sorted(REMINDER_DAYS):
        if days_left <= window:
            window_start = rater.cycle.closes_on - timedelta(days=window)
            last = rater.reminded_at
            return last is None or timezone.localdate(last) < window_start
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
