"""The audit log. `from flourish import audit; audit.record(request_or_actor, verb, obj, **details)`."""


def record(by, verb, obj=None, **details):
    """Append one audit entry (see flourish.audit.actions.record)."""
    from .actions import record as _record  # imported late: this package loads before the app registry

    return _record(by, verb, obj, **details)
