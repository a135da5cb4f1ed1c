"""What a PAR cycle's page shows, computed before rendering so the template runs no queries
of its own (the page's query count is pinned in tests/test_query_counts.py)."""


def par_cycle_context(learning_set, cycle, member, *, is_facilitator: bool, forms: dict, error, bound) -> dict:
    action_form = forms["action_form"]
    return {
        "set": learning_set, "cycle": cycle, "member": member, "is_facilitator": is_facilitator,
        "sessions": list(cycle.sessions.all()),
        "actions": list(cycle.actions.select_related("owner__user")),
        "observations": list(cycle.observations.select_related("author__user")),
        # Actions belong to members: without any, the page says to invite leaders first.
        "may_add_actions": is_facilitator and action_form.fields["owner"].queryset.exists(),
        "error": error, "form": bound, **forms,
    }
