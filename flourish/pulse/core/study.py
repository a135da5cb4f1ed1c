"""The model test across teams, as the research app shows it (issue 15, item 3): the common-method
guard, the multilevel model with effect sizes and confidence intervals, the before/after comparison
of a development plan, a power note and a plain method note. Pure: data in, data and text out.

- ``guard``: keep only the rows that keep the leader's scores and the team's integration apart —
  pulse respondents who did not rate the leader in the 360° (``also_rater`` false), or pulse waves
  that opened at least ``MIN_LAG_DAYS`` after the leader's 360° closed (``lag_days``), or both —
  and say which was used. Without either it refuses: an unguarded result would be open to
  common-method bias (the same people, at the same time, rating leader and team).
- ``model_test``: the guard, then ``nested.fit_nested`` (REML, checked against lme4) or
  ``multilevel.fit`` (statsmodels); each effect in points and standardised, each with its interval.
- ``plan_change``: each team's mean integration in the first and second wave; the change for teams
  whose leader had a development plan against those whose leader had none (Welch's t interval of
  the difference; teams with fewer than k answers in a wave are left out).
- ``power_notes``: teams needed for given effects, at this study's own ICC and team size.
- ``method_note``: what the analysis can and cannot show, in plain sentences.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from scipy import stats

from flourish.lib.disclosure import MIN_K
from flourish.pulse.core.multilevel import CENTRED, PREDICTORS, Fit, fit, prepare
from flourish.pulse.core.nested import fit_nested
from flourish.pulse.core.power import PowerNote, teams_needed

__all__ = [
    "BOTH",
    "Effect",
    "GroupChange",
    "Guard",
    "MIN_LAG_DAYS",
    "ModelTest",
    "OTHER_RESPONDENTS",
    "PlanChange",
    "TIME_LAG",
    "guard",
    "method_note",
    "model_test",
    "plan_change",
    "power_notes",
]

#: A pulse wave opening at least this many days after the leader's 360° closed counts as a time lag.
MIN_LAG_DAYS = 60
OTHER_RESPONDENTS = "other respondents"
TIME_LAG = "time lag"
BOTH = "other respondents and a time lag"
AUTO = "auto"

LABELS = {"leader_main": "the leader's main processes (as others rated them)",
          "leader_borderline": "the leader's borderline processes (as others rated them)",
          "wave": "the second wave against the first"}


@dataclass(frozen=True)
class Guard:
    """Which common-method guard was used, on how many rows, said plainly."""

    method: str
    rows_used: int
    rows_left_out: int
    text: str


def _known(data: pd.DataFrame, column: str) -> bool:
    return column in data.columns and bool(data[column].notna().any())


def guard(data: pd.DataFrame, method: str = AUTO, min_lag_days: int = MIN_LAG_DAYS) -> tuple[pd.DataFrame, Guard]:
    """The rows the guard keeps, and the Guard saying which. ``method``: "auto" (other respondents where
    the data say who rated the leader, else a time lag), OTHER_RESPONDENTS, TIME_LAG or BOTH."""
    if method not in (AUTO, OTHER_RESPONDENTS, TIME_LAG, BOTH):
        raise ValueError(f"the guard must be one of {AUTO!r}, {OTHER_RESPONDENTS!r}, {TIME_LAG!r} or {BOTH!r}, "
                         f"got {method!r}")
    raters, lags = _known(data, "also_rater"), _known(data, "lag_days")
    if method == AUTO:
        if not (raters or lags):
            raise ValueError("no common-method guard can be used: the data say neither which pulse respondents "
                             "also rated the leader in the 360° (also_rater) nor how many days after the 360° "
                             "the pulse wave opened (lag_days); without one the result would mix the same "
                             "people's views of leader and team")
        method = OTHER_RESPONDENTS if raters else TIME_LAG
    if method in (OTHER_RESPONDENTS, BOTH) and not raters:
        raise ValueError("the guard by other respondents needs also_rater: whether each pulse respondent "
                         "also rated the leader in the 360°")
    if method in (TIME_LAG, BOTH) and not lags:
        raise ValueError("the guard by a time lag needs lag_days: days from the 360°'s close to the pulse wave")
    keep = pd.Series(True, index=data.index)
    if method in (OTHER_RESPONDENTS, BOTH):
        keep &= data["also_rater"].map(lambda v: v is not None and not pd.isna(v) and not bool(v))
    if method in (TIME_LAG, BOTH):
        keep &= pd.to_numeric(data["lag_days"], errors="coerce") >= min_lag_days
    kept = data[keep]
    used, out = len(kept), len(data) - len(kept)
    if method == OTHER_RESPONDENTS:
        text = (f"Common-method guard: only the pulse answers of people who did not rate the leader in the 360° "
                f"({used:,} of {len(data):,}), so the leader's scores and the team's integration come from "
                "different people.")
    elif method == TIME_LAG:
        text = (f"Common-method guard: a time lag — only pulse waves that opened at least {min_lag_days} days "
                f"after the leader's 360° closed ({used:,} of {len(data):,} answers), so the two were not answered "
                "on the same occasion. Some pulse respondents may also have rated the leader.")
    else:
        text = (f"Common-method guard: both — only people who did not rate the leader in the 360°, and only "
                f"pulse waves at least {min_lag_days} days after it ({used:,} of {len(data):,} answers).")
    return kept, Guard(method, used, out, text)


@dataclass(frozen=True)
class Effect:
    """One fixed effect: in pulse-score points per point of the predictor, and standardised (pulse-score
    SDs per SD of the predictor; None for the wave), each with its interval."""

    name: str
    label: str
    estimate: float
    se: float
    low: float
    high: float
    standardised: float | None
    standardised_low: float | None
    standardised_high: float | None


@dataclass(frozen=True)
class ModelTest:
    guard: Guard
    fit: Fit
    effects: tuple[Effect, ...]
    #: the share of the pulse score's variance between teams (organisations included)
    icc: float
    #: mean answers per team and wave
    team_size: float
    level: float
    engine: str
    text: tuple[str, ...]


def _percent(level: float) -> str:
    return f"{level * 100:g}%"


def model_test(data: pd.DataFrame, guard_method: str = AUTO, level: float = 0.95, engine: str = "nested",
               min_lag_days: int = MIN_LAG_DAYS) -> ModelTest:
    """The guard, then the model score ~ leader_main + leader_borderline + wave + (1|organisation) + (1|team)."""
    if engine not in ("nested", "statsmodels"):
        raise ValueError(f"the engine must be 'nested' or 'statsmodels', got {engine!r}")
    if not 0 < level < 1:
        raise ValueError(f"the confidence level must lie between 0 and 1, got {level}")
    kept, used = guard(data, guard_method, min_lag_days)
    result = (fit_nested if engine == "nested" else fit)(kept, level)
    prepared = prepare(kept)
    total_sd = math.sqrt(sum(result.variances.values()))
    effects: list[Effect] = []
    for name in PREDICTORS:
        e = result.fixed[name]
        scale = float(prepared[name].std()) / total_sd if name in CENTRED else None
        effects.append(Effect(name, LABELS[name], e.estimate, e.se, e.low, e.high, e.standardised,
                              None if scale is None else e.low * scale, None if scale is None else e.high * scale))
    between = result.variances["organisation"] + result.variances["team"]
    icc = between / sum(result.variances.values())
    team_size = result.n_rows / prepared.groupby(["team", "wave"]).ngroups
    pct = _percent(level)
    text = [used.text,
            f"{result.n_teams} teams in {result.n_organisations} organisations, {result.n_rows:,} pulse answers; "
            f"{round(icc * 100)}% of the variance in the pulse score lies between teams."]
    for effect in effects[:2]:
        text.append(f"Per point of {effect.label}, team integration is {effect.estimate:+.2f} points "
                    f"({pct} CI {effect.low:+.2f} to {effect.high:+.2f}); standardised "
                    f"{effect.standardised:+.2f} ({effect.standardised_low:+.2f} to {effect.standardised_high:+.2f}).")
    if not result.converged:
        text.append("The model did not converge: do not read these estimates.")
    return ModelTest(used, result, tuple(effects), icc, team_size, level, engine, tuple(text))


@dataclass(frozen=True)
class GroupChange:
    """Teams' mean integration before (first wave) and after (second), and the mean change with its interval."""

    teams: int
    before: float
    after: float
    change: float
    low: float
    high: float


