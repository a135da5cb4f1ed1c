"""Reliability and item analysis for questionnaire scales.

Missing values are NaN ("not able to observe").  Handling:

* item descriptives (n, mean, SD, floor/ceiling %) and missingness use all available
  responses to that item (pairwise / available-case);
* Cronbach's alpha, its confidence interval, alpha-if-item-deleted, item-rest correlations,
  the scale score distribution and McDonald's omega use the complete cases on the scale's
  items (listwise deletion); ``n_complete`` says how many.

Cronbach's alpha::

    alpha = k / (k - 1) * (1 - sum(var(item_i)) / var(sum of items))      (variances with n - 1)

Confidence interval: Feldt (1965), as psych::alpha.ci.  With F quantiles on (n - 1) and
(n - 1)(k - 1) degrees of freedom::

    lower = 1 - (1 - alpha) * F(1 - level/2 tail),  upper = 1 - (1 - alpha) * F(level/2 tail)

McDonald's omega total from a one-factor CFA (ML, factor variance fixed to 1, lavaan
conventions via :func:`flourish.stats.cfa.fit_cfa`)::

    omega = (sum lambda)^2 / ((sum lambda)^2 + sum theta)

where lambda are the loadings and theta the residual variances.  It needs at least 3 items
and a converged fit; otherwise it is reported as None with a reason.
"""
from __future__ import annotations

import math

import numpy as np

from .errors import StatsError
from .io import get_columns


def cronbach_alpha(X: np.ndarray) -> float:
    """Alpha of complete-case matrix X (n x k)."""
    k = X.shape[1]
    item_var = X.var(axis=0, ddof=1).sum()
    total_var = X.sum(axis=1).var(ddof=1)
    if total_var <= 0:
        return float("nan")
    return k / (k - 1) * (1.0 - item_var / total_var)


