"""Writing the audit log: `record()` from anywhere, and the purge retention makes.

`record(by, verb, obj, **details)` takes the request (who and from where), a user (the
command line acting as someone) or None (the command line). Details are short plain
values about the action (a file name, a count, a role), never answers or comments: keys
that would carry them are refused, and long text is refused, so a careless call site fails
its tests rather than copying a comment into the log.
"""

from django.db import connection, transaction
from django.http import HttpRequest

from flourish.accounts.models import Organisation, User

from .models import Entry

FORBIDDEN_KEYS = frozenset({"answer", "answers", "comment", "comments", "text", "body", "response", "responses",
                            "password", "token"})
MAX_DETAIL_CHARS = 200


def client_address(request) -> str | None:
    """Where the request came from: the real client address behind a trusted proxy
    (`TRUSTED_PROXIES`), the same one the rate limits and the sign-in lock-out use."""
    from flourish.ops.clientip import client_ip

    return client_ip(request) or None


def _organisation_id(obj, organisation):
    if organisation is not None:
        return organisation.pk if isinstance(organisation, Organisation) else int(organisation)
    if isinstance(obj, Organisation):
        return obj.pk
    return getattr(obj, "organisation_id", None)


def _clean(details: dict) -> dict:
    for key, value in details.items():
        if key.lower() in FORBIDDEN_KEYS:
            raise ValueError(f"The audit log never records {key!r}.")
        if not (value is None or isinstance(value, (bool, int, float, str))):
            raise ValueError(f"Audit detail {key!r} must be a plain value, not {type(value).__name__}.")
        if isinstance(value, str) and len(value) > MAX_DETAIL_CHARS:
            raise ValueError(f"Audit detail {key!r} is too long to be a label ({len(value)} characters).")
    return details


def record(by, verb: str, obj=None, *, organisation=None, actor=None, label=None, address=None,
           **details) -> Entry:
    """Append one entry. `by`: the request, a User, or None (the command line); `actor`
    names the person when the request does not yet (a sign-in). `label` replaces the
    object's own name where that name is the person's writing (a journal entry's title, a
    memo's first words); `address` is where a background job's request came from."""
    if isinstance(by, HttpRequest):
        user = getattr(by, "user", None)
        actor = actor or (user if user is not None and user.is_authenticated else None)
        address = client_address(by)
    elif isinstance(by, User):
        actor = actor or by
    if label is None:
        label = "" if obj is None else str(obj)
    label = label[:200]
    return Entry.objects.create(
        organisation_id=_organisation_id(obj, organisation),
        actor_id=actor.pk if actor else None,
        actor_email=actor.email if actor else "",
        verb=verb,
        object_type="" if obj is None else obj._meta.label_lower if hasattr(obj, "_meta") else type(obj).__name__,
        object_id="" if obj is None or getattr(obj, "pk", None) is None else str(obj.pk),
        object_label=label,
        address=address,
        details=_clean(details),
    )


@transaction.atomic
def purge_before(organisation_id, cutoff) -> int:
    """Delete one organisation's entries older than `cutoff` (retention). The only way
    entries leave the log; on PostgreSQL the trigger lets this transaction through alone."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL flourish.audit_purge = 'on'")
    old = _expired_ids(organisation_id, cutoff)
    count = len(old)
    with connection.cursor() as cursor:
        table = Entry._meta.db_table
        for start in range(0, count, 500):
            chunk = old[start:start + 500]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)  # noqa: S608
    return count


def _expired_ids(organisation_id, cutoff) -> list[int]:
    return list(Entry.objects.filter(organisation_id=organisation_id, at__lt=cutoff).values_list("pk", flat=True))