@dataclass(frozen=True)
class PlanChange:
    with_plan: GroupChange
    without_plan: GroupChange
    #: the change with a plan minus the change without (Welch's t interval)
    difference: float
    se: float
    low: float
    high: float
    df: float
    #: the difference over the pooled SD of the teams' changes
    standardised: float
    #: teams left out: not in both waves with at least k answers each
    teams_left_out: int
    level: float
    text: tuple[str, ...]


def _group(changes: pd.DataFrame, level: float) -> GroupChange:
    n = len(changes)
    change = float(changes["change"].mean())
    half = (float(stats.t.ppf(0.5 + level / 2, n - 1)) * float(changes["change"].std()) / math.sqrt(n)
            if n > 1 else math.nan)
    return GroupChange(n, float(changes["before"].mean()), float(changes["after"].mean()), change,
                       change - half, change + half)


def plan_change(data: pd.DataFrame, level: float = 0.95, k: int = MIN_K) -> PlanChange:
    """The change in team integration from the first to the second wave, with and without a development plan.

    ``data``: pulse answers with organisation, team, wave, score and plan (the leader worked on a plan
    between the waves). The first and second waves are the two lowest wave numbers.
    """
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K} (anonymity minimum), got {k}")
    missing = [c for c in ("team", "wave", "score", "plan") if c not in data.columns]
    if missing:
        raise ValueError(f"the data need the columns {', '.join(missing)}")
    data = data.dropna(subset=["team", "wave", "score", "plan"])
    waves = sorted(data["wave"].unique())
    if len(waves) < 2:
        raise ValueError(f"a before/after comparison needs two waves; the data have {len(waves)}")
    first, second = waves[0], waves[1]
    plans = data.groupby("team")["plan"].agg(lambda s: set(map(bool, s)))
    mixed = [str(t) for t, p in plans.items() if len(p) > 1]
    if mixed:
        raise ValueError(f"team {mixed[0]} is marked both with and without a plan")
    means = data[data["wave"].isin([first, second])].groupby(["team", "wave"])["score"].agg(["mean", "size"])
    wide = means["mean"].unstack("wave")
    sizes = means["size"].unstack("wave").fillna(0)
    usable = wide.index[(sizes[first] >= k) & (sizes[second] >= k)]
    teams = pd.DataFrame({"before": wide.loc[usable, first], "after": wide.loc[usable, second]})
    teams["change"] = teams["after"] - teams["before"]
    teams["plan"] = [next(iter(plans[t])) for t in teams.index]
    yes, no = teams[teams["plan"]], teams[~teams["plan"]]
    if len(yes) < 2 or len(no) < 2:
        raise ValueError(f"a comparison needs at least 2 teams with a plan and 2 without in both waves with {k} or "
                         f"more answers; there are {len(yes)} and {len(no)}")
    va, vb = float(yes["change"].var()) / len(yes), float(no["change"].var()) / len(no)
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(yes) - 1) + vb**2 / (len(no) - 1))
    difference = float(yes["change"].mean() - no["change"].mean())
    half = float(stats.t.ppf(0.5 + level / 2, df)) * se
    pooled = math.sqrt(((len(yes) - 1) * float(yes["change"].var()) + (len(no) - 1) * float(no["change"].var()))
                       / (len(yes) + len(no) - 2))
    with_plan, without = _group(yes, level), _group(no, level)
    left_out = int(data["team"].nunique()) - len(teams)
    pct = _percent(level)
    text: tuple[str, ...] = (
            f"Teams whose leader worked on a development plan changed by {with_plan.change:+.2f} points between the "
            f"waves ({pct} CI {with_plan.low:+.2f} to {with_plan.high:+.2f}; {with_plan.teams} teams), teams whose "
            f"leader had none by {without.change:+.2f} ({without.low:+.2f} to {without.high:+.2f}; {without.teams} "
            f"teams): a difference of {difference:+.2f} ({pct} CI {difference - half:+.2f} to {difference + half:+.2f}"
            f", Welch's t), {difference / pooled:+.2f} SDs of the teams' changes.",
            "Leaders chose whether to make a plan, so this difference is not the plan's effect: leaders and teams "
            "who chose one may differ in ways the comparison cannot see.")
    if left_out:
        which = "1 team is left out: it lacks" if left_out == 1 else f"{left_out} teams are left out: they lack"
        text = (*text, f"{which} {k} or more answers in one of the waves.")
    return PlanChange(with_plan, without, difference, se, difference - half, difference + half, df,
                      difference / pooled, left_out, level, text)


