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


_KINDS: dict[str, Kind] = {}


def handler(name: str, *, max_attempts: int = 5, may_read: Callable | None = None):
    def register(func):
        _KINDS[name] = Kind(name, func, max_attempts, may_read)
        return func
    return register


def get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No job handler is registered for {name!r}") from None


def names() -> list[str]:
    return sorted(_KINDS)
