"""Groups below k are pooled: one small profession or agency never stands alone in a figure."""

from __future__ import annotations

from collections.abc import Mapping

from flourish.lib.disclosure import MIN_K

__all__ = ["POOLED", "pool"]

#: The label of the pooled group (every profession or agency with fewer than k on the roster).
POOLED = "Other groups together"


def pool(roster: Mapping[str, int], k: int = MIN_K) -> dict[str, str]:
    """Map each group on the roster to itself, or to POOLED when fewer than k people are in it."""
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K} (anonymity minimum), got {k}")
    return {group: (group if size >= k else POOLED) for group, size in roster.items()}


def pooled_sizes(roster: Mapping[str, int], k: int = MIN_K) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for group, label in pool(roster, k).items():
        sizes[label] = sizes.get(label, 0) + roster[group]
    return sizes
