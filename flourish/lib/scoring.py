"""Scoring rules from DESIGN.md, as plain functions (no Django, no database).

A respondent's process score is the mean of the items they answered, counted only when
they answered at least half of the process's items (rounded up). A group's score is the
mean of its respondents' process scores, so each person weighs the same however many
items they answered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

BLIND_SPOT = "blind spot"
HIDDEN_STRENGTH = "hidden strength"
DEFAULT_GAP_MARGIN = 0.5


def minimum_answered(item_count: int) -> int:
    """Items a respondent must answer for their process score to count."""
    return math.ceil(item_count / 2)


def respondent_process_score(values: Sequence[int | None]) -> float | None:
    """Mean of the answered values; None when fewer than half were answered.

    `values` has one entry per item of the process; None means "not able to observe".
    """
    if not values:
        return None
    answered = [v for v in values if v is not None]
    if not answered or len(answered) < minimum_answered(len(values)):
        return None
    return fmean(answered)


def respondent_scores(
    answers: Mapping[str, int | None], processes: Mapping[str, Sequence[str]]
) -> dict[str, float | None]:
    """Process scores of one respondent; `processes` maps a process id to its item ids."""
    return {
        pid: respondent_process_score([answers.get(item) for item in items])
        for pid, items in processes.items()
    }


@dataclass(frozen=True)
class GroupScore:
    score: float
    n: int


def group_score(scores: Iterable[float | None]) -> GroupScore | None:
    """Mean of respondents' process scores, ignoring respondents who did not score it."""
    counted = [s for s in scores if s is not None]
    if not counted:
        return None
    return GroupScore(score=fmean(counted), n=len(counted))


def gap_kind(self_score: float | None, others_score: float | None, margin: float) -> str | None:
    """'blind spot' where self exceeds others by at least the margin, 'hidden strength'
    where others exceed self by at least the margin, otherwise None."""
    if self_score is None or others_score is None:
        return None
    difference = self_score - others_score
    # Rounded so that 4.5 - 4.0 counts as a gap of 0.5 despite binary floating point.
    if round(difference, 9) >= margin:
        return BLIND_SPOT
    if round(-difference, 9) >= margin:
        return HIDDEN_STRENGTH
    return None


def reach(group_scores: Iterable[float]) -> float | None:
    """Spread between the highest and lowest shown professional-group scores."""
    shown = list(group_scores)
    if len(shown) < 2:
        return None
    return max(shown) - min(shown)


def strongest_and_least_developed(
    scores: Mapping[str, float | None],
) -> tuple[list[str], list[str]]:
    """Process ids with the highest and the lowest score (all ties included)."""
    scored = {pid: s for pid, s in scores.items() if s is not None}
    if not scored:
        return [], []
    top, bottom = max(scored.values()), min(scored.values())
    if top == bottom:
        return list(scored), []
    return (
        [pid for pid, s in scored.items() if s == top],
        [pid for pid, s in scored.items() if s == bottom],
    )
