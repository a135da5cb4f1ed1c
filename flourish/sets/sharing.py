"""What the sets app reads from, and asks of, flourish.development — always through that
app's own functions: journal entries members chose to share with the set (a foreign key,
`JournalEntry.shared_set`), and the processes chosen in members' development plans (for
the cohort's plan-focus counts)."""

from flourish.development import actions as development_actions
from flourish.development import permissions as development


def entries_shared_with(learning_set):
    """Entries shared with the set by its current members."""
    members = learning_set.members.filter(left_at__isnull=True).values("user_id")
    return development.entries_shared_with_set(learning_set).filter(leader_id__in=members)


def own_entries(user):
    return development.own_entries(user)


def share_entry(member, entry_id, share: bool):
    """Share (or stop sharing) one of the member's own journal entries with their set."""
    from .actions import NotAllowed

    entry = development.get_own_entry(member.user, entry_id)
    if entry is None or not member.is_active:
        raise NotAllowed("You can only share your own journal entries with a set you belong to.")
    if not share and entry.shared_set_id != member.learning_set_id:
        raise NotAllowed("That entry is not shared with this set.")
    return development_actions.share_with_set(entry, member.learning_set if share else None)


def processes_chosen(learning_set, users) -> dict:
    """{user: (plan pk, [process ids])} from each user's latest plan on the set's framework."""
    return development.latest_plan_processes(users, learning_set.framework_version.framework)
