"""Within-team agreement and between-team reliability: may a team's pulse answers become a team score?

A team score stands for its members only if they agree (rwg(j)) and teams really differ
(ICC(1), ICC(2)); otherwise the mean is an average of people who see different teams.

- rwg(j): James, Demaree & Wolf (1984), J parallel items, the uniform ("no agreement")
  null distribution of A answer categories, σ²_EU = (A² − 1) / 12. Where the mean item
  variance exceeds σ²_EU the formula leaves [0, 1]; we set it to 0, as LeBreton & Senter
  (2008) advise.
- ICC(1), ICC(2): one-way ANOVA of members' scale scores by team (Bliese 2000), with the
  adjusted group size k₀ = (N − Σnⱼ²/N) / (J − 1) of unequal teams in ICC(1).

Thresholds are named constants so a page can say which one failed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flourish.lib.disclosure import MIN_K

__all__ = [
    "Aggregation",
    "ICC",
    "ICC1_ABOVE",
    "ICC2_MIN",
    "RWG_J_MIN",
    "decide",
    "icc",
    "rwg_j",
    "scale_score",
]

#: rwg(j) ≥ .70: the conventional cut-off for enough agreement to aggregate (James, Demaree &
#: Wolf 1984; LeBreton & Senter 2008, who call .71–.90 "strong agreement").
RWG_J_MIN = 0.70
#: ICC(1) > 0: some of the variance lies between teams (Bliese 2000).
ICC1_ABOVE = 0.0
#: ICC(2) ≥ .60: team means reliable enough to tell teams apart (Glick 1985).
ICC2_MIN = 0.60

Answers = Sequence[float | None]  # one member's answers to the J items, None for "can't say"


def scale_score(answers: Answers) -> float | None:
    """A member's mean over the items they answered (None if they answered none)."""
    given = [a for a in answers if a is not None]
    return sum(given) / len(given) if given else None


def _variance(values: Sequence[float]) -> float | None:
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def rwg_j(members: Sequence[Answers], categories: int) -> float | None:
    """rwg(j) for one team: members' answers to J items on a 1..A scale (A = ``categories``).

    Each item's variance uses the members who answered it; an item fewer than two answered
    is left out (its J does not count). None when no item has two answers.
    """
    if categories < 2:
        raise ValueError(f"an answer scale needs at least 2 categories, got {categories}")
    n_items = max((len(m) for m in members), default=0)
    variances = []
    for j in range(n_items):
        answered = [m[j] for m in members if j < len(m) and m[j] is not None]
        v = _variance([float(a) for a in answered if a is not None])
        if v is not None:
            variances.append(v)
    if not variances:
        return None
    expected = (categories**2 - 1) / 12
    ratio = (sum(variances) / len(variances)) / expected
    if ratio >= 1:
        return 0.0
    j = len(variances)
    return j * (1 - ratio) / (j * (1 - ratio) + ratio)


@dataclass(frozen=True)
class ICC:
    icc1: float
    icc2: float
    msb: float
    msw: float
    f: float
    df_between: int
    df_within: int
    k0: float


def icc(groups: Mapping[str, Sequence[float]]) -> ICC | None:
    """ICC(1) and ICC(2) from a one-way ANOVA of scores by team; None without two teams and a residual.

    ICC(1) can be negative (teams differ less than chance); it is returned as computed.
    """
    teams = [list(map(float, v)) for v in groups.values() if len(v) > 0]
    sizes = [len(t) for t in teams]
    n, j = sum(sizes), len(teams)
    if j < 2 or n - j < 1:
        return None
    grand = sum(sum(t) for t in teams) / n
    means = [sum(t) / len(t) for t in teams]
    ssb = sum(s * (m - grand) ** 2 for s, m in zip(sizes, means))
    ssw = sum((x - m) ** 2 for t, m in zip(teams, means) for x in t)
    msb, msw = ssb / (j - 1), ssw / (n - j)
    k0 = (n - sum(s * s for s in sizes) / n) / (j - 1)
    denominator = msb + (k0 - 1) * msw
    icc1 = (msb - msw) / denominator if denominator > 0 else math.nan
    icc2 = (msb - msw) / msb if msb > 0 else math.nan  # identical team means: undefined
    f = msb / msw if msw > 0 else (math.inf if msb > 0 else math.nan)
    return ICC(icc1, icc2, msb, msw, f, j - 1, n - j, k0)


@dataclass(frozen=True)
class Aggregation:
    """Whether one team's pulse answers may be shown as a team score, and every reason if not."""

    allowed: bool
    n: int
    rwg_j: float | None
    icc1: float | None
    icc2: float | None
    reasons: tuple[str, ...]


def _fmt(x: float) -> str:
    return f"{x:.2f}".replace("0.", ".", 1) if 0 <= x < 1 else f"{x:.2f}"


def decide(n: int, team_rwg_j: float | None, reliability: ICC | None, *, k: int = MIN_K) -> Aggregation:
    """May a team score be shown? Needs n ≥ k, rwg(j) ≥ .70, ICC(1) > 0 and ICC(2) ≥ .60.

    ``reliability`` is the ICC over all teams of the same wave (ICC is a property of the
    measure across teams, rwg(j) of this team).
    """
    reasons: list[str] = []
    if n < k:
        reasons.append(f"fewer than {k} people answered")
    if team_rwg_j is None:
        reasons.append("agreement within the team cannot be worked out from these answers")
    elif team_rwg_j < RWG_J_MIN:
        reasons.append(f"people in the team do not agree enough (rwg(j) = {_fmt(team_rwg_j)}; needs {_fmt(RWG_J_MIN)})")
    icc1 = icc2 = None
    if reliability is None:
        reasons.append("there are not enough teams to tell whether teams differ (ICC)")
    else:
        icc1, icc2 = reliability.icc1, reliability.icc2
        if not icc1 > ICC1_ABOVE:  # also refuses NaN
            reasons.append("teams do not differ more than people within them (ICC(1) is not above 0)")
        if not icc2 >= ICC2_MIN:
            shown = "undefined" if math.isnan(icc2) else _fmt(icc2)
            reasons.append(f"team means are not reliable enough to compare teams (ICC(2) = {shown}; "
                           f"needs {_fmt(ICC2_MIN)})")
    return Aggregation(not reasons, n, team_rwg_j, icc1, icc2, tuple(reasons))
