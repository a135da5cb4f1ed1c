"""Per-object lookups. Plans and journal entries are private to their leader: anyone
else — facilitator, organisation admin, researcher, outsider — gets 404, so they cannot
even learn that the object exists. (A journal entry the leader shared with an
action-learning set is shown to the set by the sets app, through
`entries_shared_with_set`, after it has checked the reader's membership.)"""

from flourish.accounts.permissions import organisations_for
from flourish.core.lookups import get_or_404

from .models import Action, JournalEntry, Plan, Review


def plans_for(user):
    if not user.is_authenticated:
        return Plan.objects.none()
    return Plan.objects.filter(leader=user, organisation__in=organisations_for(user)).select_related(
        "framework_version__framework", "organisation", "source_self_assessment", "source_cycle"
    )


def get_plan_for_user(user, pk) -> Plan:
    return get_or_404(plans_for(user), "plan", pk=pk)


def get_action_for_user(user, plan_pk, action_pk) -> Action:
    plan = get_plan_for_user(user, plan_pk)
    return get_or_404(Action.objects.select_related("goal__plan"), "action", goal__plan=plan, pk=action_pk)


def get_review_for_user(user, plan_pk, review_pk) -> Review:
    plan = get_plan_for_user(user, plan_pk)
    return get_or_404(plan.reviews.all(), "review", pk=review_pk)


def entries_for(user):
    if not user.is_authenticated:
        return JournalEntry.objects.none()
    return JournalEntry.objects.filter(
        leader=user, organisation__in=organisations_for(user)
    ).select_related("framework_version")


def get_entry_for_user(user, pk) -> JournalEntry:
    return get_or_404(entries_for(user), "journal entry", pk=pk)


def entries_shared_with_set(set_id):
    """Journal entries their leaders shared with an action-learning set. The caller (the
    sets app) must already have checked that the reader belongs to the set."""
    return JournalEntry.objects.filter(shared_set_id=set_id).select_related("leader", "framework_version")
