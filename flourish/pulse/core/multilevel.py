"""The model test across teams: practitioners' pulse scores in teams in organisations, on the
leader's process scores as others rated them (issue 15, item 3).

    score ~ leader_main_c + leader_borderline_c + wave + (1 | organisation) + (1 | organisation:team)

fitted by REML with statsmodels' MixedLM (organisations as groups, teams as a variance
component within them), the same model as lme4's ``lmer`` above; bench/pulse_reference.R fits it
in lme4 and the tests compare. Leader scores are centred on their grand mean, so the intercept is
the pulse score at an average leader in the first wave.

Confidence intervals are Wald intervals (estimate ± z·SE). Standardised effects divide by the
pulse score's total standard deviation and multiply by the leader score's.

What it can and cannot show: an association across teams between how others see a leader and
how integrated their team's working is, net of organisation; not that the leader caused it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.regression.mixed_linear_model import MixedLM

__all__ = ["Estimate", "Fit", "PREDICTORS", "fit", "frame"]

#: The fixed effects besides the intercept, in order; leader scores are centred before fitting.
PREDICTORS = ("leader_main", "leader_borderline", "wave")
CENTRED = ("leader_main", "leader_borderline")


@dataclass(frozen=True)
class Estimate:
    estimate: float
    se: float
    low: float
    high: float
    standardised: float | None


@dataclass(frozen=True)
class Fit:
    fixed: Mapping[str, Estimate]
    #: variances: "organisation", "team", "residual"
    variances: Mapping[str, float]
    n_rows: int
    n_teams: int
    n_organisations: int
    converged: bool
    reml_criterion: float


#: Columns ``frame`` carries when the rows have them: the development plan and the common-method guard's.
OPTIONAL = ("plan", "also_rater", "lag_days")


def frame(rows: Sequence[Any]) -> pd.DataFrame:
    """A DataFrame from rows with organisation, team, wave, leader_main, leader_borderline and score
    (and plan, also_rater, lag_days where the first row has them)."""
    names = ["organisation", "team", "wave", "leader_main", "leader_borderline", "score"]
    if rows:
        first = rows[0]
        names += [n for n in OPTIONAL if (n in first if isinstance(first, Mapping) else hasattr(first, n))]

    def value(row: Any, name: str) -> Any:
        return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)

    return pd.DataFrame({n: [value(r, n) for r in rows] for n in names})


def prepare(data: pd.DataFrame) -> pd.DataFrame:
    """The rows the model can use, with the leader scores centred; ValueError naming what is missing."""
    needed = ("organisation", "team", "score", *PREDICTORS)
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise ValueError(f"the data need the columns {', '.join(missing)}")
    data = data.dropna(subset=list(needed)).copy()
    n_teams, n_orgs = data["team"].nunique(), data["organisation"].nunique()
    if n_orgs < 2 or n_teams < 4:
        places = "organisation" if n_orgs == 1 else "organisations"
        raise ValueError(f"{n_teams} teams in {n_orgs} {places} are too few for a model across teams "
                         "(it needs at least 2 organisations and 4 teams)")
    for name in CENTRED:
        data[name + "_c"] = data[name] - data[name].mean()
    data["wave"] = data["wave"].astype(float)
    return data


def fit(data: pd.DataFrame, level: float = 0.95) -> Fit:
    """Fit the model by REML; raise ValueError naming what is missing if it cannot be fitted."""
    data = prepare(data)
    n_teams, n_orgs = data["team"].nunique(), data["organisation"].nunique()
    model = MixedLM.from_formula("score ~ leader_main_c + leader_borderline_c + wave", data, groups="organisation",
                                 re_formula="1", vc_formula={"team": "0 + C(team)"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence is reported in Fit.converged, not as a warning
        result = model.fit(reml=True, method=["lbfgs"], gtol=1e-10, maxiter=2000)
    z = NormalDist().inv_cdf(0.5 + level / 2)
    residual = float(result.scale)
    org_var = float(np.asarray(result.cov_re)[0, 0])
    team_var = float(np.asarray(result.vcomp)[0]) if len(result.vcomp) else 0.0
    total_sd = math.sqrt(residual + org_var + team_var)
    fixed: dict[str, Estimate] = {}
    ses = _gls_standard_errors(data, org_var, team_var, residual)
    for i, name in enumerate(["intercept", *PREDICTORS]):
        est, se = float(result.fe_params.iloc[i]), float(ses[i])
        std = float(est * data[name].std() / total_sd) if name in CENTRED else None
        fixed[name] = Estimate(est, se, est - z * se, est + z * se, std)
    return Fit(fixed, {"organisation": org_var, "team": team_var, "residual": residual}, len(data), n_teams,
               n_orgs, bool(result.converged), float(-2 * result.llf))


def _gls_standard_errors(data: pd.DataFrame, org_var: float, team_var: float, residual: float) -> np.ndarray[Any, Any]:
    """√diag((X′V⁻¹X)⁻¹) at the REML variances: the fixed-effect SEs lme4 reports.

    statsmodels' ``bse_fe`` comes from the Hessian over all parameters together and differs from
    lme4's in the third decimal (0.0608 against 0.0603 on the simulated data); the GLS form is the
    usual one, conditional on the variance estimates, and is what lme4's ``vcov()`` gives.
    """
    x = np.column_stack([np.ones(len(data))] + [data[n + "_c" if n in CENTRED else n].to_numpy(float)
                                                for n in PREDICTORS])
    information = np.zeros((x.shape[1], x.shape[1]))
    organisations = data["organisation"].to_numpy()
    teams = data["team"].to_numpy()
    for org in pd.unique(organisations):
        rows = organisations == org
        own_teams, team_index = np.unique(teams[rows], return_inverse=True)
        # V = σ²I + Z G Z′ with Z = [1 | team indicators]; Woodbury keeps it to (1 + teams)-square
        # matrices, and this form needs no G⁻¹, so a variance estimated at 0 is fine.
        z = np.column_stack([np.ones(int(rows.sum())), np.eye(len(own_teams))[team_index]])
        g = np.diag([org_var] + [team_var] * len(own_teams))
        xo = x[rows]
        zx = z.T @ xo
        inner = np.linalg.solve(residual * np.eye(z.shape[1]) + z.T @ z @ g, zx)
        information += (xo.T @ xo - zx.T @ g @ inner) / residual
    return np.sqrt(np.diag(np.linalg.inv(information)))
