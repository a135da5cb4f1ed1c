"""Disclosure rules for a set's cohort figures (pure Python: no Django, no database).

- A figure (a mean process score, or a count of leaders) is shown only when at least
  k leaders contribute to it; otherwise it is absent.
- No differencing. Within one view each quantity (a process, from one source) appears
  once, over everyone who contributes to it: there is no "all members" beside "all but
  one". Across time, a new figure is shown only when its inputs differ from those of
  every earlier shown figure for the same quantity by none or by at least k leaders
  (a leader differs if they joined, left, or their contribution changed); otherwise the
  earlier figure stays, so that comparing two views cannot isolate 1..k−1 leaders.

An input is a string "<leader>:<version of their contribution>", e.g. "12:cycle-40".
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import Iterable, Mapping, Sequence

MIN_K = 3


def _check_k(k: int) -> int:
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}")
    return k


def mean_figure(contributions: Mapping[str, float | None], k: int = MIN_K) -> dict | None:
    """{"score", "n"} over the leaders who scored it, or None when fewer than k did."""
    _check_k(k)
    scores = [s for s in contributions.values() if s is not None]
    if len(scores) < k:
        return None
    return {"score": round(fmean(scores), 2), "n": len(scores)}


def count_figure(leaders: Iterable[str], k: int = MIN_K) -> dict | None:
    """{"count"} of distinct leaders, or None when fewer than k."""
    _check_k(k)
    count = len(set(leaders))
    return {"count": count} if count >= k else None


def _by_leader(inputs: Iterable[str]) -> dict[str, str]:
    result = {}
    for entry in inputs:
        leader, _, version = str(entry).partition(":")
        result[leader] = version
    return result


def leaders_differing(a: Iterable[str], b: Iterable[str]) -> int:
    """How many leaders are in one input set only, or in both with another contribution."""
    first, second = _by_leader(a), _by_leader(b)
    return sum(first.get(leader) != second.get(leader) for leader in set(first) | set(second))


def isolates(a: Iterable[str], b: Iterable[str], k: int = MIN_K) -> bool:
    """True when showing figures over both would let 1..k−1 leaders be derived."""
    return 0 < leaders_differing(a, b) < _check_k(k)


@dataclass(frozen=True)
class Decision:
    action: str  # "show" (already released), "release" (new figure), "hold" (keep the earlier one)
    index: int | None = None  # the earlier release to show, for "show" and "hold"


def decide(candidate: Sequence[str], history: Sequence[Sequence[str]], k: int = MIN_K) -> Decision:
    """What to do with a figure whose inputs are `candidate`, given the inputs of the
    figures already shown for the same quantity (`history`, newest first)."""
    for index, earlier in enumerate(history):
        if leaders_differing(candidate, earlier) == 0:
            return Decision("show", index)
    if any(isolates(candidate, earlier, k) for earlier in history):
        return Decision("hold", 0)
    return Decision("release")
