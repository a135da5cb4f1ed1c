"""Change between two waves of a team's integration indices (issue 15, item 2: "over time").

A change is given only where both waves' figures may be shown: both team scores passed the
aggregation decision, both matrix cells reached k on both sides, both E–I figures exist. It is
then the difference of two figures already shown, so it tells nothing they do not; whether the
two waves' figures may be shown side by side at all (a team that gained or lost one respondent
between waves) is the disclosure ledger's decision (``flourish/lib/ledger.py``), made before this.
Each change carries both n's, so a page can say how many answered each time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flourish.pulse.core.indices import NetworkIndices, TeamIndices
from flourish.pulse.core.matrix import Matrix

__all__ = ["Change", "TeamChange", "team_change"]


@dataclass(frozen=True)
class Change:
    before: float | None
    after: float | None
    #: after − before, or None where either wave's figure is not shown
    change: float | None
    n_before: int | None = None
    n_after: int | None = None


def _change(before: float | None, after: float | None, n_before: int | None = None,
            n_after: int | None = None) -> Change:
    if before is None or after is None:
        return Change(before, after, None, n_before, n_after)
    return Change(before, after, after - before, n_before, n_after)


@dataclass(frozen=True)
class TeamChange:
    team: str
    #: score key (the pulse and each domain) → change of the team score
    scores: Mapping[str, Change]
    #: (row, column) → change of the matrix cell, for cells in either wave
    matrix: Mapping[tuple[str, str], Change]
    #: "profession" / "agency" → {"ei": …, "density": …}
    network: Mapping[str, Mapping[str, Change]]


def _cells(before: Matrix, after: Matrix) -> dict[tuple[str, str], Change]:
    out: dict[tuple[str, str], Change] = {}
    for key in sorted(set(before.cells) | set(after.cells)):
        a, b = before.cells.get(key), after.cells.get(key)
        out[key] = _change(a.mean if a else None, b.mean if b else None, a.n if a else None, b.n if b else None)
    return out


def _network(before: NetworkIndices, after: NetworkIndices) -> dict[str, Change]:
    n_before, n_after = sum(before.respondents.values()), sum(after.respondents.values())
    return {"ei": _change(before.ei, after.ei, n_before, n_after),
            "density": _change(before.density if n_before else None, after.density if n_after else None,
                               n_before, n_after)}


def team_change(before: TeamIndices, after: TeamIndices) -> TeamChange:
    """The change from ``before`` to ``after`` (the same team's indices in two waves)."""
    if before.team != after.team:
        raise ValueError(f"the two waves are of different teams ({before.team!r} and {after.team!r})")
    scores: dict[str, Change] = {}
    for key in before.scores.scores.keys() | after.scores.scores.keys():
        a, b = before.scores.scores.get(key), after.scores.scores.get(key)
        scores[key] = _change(a.mean if a else None, b.mean if b else None, a.n if a else None, b.n if b else None)
    return TeamChange(before.team, scores, _cells(before.matrix, after.matrix),
                      {"profession": _network(before.professions, after.professions),
                       "agency": _network(before.agencies, after.agencies)})
