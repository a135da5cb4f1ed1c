"""Per-object lookups. Plans and journal entries are private to their leader: anyone
else — facilitator, organisation admin, researcher, outsider — gets 404, so they cannot
even learn that the object exists. (A journal entry the leader shared with an
action-learning set is shown to the set by the sets app, through
`entries_shared_with_set`, after it has checked the reader's membership.)"""

from flourish.accounts.permissions import organisations_for
from flourish.core.lookups import get_or_404
from flourish.feedback.permissions import readable_reports

from .models import Action as PlanAction
from .models import JournalEntry, Plan, Review


def plans_for(user):
    if not user.is_authenticated:
        return Plan.objects.none()
    return Plan.objects.filter(leader=user, organisation__in=organisations_for(user)).select_related(
        "framework_version__framework", "organisation", "source_self_assessment", "source_cycle"
    )


def get_plan_for_user(user, pk) -> Plan:
    return get_or_404(plans_for(user), "plan", pk=pk)


def get_action_for_user(user, plan_pk, action_pk) -> PlanAction:
    plan = get_plan_for_user(user, plan_pk)
    return get_or_404(PlanAction.objects.select_related("goal__plan"), "action", goal__plan=plan, pk=action_pk)


def get_review_for_user(user, plan_pk, review_pk) -> Review:
    plan = get_plan_for_user(user, plan_pk)
    return get_or_404(plan.reviews.all(), "review", pk=review_pk)


def own_report_cycles(user):
    """The user's own 360° cycles whose report they may read (a plan can start from one)."""
    return readable_reports(user).filter(leader=user, report__isnull=False)


def get_own_report_cycle_for_user(user, pk):
    return get_or_404(own_report_cycles(user), "report", pk=pk)


def entries_for(user):
    if not user.is_authenticated:
        return JournalEntry.objects.none()
    return JournalEntry.objects.filter(
        leader=user, organisation__in=organisations_for(user)
    ).select_related("framework_version")


def get_entry_for_user(user, pk) -> JournalEntry:
    return get_or_404(entries_for(user), "journal entry", pk=pk)


def entries_shared_with_set(learning_set):
    """Journal entries their leaders shared with an action-learning set. The caller (the
    sets app) must already have checked that the reader belongs to the set."""
    return JournalEntry.objects.filter(shared_set=learning_set).select_related("leader", "framework_version")


def own_entries(user):
    """All of the user's journal entries, newest first (the sets page offers them to share)."""
    return JournalEntry.objects.filter(leader=user).order_by("-written_on", "-pk")


def get_own_entry(user, pk) -> JournalEntry | None:
    """One of the user's own entries, or None (the sets app refuses with its own message)."""
    return JournalEntry.objects.filter(pk=pk, leader=user).first() if str(pk).isdigit() else None


def latest_plan_processes(users, framework) -> dict:
    """{user: (plan pk, [process ids])} from each user's latest plan on ``framework``."""
    result = {}
    for user in users:
        plan = (Plan.objects.filter(leader=user, framework_version__framework=framework)
                .order_by("-created", "-pk").first())
        if plan is not None and plan.processes:
            result[user] = (plan.pk, list(plan.processes))
    return result
