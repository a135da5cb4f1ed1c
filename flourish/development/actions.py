"""Writes for development plans and the reflective journal. Each public function is one
transaction and refuses, with a plain message, anything it cannot do in full."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from flourish import audit
from flourish.core.actions import NotAllowed, required
from flourish.feedback.models import Cycle
from flourish.jobs.mail import queue_mail
from flourish.selfassess.models import SelfAssessment

from .models import MAX_PROCESSES, ActionStatus, Goal, JournalEntry, Plan, ProgressNote, Review
from .models import Action as PlanAction

REMIND_DAYS = 2  # a review is reminded once, when it is due within this many days



def _check_processes(version, process_ids, *, at_least=1, at_most=MAX_PROCESSES) -> list[str]:
    known = [p["id"] for p in version.processes]
    unknown = [pid for pid in process_ids if pid not in known]
    if unknown:
        raise NotAllowed(f"Unknown process(es): {', '.join(unknown)}.")
    chosen = [pid for pid in known if pid in process_ids]
    if not at_least <= len(chosen) <= at_most:
        if at_least:
            raise NotAllowed(f"Choose between {at_least} and {at_most} processes to work on.")
        raise NotAllowed(f"Choose at most {at_most} processes.")
    return chosen



# --- plans ----------------------------------------------------------------------------

@transaction.atomic
def create_plan(leader, source, process_ids, review_on=None) -> Plan:
    """A plan from a completed self-assessment or a released 360° report of the leader."""
    if isinstance(source, SelfAssessment):
        if not source.is_complete:
            raise NotAllowed("Finish the self-assessment first.")
        kind = {"source_self_assessment": source}
    elif isinstance(source, Cycle):
        if not source.is_released:
            raise NotAllowed("The report on this feedback round is not released yet.")
        kind = {"source_cycle": source}
    else:
        raise NotAllowed("A plan starts from a self-assessment or a 360° feedback report.")
    if source.leader_id != leader.pk:
        raise NotAllowed("You can only plan from your own self-assessment or report.")
    chosen = _check_processes(source.framework_version, process_ids)
    if review_on is not None and review_on <= timezone.localdate():
        raise NotAllowed("The review date must be in the future.")
    plan = Plan.objects.create(
        organisation=source.organisation, leader=leader, framework_version=source.framework_version,
        processes=chosen, **kind,
    )
    if review_on is not None:
        Review.objects.create(plan=plan, due_on=review_on)
    return plan


@transaction.atomic
def set_goal(plan, process_id: str, text: str) -> Goal:
    if process_id not in plan.processes:
        raise NotAllowed("That process is not part of this plan.")
    text = required(text, "your goal", verb="Write")
    goal, _ = Goal.objects.update_or_create(plan=plan, process_id=process_id, defaults={"text": text})
    Plan.objects.filter(pk=plan.pk).update(updated=timezone.now())
    return goal


@transaction.atomic
def add_action(plan, process_id: str, *, due_on, text: str = "", practice: str = "") -> PlanAction:
    """An action under the process's goal; `practice` must be one of the framework's
    practices for the process. Without text of its own, the practice is the text."""
    goal = Goal.objects.filter(plan=plan, process_id=process_id).first()
    if goal is None:
        raise NotAllowed("Write your goal for this process before adding actions.")
    practice = (practice or "").strip()
    if practice:
        process = plan.framework_version.process(process_id) or {}
        if practice not in (process.get("practices") or []):
            raise NotAllowed("Choose one of the listed practices, or write your own action.")
    text = (text or "").strip() or practice
    if not text:
        raise NotAllowed("Choose a practice or write your own action.")
    if due_on is None:
        raise NotAllowed("Give the action a date.")
    return PlanAction.objects.create(goal=goal, text=text, practice=practice, due_on=due_on)


@transaction.atomic
def set_action_status(step, status: str) -> PlanAction:
    if status not in ActionStatus.values:
        raise NotAllowed(f"Unknown status {status!r}.")
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    step = PlanAction.objects.select_for_update().get(pk=step.pk)
    step.status = status
    step.done_at = timezone.now() if status == ActionStatus.DONE else None
    step.save(update_fields=["status", "done_at"])
    return step


@transaction.atomic
def add_progress_note(step, text: str, written_on=None) -> ProgressNote:
    text = required(text, "what happened, or what shows your progress", verb="Write")
    written_on = written_on or timezone.localdate()
    if written_on > timezone.localdate():
        raise NotAllowed("A progress note cannot be dated in the future.")
    note = ProgressNote.objects.create(action=step, text=text, written_on=written_on)
    if step.status == ActionStatus.PLANNED:
        PlanAction.objects.filter(pk=step.pk).update(status=ActionStatus.IN_PROGRESS)
    return note


@transaction.atomic
def schedule_review(plan, due_on) -> Review:
    if due_on is None or due_on <= timezone.localdate():
        raise NotAllowed("The review date must be in the future.")
    if plan.reviews.filter(due_on=due_on).exists():
        raise NotAllowed("There is already a review on that date.")
    return Review.objects.create(plan=plan, due_on=due_on)


@transaction.atomic
def complete_review(review, notes: str) -> Review:
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.is_done:
        raise NotAllowed("This review is already done.")
    review.notes = required(notes, "what you noticed when you reviewed the plan", verb="Write")
    review.done_at = timezone.now()
    review.save(update_fields=["notes", "done_at"])
    return review


def due_reviews(today=None):
    today = today or timezone.localdate()
    return Review.objects.filter(
        done_at__isnull=True, reminded_at__isnull=True,
        due_on__gte=today, due_on__lte=today + timedelta(days=REMIND_DAYS),
    ).select_related("plan__leader")


def send_due_review_reminders(now=None) -> int:
    """Email each leader whose review is due within REMIND_DAYS days; each review is
    reminded once (what `flourish development remind` runs, e.g. daily)."""
    now = now or timezone.now()
    sent = 0
    for review in due_reviews(timezone.localdate(now)):
        with transaction.atomic():
            # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
            locked = Review.objects.select_for_update().filter(pk=review.pk, reminded_at__isnull=True).first()
            if locked is None:
                continue
            plan = review.plan
            url = settings.SITE_URL + reverse("development:plan", args=[plan.pk])
            body = render_to_string("development/email/review_reminder.txt", {
                "review": review, "plan": plan, "leader": plan.leader, "url": url,
            })
            queue_mail("development.review_reminder", f"review:{review.pk}", plan.leader.email,
                       f"Your development plan review is due on {review.due_on:%d/%m/%Y}", body)
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
            sent += 1
    return sent


# --- reflective journal ---------------------------------------------------------------

def _entry_fields(version, title, text, written_on, processes) -> dict:
    title = required(title, "a title", verb="Write")
    text = required(text, "your reflection", verb="Write")
    if written_on is None:
        written_on = timezone.localdate()
    if written_on > timezone.localdate():
        raise NotAllowed("A journal entry cannot be dated in the future.")
    tags = _check_processes(version, processes or [], at_least=0, at_most=len(version.processes))
    return {"title": title[:200], "text": text, "written_on": written_on, "processes": tags}


@transaction.atomic
def write_entry(leader, organisation, framework_version, *, title, text, written_on=None, processes=()) -> JournalEntry:
    fields = _entry_fields(framework_version, title, text, written_on, processes)
    return JournalEntry.objects.create(
        leader=leader, organisation=organisation, framework_version=framework_version, **fields
    )


@transaction.atomic
def update_entry(entry, *, title, text, written_on=None, processes=()) -> JournalEntry:
    fields = _entry_fields(entry.framework_version, title, text, written_on, processes)
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save(update_fields=[*fields, "updated"])
    return entry


@transaction.atomic
def delete_entry(entry, by=None) -> None:
    # Recorded in the delete's transaction, before the row loses its id; named by id only,
    # since a reflection's title is the leader's own writing.
    audit.record(by, "journal-entry-deleted", entry, label=f"Journal entry {entry.pk}")
    entry.delete()


@transaction.atomic
def share_with_set(entry, learning_set) -> JournalEntry:
    """Share an entry with one action-learning set (None stops sharing). The sets app
    calls this after checking that the entry's leader belongs to the set."""
    entry.shared_set = learning_set
    entry.save(update_fields=["shared_set", "updated"])
    return entry


def plan_pdf_key(plan) -> str:
    """The printed content's digest: an unchanged plan has the PDF already made; any edit
    makes a new one."""
    import hashlib

    from .pdf import render_print_html

    digest = hashlib.sha256(render_print_html(plan).encode()).hexdigest()[:24]
    return f"development.plan_pdf:{plan.pk}:{digest}"


@transaction.atomic
def prepare_plan_pdf(plan, user):
    """Queue the plan's PDF (asking again for an unchanged plan returns the one made)."""
    from flourish.jobs import actions as jobs_actions

    return jobs_actions.enqueue("development.plan_pdf", key=plan_pdf_key(plan), owner=user,
                                label="The PDF of your development plan", args={"plan_id": plan.pk})