def power_notes(test: ModelTest, effects: Sequence[float] = (0.1, 0.19, 0.3), alpha: float = 0.05,
                power: float = 0.80) -> list[PowerNote]:
    """Teams needed for each standardised effect, at this study's ICC and mean team size."""
    size = max(1, round(test.team_size))
    icc = min(max(test.icc, 0.0), 0.99)
    return [teams_needed(e, team_size=size, icc=icc, alpha=alpha, power=power) for e in effects]


def method_note(test: ModelTest, change: PlanChange | None = None) -> tuple[str, ...]:
    """What the analysis can and cannot show, in plain sentences for the page."""
    main = test.effects[0]
    pct = _percent(test.level)
    can = [
        f"It can show whether, across {test.fit.n_teams} teams in {test.fit.n_organisations} organisations, teams "
        "whose leaders others rate higher on the model's processes report more integrated working, after allowing "
        "for differences between organisations and between the waves. Here: "
        f"{main.estimate:+.2f} points per point of the main processes ({pct} CI {main.low:+.2f} to "
        f"{main.high:+.2f}).",
        test.guard.text,
    ]
    cannot = [
        "It cannot show that the leaders caused it. Leaders were not assigned to teams at random; well-integrated "
        "teams may make their leader look good, and other things (workload, stability, the service) may drive both.",
        "The pulse is anonymous, so each wave is a new sample of a team's people, not the same people followed; the "
        "waves show how teams changed, not how persons did.",
        "The pulse items are Flourish's own and not yet validated, and only consented, de-identified data from the "
        "organisations that took part are included; they may not stand for others.",
        f"With {test.fit.n_organisations} organisations the variance between organisations is estimated roughly; the "
        "intervals are Wald intervals and assume the model's normal random effects.",
    ]
    if change is not None:
        cannot.append("The before/after comparison of development plans is not a trial: leaders chose their plans, "
                      "so it describes what happened, not what a plan would do.")
    return ("What this analysis can show", *can, "What it cannot show", *cannot)