def feldt_ci(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    from scipy.special import fdtri  # the F quantile; scipy.stats would cost ~0.7 s to import

    g = 1 - level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lower = 1 - (1 - alpha) * fdtri(df1, df2, 1 - g / 2)
    upper = 1 - (1 - alpha) * fdtri(df1, df2, g / 2)
    return float(lower), float(upper)


def omega_total(X: np.ndarray, names: list[str]) -> tuple[float | None, str | None]:
    if X.shape[1] < 3:
        return None, "omega needs at least 3 items (a one-factor model with 2 items is not identified)"
    from .cfa import fit_cfa
    data = {n: X[:, i] for i, n in enumerate(names)}
    model = "F =~ " + " + ".join(names)
    try:
        res = fit_cfa(data, model, std_lv=True)
    except StatsError as exc:
        return None, f"one-factor model could not be fitted: {exc.message}"
    if not res["converged"]:
        return None, "one-factor model did not converge"
    lam = sum(r["est"] for r in res["parameters"] if r["op"] == "=~")
    theta = sum(r["est"] for r in res["parameters"] if r["op"] == "~~" and r["lhs"] == r["rhs"]
                and r["lhs"] in names)
    return lam ** 2 / (lam ** 2 + theta), None


def _f(v):
    return None if v is None or not math.isfinite(v) else float(v)


def scale_reliability(data, items: list[str], name: str = "scale", scale_min: float | None = None,
                      scale_max: float | None = None, level: float = 0.95) -> dict:
    """Item analysis and reliability for one scale.

    scale_min/scale_max: the lowest and highest possible response (e.g. 1 and 5); default is the
    lowest and highest response observed on any of the items.  Floor/ceiling = % of respondents
    at that minimum/maximum (per item, and for the scale mean score of complete cases).
    """
    if len(items) < 2:
        raise StatsError(f"Scale '{name}' needs at least 2 items (got {len(items)}).")
    if len(set(items)) != len(items):
        raise StatsError(f"Scale '{name}' lists an item twice.")
    X = get_columns(data, items)
    n_total = X.shape[0]
    obs = ~np.isnan(X)
    if not obs.any():
        raise StatsError(f"Scale '{name}': every response is missing.")
    lo = float(np.nanmin(X)) if scale_min is None else float(scale_min)
    hi = float(np.nanmax(X)) if scale_max is None else float(scale_max)
    complete = obs.all(axis=1)
    Xc = X[complete]
    n = int(Xc.shape[0])
    k = len(items)
    if n < 3:
        raise StatsError(f"Scale '{name}': only {n} respondents answered every item; at least 3 are needed.")
    alpha = cronbach_alpha(Xc)
    ci = feldt_ci(alpha, n, k, level) if math.isfinite(alpha) else (float("nan"), float("nan"))
    total = Xc.sum(axis=1)
    item_rows = []
    for i, item in enumerate(items):
        col = X[:, i][obs[:, i]]
        rest = total - Xc[:, i]
        if np.std(rest) > 0 and np.std(Xc[:, i]) > 0:
            r_rest = float(np.corrcoef(Xc[:, i], rest)[0, 1])
        else:
            r_rest = float("nan")
        others = [j for j in range(k) if j != i]
        a_del = cronbach_alpha(Xc[:, others]) if len(others) >= 2 else float("nan")
        item_rows.append({
            "item": item, "n": int(col.size), "missing": int(n_total - col.size),
            "missing_pct": 100.0 * (n_total - col.size) / n_total if n_total else 0.0,
            "mean": _f(col.mean()) if col.size else None,
            "sd": _f(col.std(ddof=1)) if col.size > 1 else None,
            "floor_pct": 100.0 * float(np.mean(col == lo)) if col.size else None,
            "ceiling_pct": 100.0 * float(np.mean(col == hi)) if col.size else None,
            "item_rest_r": _f(r_rest), "alpha_if_deleted": _f(a_del),
        })
    score = Xc.mean(axis=1)
    omega, why = omega_total(Xc, items)
    out = {
        "scale": name, "items": items, "k": k, "n_total": n_total, "n_complete": n,
        "mean": _f(score.mean()), "sd": _f(score.std(ddof=1)),
        "alpha": _f(alpha), "alpha_ci_lower": _f(ci[0]), "alpha_ci_upper": _f(ci[1]),
        "alpha_ci_level": level, "alpha_ci_method": "Feldt (1965) F-based, as psych::alpha.ci",
        "omega_total": _f(omega) if omega is not None else None,
        "omega_method": "one-factor ML CFA (std.lv), omega = (sum lambda)^2 / ((sum lambda)^2 + sum theta)",
        "scale_min": lo, "scale_max": hi,
        "floor_pct": 100.0 * float(np.mean(np.isclose(score, lo))),
        "ceiling_pct": 100.0 * float(np.mean(np.isclose(score, hi))),
        "item_statistics": item_rows,
        "missing_handling": "item statistics: available cases; alpha, omega, item-rest r, scale score: "
                            "complete cases (listwise)",
    }
    if why:
        out["omega_note"] = why
    return out


def missingness(data, items: list[str]) -> list[dict]:
    """Per item: n observed, n missing and % missing."""
    X = get_columns(data, items)
    n = X.shape[0]
    miss = np.isnan(X).sum(axis=0)
    return [{"item": it, "n": int(n - m), "missing": int(m), "missing_pct": 100.0 * m / n if n else 0.0}
            for it, m in zip(items, miss)]


def missingness_by_group(data, items: list[str], group: str) -> dict[str, list[dict]]:
    """Per group (value of column `group`, in order of first appearance): :func:`missingness`."""
    if group not in data:
        raise StatsError(f"Grouping column '{group}' is not in the data.")
    get_columns(data, items)  # validates names and numbers
    labels = ["" if v is None else str(v).strip() for v in data[group]]
    order = list(dict.fromkeys(labels))
    out = {}
    for lab in order:
        idx = [i for i, v in enumerate(labels) if v == lab]
        sub = {it: [data[it][i] for i in idx] for it in items}
        out[lab if lab else "(missing)"] = missingness(sub, items)
    return out
