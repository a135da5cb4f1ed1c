"""How many teams a cross-level test needs: the power note (issue 15, item 3).

Method: the sampling variance of the coefficient of a team-level predictor (the leader's score)
in a two-level random-intercept model with J teams of n respondents, for a predictor with
variance 1 and an outcome whose residual variance is split into between-team ρ and within-team
1 − ρ (Snijders & Bosker 2012, ch. 11; Raudenbush 1997), is

    var(β̂) = (ρ + (1 − ρ) / n) / J,

which is exact for balanced teams with known variances (the estimate is then the regression of
team means on the predictor, whose sum of squares is (J − 1) for a sample variance of 1). The
test statistic then follows a noncentral t on J − 2 degrees of freedom with noncentrality
δ·√((J − 1) / (ρ + (1 − ρ) / n)); we give the smallest J whose two-sided power at level α reaches
the target, starting from the normal approximation J ≈ (z₁₋α/₂ + z₁₋β)² · (ρ + (1 − ρ)/n) / δ².
δ is the standardised effect: the change in the pulse score, in residual standard deviations,
per standard deviation of the leader's score. The organisation level is ignored (it adds
variance, so real studies need somewhat more teams), as is dropout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from scipy import stats

__all__ = ["PowerNote", "teams_needed"]


@dataclass(frozen=True)
class PowerNote:
    teams: int
    effect: float
    team_size: int
    icc: float
    alpha: float
    power: float
    text: str


def teams_needed(effect: float, team_size: int = 12, icc: float = 0.15, alpha: float = 0.05,
                 power: float = 0.80) -> PowerNote:
    if not effect > 0:
        raise ValueError(f"the effect must be above 0, got {effect}")
    if team_size < 1:
        raise ValueError(f"a team needs at least 1 respondent, got {team_size}")
    if not 0 <= icc < 1:
        raise ValueError(f"the ICC must be from 0 to below 1, got {icc}")
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError(f"alpha and power must lie between 0 and 1, got {alpha} and {power}")
    design = icc + (1 - icc) / team_size
    z = NormalDist().inv_cdf(1 - alpha / 2) + NormalDist().inv_cdf(power)
    teams = max(4, math.ceil(z * z * design / effect**2))
    while _power(teams, effect, design, alpha) >= power and teams > 4:
        teams -= 1
    while _power(teams, effect, design, alpha) < power:
        teams += 1
    text = (f"To detect a standardised effect of {effect:g} (pulse-score SDs per SD of the leader's score) "
            f"with {round(power * 100)}% power at α = {alpha:g}, two-sided, about {teams} teams of {team_size} "
            f"are needed, if {round(icc * 100)}% of the variance lies between teams. Method: the variance of a "
            f"team-level coefficient, (ICC + (1 − ICC)/n)/(J − 1) (Snijders & Bosker 2012), and the noncentral t "
            f"on J − 2 df; organisation-level variance and dropout would raise it.")
    return PowerNote(teams, effect, team_size, icc, alpha, power, text)


def _power(teams: int, effect: float, design: float, alpha: float) -> float:
    df = teams - 2
    critical = float(stats.t.ppf(1 - alpha / 2, df))
    nc = effect * math.sqrt((teams - 1) / design)
    return float(stats.nct.sf(critical, df, nc) + stats.nct.cdf(-critical, df, nc))
