"""The audit log. `from flourish import audit; audit.record(request_or_actor, verb, obj, **details)`."""


def record(by, verb, obj=None, **details):
    """Append one audit entry (see flourish.audit.actions.record)."""
    from .actions import record as _record  # imported late: this package loads before the app registry

    return _record(by, verb, obj, **details)


def client_address(request):
    """Where a request came from (see flourish.audit.actions.client_address), for work a
    background job finishes on the request's behalf."""
    from .actions import client_address as _client_address

    return _client_address(request)
