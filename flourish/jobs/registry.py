"""The kinds of job: each app registers its handlers in its own `jobs.py` with
`@handler("app.what")`. A handler gets a `JobContext` and the job's (JSON) arguments,
returns a small JSON result, and must be idempotent: a worker may die after the work was
committed but before the job was marked done, and then the job runs again."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    run: Callable
    max_attempts: int
    # Who may fetch the job's output besides its owner's first check (None: the owner).
    # Called as may_read(user, job) -> bool, so a report whose sharing was withdrawn
    # cannot be downloaded from an old job either.
    may_read: Callable | None = None
    # What fetching the output is in the audit log: audit(job) -> (verb, object), e.g.
    # ("report-pdf-downloaded", cycle), so a PDF made by a worker is logged as the page's is.
    audit: Callable | None = None


class UnknownKind(LookupError):
    """No handler is registered under that name (a typo, or code removed since it was queued)."""


_KINDS: dict[str, Kind] = {}
# Periodic kinds and how often they are due ("hour" or "day"), for `flourish tick`.
_PERIODIC: dict[str, str] = {}


def handler(name: str, *, max_attempts: int = 5, may_read: Callable | None = None, audit: Callable | None = None):
    def register(func):
        _KINDS[name] = Kind(name, func, max_attempts, may_read, audit)
        return func
    return register


def periodic(name: str, *, every: str, max_attempts: int = 3):
    """A handler that `flourish tick` queues once per hour or day (the slot is part of the
    job's key, so a tick run twice in the same hour queues it once)."""
    if every not in ("hour", "day"):
        raise ValueError("every must be 'hour' or 'day'")

    def register(func):
        _PERIODIC[name] = every
        return handler(name, max_attempts=max_attempts)(func)
    return register


def periodic_kinds() -> dict[str, str]:
    return dict(sorted(_PERIODIC.items()))


def get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownKind(f"No job handler is registered for {name!r}") from None


def names() -> list[str]:
    return sorted(_KINDS)
