"""The signed-in home page: what is waiting for this person, by what they do in Flourish.
Each app says what it holds through its own selectors; nothing here counts raters or
answers (a count on a leader's page can tell them who answered)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from flourish.accounts.models import Role
from flourish.accounts.permissions import organisations_for
from flourish.development import selectors as development
from flourish.feedback import selectors as feedback
from flourish.feedback.models import Status
from flourish.feedback.permissions import cycles_to_approve
from flourish.selfassess import selectors as selfassess
from flourish.sets import selectors as sets

SOON = timedelta(days=14)  # "due soon": the next two weeks, a leader's planning horizon
RECENT = timedelta(days=30)  # a released report stays on the home page for a month


@dataclass(frozen=True)
class Item:
    text: str
    href: str
    when: date | None = None
    when_label: str = "due"  # "closes", "due", "on": said before the date
    overdue: bool = False


@dataclass
class Section:
    heading: str
    items: list[Item] = field(default_factory=list)
    empty: str = ""  # said when nothing waits
    start: tuple[str, str] | None = None  # (label, href) to begin something


def _rounds(user, today) -> Section:
    section = Section("Your 360° feedback", empty="No round is running.",
                      start=("Start a 360° round", reverse("feedback:create")))
    released_since = timezone.now() - RECENT
    for cycle in feedback.own_rounds_to_attend(user, released_since):
        href = reverse("feedback:detail", args=[cycle.pk])
        if cycle.status == Status.DRAFT:
            section.items.append(Item(f"“{cycle.title}”: being set up — add people, then send the invitations", href))
        elif cycle.status == Status.AWAITING_APPROVAL:
            section.items.append(Item(f"“{cycle.title}”: waiting for the list to be approved", href))
        elif cycle.status == Status.OPEN:
            section.items.append(Item(f"“{cycle.title}”: open for feedback", href, cycle.closes_on, "closes"))
        elif cycle.is_released:
            section.items.append(Item(f"“{cycle.title}”: your report is ready",
                                      reverse("feedback:report", args=[cycle.pk])))
    return section


def _approvals(user) -> Section | None:
    waiting = list(cycles_to_approve(user))
    if not waiting:
        return None
    return Section("Feedback lists to approve", [
        Item(f"{cycle.leader.display_name}: “{cycle.title}”", reverse("feedback:approve", args=[cycle.pk]))
        for cycle in waiting
    ])


def _development(user, today) -> Section:
    section = Section("Your development", empty="Nothing due in the next two weeks.",
                      start=("Your plans and journal", reverse("development:index")))
    for assessment in selfassess.in_progress(user):
        section.items.append(Item(f"Continue your self-assessment, started {assessment.started:%-d %B %Y}",
                                  reverse("selfassess:profile", args=[assessment.pk])))
    for step in development.steps_due(user, today + SOON):
        section.items.append(Item(f"Plan step: {step.text}", reverse("development:plan", args=[step.goal.plan_id]),
                                  step.due_on, overdue=step.due_on < today))
    for review in development.reviews_due(user, today + SOON):
        section.items.append(Item("Review your plan", reverse("development:plan", args=[review.plan_id]),
                                  review.due_on, overdue=review.due_on < today))
    return section


def _sets(user, today) -> Section | None:
    sessions = list(sets.next_sessions(user, today))
    if not sessions:
        return None
    return Section("Action-learning sets", [
        Item(f"{session.cycle.learning_set.name}: session",
             reverse("sets:detail", args=[session.cycle.learning_set_id]), session.date, "on")
        for session in sessions
    ])


def _shortcuts(user) -> list[tuple[str, str]]:
    links = []
    if organisations_for(user, Role.RESEARCHER).exists():
        links += [("Research: test the model", reverse("research:index")),
                  ("Coding projects", reverse("qualitative:index"))]
    if organisations_for(user, Role.ADMIN).exists():
        links.append(("Manage members, frameworks and settings", reverse("orgadmin:index")))
    return links


def dashboard(user, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    sections = [_rounds(user, today), _approvals(user), _development(user, today), _sets(user, today)]
    return {"sections": [s for s in sections if s is not None], "shortcuts": _shortcuts(user), "today": today}
