"""The power note: teams needed for a cross-level effect, by formula and by simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from flourish.pulse.core.power import teams_needed


def test_huber_et_als_effect_needs_about_fifty_teams_of_twelve():
    note = teams_needed(0.19, team_size=12, icc=0.15)
    # normal quantiles: (1.95996 + 0.84162)² · (0.15 + 0.85/12) / 0.19² = 48.02 → 49; the noncentral t
    # on J − 2 df with J − 1 in the noncentrality asks a little more
    z_answer = math.ceil((1.959964 + 0.841621) ** 2 * (0.15 + 0.85 / 12) / 0.19**2)
    assert z_answer == 49
    assert note.teams == 51
    assert "about 51 teams of 12" in note.text and "Snijders & Bosker" in note.text


def test_more_teams_for_smaller_effects_and_more_between_team_variance():
    assert teams_needed(0.1).teams > teams_needed(0.2).teams > teams_needed(0.4).teams
    assert teams_needed(0.2, icc=0.3).teams > teams_needed(0.2, icc=0.05).teams


def test_the_teams_it_names_give_eighty_percent_power_in_simulation():
    # Balanced teams with a team-level predictor: the GLS estimate is the regression of team means.
    effect, n, rho = 0.3, 12, 0.15
    teams = teams_needed(effect, team_size=n, icc=rho).teams
    rng = np.random.default_rng(15)
    hits, reps = 0, 4000
    from scipy import stats
    critical = stats.t.ppf(0.975, teams - 2)
    for _ in range(reps):
        x = rng.normal(size=teams)
        x = (x - x.mean()) / x.std(ddof=1)  # the design: a predictor of sample variance 1
        means = effect * x + rng.normal(0, math.sqrt(rho), teams) + rng.normal(0, math.sqrt((1 - rho) / n), teams)
        slope, intercept = np.polyfit(x, means, 1)
        residual = means - (slope * x + intercept)
        se = math.sqrt(residual @ residual / (teams - 2) / ((x - x.mean()) @ (x - x.mean())))
        hits += abs(slope / se) > critical
    assert hits / reps == pytest.approx(0.80, abs=0.03)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"effect": 0}, "the effect must be above 0"),
    ({"effect": 0.2, "icc": 1.0}, "the ICC must be from 0 to below 1"),
    ({"effect": 0.2, "team_size": 0}, "at least 1 respondent"),
    ({"effect": 0.2, "power": 1.2}, "alpha and power must lie between 0 and 1"),
])
def test_impossible_questions_are_refused_saying_which(kwargs, message):
    with pytest.raises(ValueError, match=message):
        teams_needed(**kwargs)
