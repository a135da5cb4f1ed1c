"""Demo data for development: a plan from the leader's latest self-assessment and three
journal entries. Running it again changes nothing that is already there. Called from
flourish/demo/organisation.py; no process names in code (positions and the framework's own
practices are used)."""

from datetime import timedelta

from django.utils import timezone

from flourish.selfassess.models import SelfAssessment

from . import actions, suggestions, tagging
from .models import ActionStatus, JournalEntry, Plan

GOALS = [
    "Plan new work with our partners from the start, not after we have decided.",
    "Make it easy for the team to try things and to tell me what they see.",
]
OWN_ACTION = "Ask two partners what they would change about how we plan together."
NOTE = "Mapped the services around one family with the team; the school and housing were missing."

JOURNAL = [
    (40, "A difficult conversation with the health visiting lead",
     "After last month's disagreement about referrals I went back to the health visiting lead to repair "
     "our working relationship. We agreed to meet every fortnight and to keep each other informed."),
    (21, "Looking at our data with partners",
     "We looked at local data on how many families in the north of the area use the centre. The agencies "
     "around those families had not connected the gaps in referral routes."),
    (5, "Trying something different",
     "The standard procedure did not fit this family, so the team tried a creative, non-standard solution: "
     "a joint visit by the family support worker and the midwife. We will test it for a month."),
]


def create(leader, organisation) -> Plan | None:
    """The demo plan (None when the leader has no completed self-assessment)."""
    own = SelfAssessment.objects.filter(
        leader=leader, organisation=organisation, completed__isnull=False
    ).order_by("-completed").first()
    if own is None:
        return None
    plan = Plan.objects.filter(leader=leader, source_self_assessment=own).first() or _plan(leader, own)
    _journal(leader, organisation, own.framework_version)
    return plan


def _plan(leader, own) -> Plan:
    version = own.framework_version
    figures = suggestions.figures_from_self(own.scores(), own.importance)
    chosen = suggestions.preselected(suggestions.suggest(version.processes, figures, whose="your"))[:2]
    for process in version.processes:  # fewer than two suggestions: add the first others
        if len(chosen) < 2 and process["id"] not in chosen:
            chosen.append(process["id"])
    today = timezone.localdate()
    plan = actions.create_plan(leader, own, chosen, review_on=today + timedelta(days=60))
    for number, (process, goal) in enumerate(zip(plan.plan_processes(), GOALS)):
        actions.set_goal(plan, process["id"], goal)
        practices = process.get("practices") or []
        first = actions.add_action(plan, process["id"], practice=practices[0] if practices else "",
                                   text="" if practices else OWN_ACTION, due_on=today - timedelta(days=7))
        if number == 0:
            actions.add_progress_note(first, NOTE, today - timedelta(days=10))
            actions.set_action_status(first, ActionStatus.DONE)
            actions.add_action(plan, process["id"], text=OWN_ACTION, due_on=today + timedelta(days=30))
    return plan


def _journal(leader, organisation, version):
    today = timezone.localdate()
    for days_ago, title, text in JOURNAL:
        if JournalEntry.objects.filter(leader=leader, title=title).exists():
            continue
        actions.write_entry(leader, organisation, version, title=title, text=text,
                            written_on=today - timedelta(days=days_ago),
                            processes=tagging.suggested_ids(text, version.processes))
