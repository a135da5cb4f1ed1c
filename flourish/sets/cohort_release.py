"""A set's cohort figures as disclosure-ledger equations (pure Python: no Django).

- A figure (a mean process score, or a count of leaders) is shown only when at least
  k leaders contribute to it; otherwise it is absent.
- No differencing, over any number of views: every figure shown to the facilitator is
  recorded in the ledger, and a new one is released only when the ledger's joint audit
  (`flourish.lib.ledger`) finds that nothing about fewer than k leaders follows from it
  together with EVERYTHING shown before; otherwise the earlier figure stays, dated.

An input is a string "<leader>:<version of their contribution>", e.g. "12:cycle-40". A
leader's contribution in a new version is a new variable of the same person, so changes
are audited too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from statistics import fmean

from flourish.lib.disclosure import MIN_K, check_minimum
from flourish.lib.ledger import Figure

Value = dict[str, float | int]


def person(user_pk: object) -> str:
    """The ledger's key for a leader's own contributions (an id, never a name)."""
    return f"leader:{user_pk}"


def mean_figure(contributions: Mapping[str, float | None], k: int = MIN_K) -> Value | None:
    """{"score", "n"} over the leaders who scored it, or None when fewer than k did."""
    check_minimum("k", k)
    scores = [s for s in contributions.values() if s is not None]
    if len(scores) < k:
        return None
    return {"score": round(fmean(scores), 2), "n": len(scores)}


def count_figure(chosen: Iterable[str], k: int = MIN_K) -> Value | None:
    """{"count"} of distinct leaders who chose it, or None when fewer than k."""
    check_minimum("k", k)
    count = len(contributors(chosen))
    return {"count": count} if count >= k else None


def contributors(inputs: Iterable[str]) -> set[str]:
    return {str(entry).partition(":")[0] for entry in inputs}


def equation(key: str, inputs: Sequence[str]) -> Figure:
    """The figure's sum as an equation: one variable per leader and contribution version.
    A count is the sum of each leader's 0/1 choice over everyone who could have chosen."""
    terms = []
    for entry in sorted(inputs):
        leader, _, version = str(entry).partition(":")
        terms.append((person(leader), f"{key}@{version}", 1))
    return Figure(tuple(terms))
