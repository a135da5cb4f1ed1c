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
conventions via :func:`flourish.stats.cfa.fit_cfa`), as semTools::compRelSEM (obs.var = TRUE)::

    omega = (sum lambda)^2 / (1' S 1)

where lambda are the loadings and S the observed covariance matrix (divisor n), so the
denominator is the observed variance of the sum score.  It needs at least 3 items and a
converged fit; otherwise it is reported as None with a reason.  A negative loading makes omega
meaningless (the item is probably worded the other way round): it is warned about, and
``reverse`` recodes such items as min + max - x before anything is computed.

Ordinal versions (``ordinal=True``), on the polychoric correlations R of the complete cases:

* ordinal alpha (Zumbo, Gadermann & Zeisser 2007): alpha of R, k/(k-1) (1 - k / 1'R1);
* omega of the latent responses: (sum lambda)^2 / 1'R1 with the loadings of a one-factor WLSMV
  fit (semTools::compRelSEM(fit, ord.scale = FALSE));
* categorical omega (Green & Yang 2009; compRelSEM's default for ordered items): the share of
  the sum score's variance due to the factor, sum_ij sum_cc' [Phi2(t_ic, t_jc'; lambda_i lambda_j)
  - Phi(t_ic) Phi(t_jc')] over the same sum with the polychoric correlations (1 on the diagonal).

:func:`model_omegas` gives the omega of each factor of the hypothesised multi-factor model
(all scales in one CFA, factors correlated): (sum lambda_f)^2 / observed variance of that
scale's sum score, as compRelSEM on that model.
"""
from __future__ import annotations

import math
from typing import Any, cast

import numpy as np

from .errors import StatsError
from .io import Data, get_columns


def cronbach_alpha(X: np.ndarray) -> float:
    """Alpha of complete-case matrix X (n x k)."""
    k = X.shape[1]
    item_var = X.var(axis=0, ddof=1).sum()
    total_var = X.sum(axis=1).var(ddof=1)
    if total_var <= 0:
        return float("nan")
    return cast(float, k / (k - 1) * (1.0 - item_var / total_var))


def feldt_ci(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    from scipy.special import fdtri  # the F quantile; scipy.stats would cost ~0.7 s to import

    g = 1 - level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lower = 1 - (1 - alpha) * fdtri(df1, df2, 1 - g / 2)
    upper = 1 - (1 - alpha) * fdtri(df1, df2, g / 2)
    return float(lower), float(upper)


def _one_factor(X: np.ndarray, names: list[str], ordered: bool = False) -> tuple[dict[str, Any] | None, str | None]:
    if X.shape[1] < 3:
        return None, "omega needs at least 3 items (a one-factor model with 2 items is not identified)"
    from .cfa import fit_cfa
    data = {n: X[:, i] for i, n in enumerate(names)}
    model = "F =~ " + " + ".join(names)
    try:
        res = fit_cfa(data, model, std_lv=True, ordered=ordered)
    except StatsError as exc:
        return None, f"one-factor model could not be fitted: {exc.message}"
    if not res["converged"]:
        return None, "one-factor model did not converge"
    return res, None


def omega_total(X: np.ndarray, names: list[str]) -> tuple[float | None, str | None, dict[str, float]]:
    """(omega, reason it is missing, loadings by item)."""
    res, why = _one_factor(X, names)
    if res is None:
        return None, why, {}
    loadings = {r["rhs"]: float(r["est"]) for r in res["parameters"] if r["op"] == "=~"}
    S = np.cov(X, rowvar=False, bias=True)
    return sum(loadings.values()) ** 2 / float(S.sum()), None, loadings


def ordinal_reliability(X: np.ndarray, names: list[str]) -> dict[str, object]:
    """Ordinal alpha, latent-response omega and Green & Yang's categorical omega (see above)."""
    from scipy.special import ndtr

    from .cfa.polychoric import Polychoric, bvn_cdf, recode_ordinal

    codes, _levels = recode_ordinal(X, names)
    R = Polychoric(codes, need_gamma=False).R
    k = len(names)
    out: dict[str, object] = {"ordinal_alpha": _f(k / (k - 1) * (1 - k / float(R.sum()))),
                              "ordinal_omega_latent": None, "ordinal_omega_categorical": None}
    res, why = _one_factor(X, names, ordered=True)
    if res is None:
        out["ordinal_omega_note"] = why
        return out
    lam = np.array([r["est"] for r in res["parameters"] if r["op"] == "=~"])
    tau: dict[str, list[float]] = {}
    for r in res["parameters"]:
        if r["op"] == "|":
            tau.setdefault(r["lhs"], []).append(float(r["est"]))
    num = den = 0.0
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            ti = np.array(tau[a])[:, None] + np.zeros((1, len(tau[b])))
            tj = np.array(tau[b])[None, :] + np.zeros((len(tau[a]), 1))
            indep = ndtr(ti) * ndtr(tj)
            num += float((bvn_cdf(ti, tj, np.full(ti.shape, lam[i] * lam[j])) - indep).sum())
            rho = 1.0 if i == j else float(R[i, j])
            den += float((bvn_cdf(ti, tj, np.full(ti.shape, rho)) - indep).sum())
    out["ordinal_omega_latent"] = _f(float(lam.sum()) ** 2 / float(R.sum()))
    out["ordinal_omega_categorical"] = _f(num / den)
    return out


def _f(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(v) else float(v)


def scale_reliability(data: Data, items: list[str], name: str = "scale", scale_min: float | None = None,
                      scale_max: float | None = None, level: float = 0.95, reverse: list[str] | tuple[str, ...] = (),
                      ordinal: bool = False) -> dict[str, Any]:
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
    mine = [r for r in reverse if r in items]
    for item in mine:  # reverse-keyed: 1..5 becomes 5..1
        X[:, items.index(item)] = lo + hi - X[:, items.index(item)]
    complete = obs.all(axis=1)
    Xc = X[complete]
    n = int(Xc.shape[0])
    k = len(items)
    if n < 3:
        raise StatsError(f"Scale '{name}': only {n} respondents answered every item; at least 3 are needed.")
    alpha = cronbach_alpha(Xc)
    ci = feldt_ci(alpha, n, k, level) if math.isfinite(alpha) else (float("nan"), float("nan"))
    total = Xc.sum(axis=1)
    item_rows: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        col = X[:, i][obs[:, i]]
        rest = total - Xc[:, i]
        varies = np.std(rest) > 0 and np.std(Xc[:, i]) > 0
        r_rest = float(np.corrcoef(Xc[:, i], rest)[0, 1]) if varies else float("nan")
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
    omega, why, loadings = omega_total(Xc, items)
    warnings = []
    for it in item_rows:
        item = it["item"]
        neg_load = loadings.get(item, 0.0) < 0
        neg_r = it["item_rest_r"] is not None and it["item_rest_r"] < 0
        if neg_load or neg_r:
            what = (f"loads negatively on the scale's factor ({loadings[item]:.3f})" if neg_load else
                    f"correlates negatively with the rest of the scale (r = {it['item_rest_r']:.3f})")
            warnings.append(f"{item} {what}: it is probably worded the other way round. Alpha and omega assume "
                            f"every item is keyed the same way; reverse it (--reverse {item}) if it is.")
    out = {
        "scale": name, "items": items, "k": k, "n_total": n_total, "n_complete": n,
        "mean": _f(score.mean()), "sd": _f(score.std(ddof=1)),
        "alpha": _f(alpha), "alpha_ci_lower": _f(ci[0]), "alpha_ci_upper": _f(ci[1]),
        "alpha_ci_level": level, "alpha_ci_method": "Feldt (1965) F-based, as psych::alpha.ci",
        "omega_total": _f(omega) if omega is not None else None,
        "omega_method": "one-factor ML CFA (std.lv), omega = (sum lambda)^2 / observed variance of the sum "
                        "score, as semTools::compRelSEM",
        "loadings": loadings, "reversed": mine, "warnings": warnings,
        "scale_min": lo, "scale_max": hi,
        "floor_pct": 100.0 * float(np.mean(np.isclose(score, lo))),
        "ceiling_pct": 100.0 * float(np.mean(np.isclose(score, hi))),
        "item_statistics": item_rows,
        "missing_handling": "item statistics: available cases; alpha, omega, item-rest r, scale score: "
                            "complete cases (listwise)",
    }
    if why:
        out["omega_note"] = why
    if ordinal:
        out.update(ordinal_reliability(Xc, items))
    return out


def model_omegas(data: Data, scales: list[tuple[str, list[str]]], reverse: list[str] | tuple[str, ...] = (),
                 scale_min: float | None = None, scale_max: float | None = None) -> dict[str, object]:
    """Omega of each scale within the hypothesised multi-factor model (one factor per scale,
    correlated, ML, std.lv), on the rows that answer every item of every scale."""
    from .cfa import fit_cfa

    names = [i for _, items in scales for i in items]
    X = get_columns(data, names)
    lo = float(np.nanmin(X)) if scale_min is None else float(scale_min)
    hi = float(np.nanmax(X)) if scale_max is None else float(scale_max)
    for item in reverse:
        if item in names:
            X[:, names.index(item)] = lo + hi - X[:, names.index(item)]
    X = X[~np.isnan(X).any(axis=1)]
    factor = {n: f"F{k + 1}" for k, (n, _) in enumerate(scales)}
    model = "\n".join(f"{factor[n]} =~ " + " + ".join(items) for n, items in scales)
    out: dict[str, object] = {"model": model, "n_complete": int(X.shape[0]), "omega": {},
                              "method": "one factor per scale, factors correlated (ML, std.lv); omega of a "
                                        "scale = (sum of its loadings)^2 / observed variance of its sum score"}
    try:
        res = fit_cfa({n: X[:, i] for i, n in enumerate(names)}, model, std_lv=True)
    except StatsError as exc:
        out["note"] = f"the multi-factor model could not be fitted: {exc.message}"
        return out
    if not res["converged"]:
        out["note"] = "the multi-factor model did not converge"
        return out
    S = np.cov(X, rowvar=False, bias=True)
    omegas: dict[str, float | None] = {}
    for n, items in scales:
        lam = sum(r["est"] for r in res["parameters"] if r["op"] == "=~" and r["lhs"] == factor[n])
        idx = [names.index(i) for i in items]
        omegas[n] = _f(lam ** 2 / float(S[np.ix_(idx, idx)].sum()))
    out["omega"] = omegas
    return out


def missingness(data: Data, items: list[str]) -> list[dict[str, Any]]:
    """Per item: n observed, n missing and % missing."""
    X = get_columns(data, items)
    n = X.shape[0]
    miss = np.isnan(X).sum(axis=0)
    return [{"item": it, "n": int(n - m), "missing": int(m), "missing_pct": 100.0 * m / n if n else 0.0}
            for it, m in zip(items, miss)]


def missingness_by_group(data: Data, items: list[str], group: str) -> dict[str, list[dict[str, Any]]]:
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


def reliability_by_group(data: Data, items: list[str], name: str, group: str, scale_min: float | None = None,
                         scale_max: float | None = None, reverse: list[str] | tuple[str, ...] = (),
                         ordinal: bool = False) -> dict[str, dict[str, Any]]:
    """Per value of column `group` (order of first appearance): :func:`scale_reliability` with the
    same response range for every group; a group that cannot be analysed gets {"note": why}."""
    if group not in data:
        raise StatsError(f"Grouping column '{group}' is not in the data.")
    X = get_columns(data, items)
    lo = float(np.nanmin(X)) if scale_min is None else float(scale_min)
    hi = float(np.nanmax(X)) if scale_max is None else float(scale_max)
    for item in reverse:
        if item in items:
            X[:, items.index(item)] = lo + hi - X[:, items.index(item)]
    labels = ["" if v is None else str(v).strip() for v in data[group]]
    out: dict[str, dict[str, Any]] = {}
    for lab in dict.fromkeys(labels):
        idx = [i for i, v in enumerate(labels) if v == lab]
        sub = {it: X[idx, j] for j, it in enumerate(items)}
        try:
            out[lab or "(missing)"] = scale_reliability(sub, items, name, lo, hi, reverse=(), ordinal=ordinal)
        except StatsError as exc:
            out[lab or "(missing)"] = {"note": exc.message}
    return out
