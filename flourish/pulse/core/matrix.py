"""The role-to-role matrix: how each profession rates working with each other profession.

Row = the raters' profession, column = the profession rated; a cell is the mean of its
raters' scores over the role items (each rater's own mean first), with its n.

k-safety, before anything is shown:
1. professions with fewer than k people on the roster are pooled (``pooling.POOLED``), as
   rows and as columns, so a column never rates one named person;
2. a cell is shown only where both sides reach k: at least k distinct raters in it and at
   least k people on the roster in the column's group;
3. in each column, the raters of the cells withheld under 2 are pooled into one
   ``pooled_rows`` figure, shown when those raters together reach k. The shown cells and the
   pooled figure partition the column's raters, so none can be subtracted from another.

Differencing across waves and against the leader's 360° is the disclosure ledger's job
(``flourish/lib/ledger.py``), not this module's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flourish.lib.disclosure import MIN_K
from flourish.pulse.core.agreement import scale_score
from flourish.pulse.core.pooling import pool, pooled_sizes

__all__ = ["Cell", "Matrix", "RoleRating", "role_matrix"]


@dataclass(frozen=True)
class RoleRating:
    """One respondent's answers about one other profession (``respondent`` is an opaque id)."""

    respondent: str
    rater_profession: str
    rated_profession: str
    answers: Sequence[float | None]


@dataclass(frozen=True)
class Cell:
    mean: float
    n: int


@dataclass(frozen=True)
class Matrix:
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    #: (row, column) → Cell, or None where withheld (below k on either side)
    cells: Mapping[tuple[str, str], Cell | None]
    #: column → the withheld rows' raters together, or None if they are fewer than k (or none)
    pooled_rows: Mapping[str, Cell | None] = field(default_factory=dict)


def _cell(scores: Mapping[str, list[float]]) -> Cell:
    means = [sum(v) / len(v) for v in scores.values()]
    return Cell(sum(means) / len(means), len(means))


def role_matrix(ratings: Sequence[RoleRating], roster: Mapping[str, int], k: int = MIN_K) -> Matrix:
    """Build the k-safe matrix from role ratings and the team's roster (profession → people on it)."""
    label = pool(roster, k)
    sizes = pooled_sizes(roster, k)
    groups = tuple(sorted(set(label.values()), key=lambda g: (g not in roster, g)))
    raw: dict[tuple[str, str], dict[str, list[float]]] = {}
    for rating in ratings:
        if rating.rater_profession not in label or rating.rated_profession not in label:
            raise ValueError(f"respondent {rating.respondent}: {rating.rater_profession!r} rating "
                             f"{rating.rated_profession!r} names a profession that is not on the team's roster")
        score = scale_score(rating.answers)
        if score is None:
            continue
        key = (label[rating.rater_profession], label[rating.rated_profession])
        raw.setdefault(key, {}).setdefault(rating.respondent, []).append(score)
    cells: dict[tuple[str, str], Cell | None] = {}
    pooled_rows: dict[str, Cell | None] = {}
    for column in groups:
        withheld: dict[str, list[float]] = {}
        for row in groups:
            by_rater = raw.get((row, column), {})
            if not by_rater:
                continue
            if len(by_rater) >= k and sizes[column] >= k:
                cells[(row, column)] = _cell(by_rater)
            else:
                cells[(row, column)] = None
                if sizes[column] >= k:
                    for rater, scores in by_rater.items():
                        withheld.setdefault(f"{row}\0{rater}", []).extend(scores)
        if withheld:
            pooled_rows[column] = _cell(withheld) if len(withheld) >= k else None
    return Matrix(groups, groups, cells, pooled_rows)
