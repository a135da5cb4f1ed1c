"""What the sets app reads from flourish.development, when that app and its tables exist:
journal entries members chose to share with the set, and the processes chosen in
members' development plans (for the cohort's plan-focus counts). Without it, both are
simply missing (None), and nothing else changes."""

from django.db import connection


def _development():
    try:
        from flourish.development import actions, models, permissions
    except ImportError:
        return None
    needed = (models.Plan._meta.db_table, models.JournalEntry._meta.db_table)
    if not set(needed) <= set(connection.introspection.table_names()):
        return None
    return actions, models, permissions


def available() -> bool:
    return _development() is not None


def entries_shared_with(learning_set):
    """Entries shared with the set by its current members; None without the journal."""
    development = _development()
    if development is None:
        return None
    _, _, permissions = development
    members = learning_set.members.filter(left_at__isnull=True).values("user_id")
    return permissions.entries_shared_with_set(learning_set.pk).filter(leader_id__in=members)


def own_entries(user):
    development = _development()
    if development is None:
        return None
    _, models, _ = development
    return models.JournalEntry.objects.filter(leader=user).order_by("-written_on", "-pk")


def share_entry(member, entry_id, share: bool):
    """Share (or stop sharing) one of the member's own journal entries with their set."""
    from .actions import NotAllowed

    development = _development()
    if development is None:
        raise NotAllowed("The journal is not available.")
    actions, models, _ = development
    entry = models.JournalEntry.objects.filter(pk=entry_id, leader=member.user).first()
    if entry is None or not member.is_active:
        raise NotAllowed("You can only share your own journal entries with a set you belong to.")
    if not share and entry.shared_set_id != member.learning_set_id:
        raise NotAllowed("That entry is not shared with this set.")
    return actions.share_with_set(entry, member.learning_set_id if share else None)


def processes_chosen(learning_set, users) -> dict | None:
    """{user: (plan pk, [process ids])} from each user's latest plan on the set's
    framework; None without development plans."""
    development = _development()
    if development is None:
        return None
    _, models, _ = development
    result = {}
    framework = learning_set.framework_version.framework
    for user in users:
        plan = (models.Plan.objects.filter(leader=user, framework_version__framework=framework)
                .order_by("-created", "-pk").first())
        if plan is not None and plan.processes:
            result[user] = (plan.pk, list(plan.processes))
    return result
