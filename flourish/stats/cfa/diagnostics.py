"""Diagnostics a reader of a CFA looks at, with lavaan's definitions.

* Standardized solution with standard errors (lavaan's ``standardizedSolution()``, type
  "std.all"): the delta method, se = sqrt(diag(J V J')), with J the Jacobian of the
  standardized values with respect to the free parameters (central differences) and V the
  parameters' covariance matrix (the robust one for WLSMV).
* R-square per indicator (``lavInspect(fit, "r2")``): 1 - theta_ii / sigma_ii; for ordinal
  items (delta parameterisation) the explained share of the latent response's unit variance.
* Residual correlations (``residuals(fit, type = "cor")``, lavaan's "cor.bollen"): the observed
  correlations minus the model-implied ones (polychoric ones for ordinal items).
* Modification indices with expected parameter change (``modindices()``, ML): every loading,
  residual covariance and factor covariance that is not free is freed in an extended model,
  evaluated at the estimates; with the expected information I of that model,
  V = I_ee - I_em I_mm^-1 I_me, mi = N g_e^2 / V and epc = -g_e / V (g the gradient of fmin).
  Parameters whose freeing alone would leave the model unidentified (V < eps^(1/3)) get no
  index and are left out, as lavaan's na.remove.  sepc_all standardizes the epc like the
  parameter itself.
"""
from __future__ import annotations

import math
from typing import Any, cast

import numpy as np

from .ml import GroupStats, MLObjective
from .model import Model, Param

_V_TINY = float(np.finfo(float).eps) ** (1.0 / 3.0)


_KIND_CODE = {"lambda": 0, "theta": 1, "psi": 2, "nu": 3, "alpha": 4, "tau": 5, "delta": 6}


def _index(model: Model) -> np.ndarray:
    if getattr(model, "_std_index", None) is None:
        model._std_index = np.array([(_KIND_CODE[q.kind], q.group, q.row, q.col, q.free, int(q.derived))
                                     for q in model.params], dtype=np.int64).reshape(-1, 6)
        model._std_fixed = np.array([q.value for q in model.params], dtype=float)
    return model._std_index


def _row_values(model: Model, x: np.ndarray) -> np.ndarray:
    idx = _index(model)
    free, derived = idx[:, 4], idx[:, 5]
    est = model._std_fixed.copy()
    isfree = (free >= 0) & (derived == 0)
    est[isfree] = x[free[isfree]]
    return est


def _std_values(model: Model, x: np.ndarray, mats: list[dict[str, np.ndarray]] | None = None,
                est: np.ndarray | None = None) -> np.ndarray:
    """std_all of every parameter-table row, vectorised (as result.parameter_table computes it)."""
    idx = _index(model)
    kind, grp, r, c, _free, derived = (idx[:, k] for k in range(6))
    if est is None:
        est = _row_values(model, x)
    if mats is None:
        mats = model.matrices(x)
    out = np.full(len(est), np.nan)
    ov = np.minimum(r, model.p - 1)  # threshold rows index thresholds, not items
    th_item = threshold_items(model)
    th = np.where(kind == 5, r, 0)
    r = np.where(kind == 5, 0, r)
    for g, M in enumerate(mats):
        L, P, T = M["lambda"], M["psi"], M["theta"]
        common = L @ P @ L.T
        var = np.diag(common + T).copy()
        if model.ordered:  # var(y*) = 1 / delta^2 (delta parameterisation)
            var = 1.0 / M["delta"][:, 0] ** 2
        resid = var - np.diag(common)
        rvar = resid if model.ordered else np.diag(T)
        sd_ov = np.sqrt(np.clip(var, 1e-300, None))
        sd_lv = np.sqrt(np.clip(np.diag(P), 1e-300, None))
        sel = grp == g
        e = np.where(sel & (derived == 1), resid[ov], est)
        k = sel & (kind == 0)
        out[k] = e[k] * sd_lv[c[k]] / sd_ov[r[k]]
        k = sel & (kind == 1) & (r == c)
        out[k] = e[k] / sd_ov[r[k]] ** 2
        k = sel & (kind == 1) & (r != c)
        prod = rvar[r[k]] * rvar[c[k]]
        out[k] = np.where(prod > 0, e[k] / np.sqrt(np.abs(prod)), np.nan)
        k = sel & (kind == 2)
        out[k] = e[k] / (sd_lv[r[k]] * sd_lv[c[k]])
        k = sel & (kind == 3)
        out[k] = e[k] / sd_ov[r[k]]
        k = sel & (kind == 4)
        out[k] = e[k] / sd_lv[r[k]]
        k = sel & (kind == 5)
        out[k] = e[k] / sd_ov[th_item[th[k]]] if len(th_item) else e[k]
        k = sel & (kind == 6)
        out[k] = 1.0
    return out


def threshold_items(model: Model) -> np.ndarray:
    """The item (row of Lambda) of each threshold, in the order of the tau vector."""
    return np.repeat(np.arange(model.p), model.n_thresholds) if model.ordered else np.zeros(0, dtype=np.int64)


_MATRIX = {0: "lambda", 1: "theta", 2: "psi", 3: "nu", 4: "alpha", 5: "tau", 6: "delta"}


def standardized_se(model: Model, x: np.ndarray, vcov: np.ndarray) -> np.ndarray:
    """Delta-method standard errors of std_all, one per parameter-table row.  Central
    differences; each step changes only the matrix entries of one parameter, so the model
    matrices are built once."""
    idx = _index(model)
    kind, grp, r, c, free, derived = (idx[:, k] for k in range(6))
    base_mats = model.matrices(x)
    base_est = _row_values(model, x)
    q = len(x)
    J = np.zeros((len(model.params), q))
    rows_of = [np.flatnonzero((free == k) & (derived == 0)) for k in range(q)]
    for k in range(q):
        h = 1e-6 * max(1.0, abs(float(x[k])))
        vals = []
        for sign in (1.0, -1.0):
            est = base_est.copy()
            est[rows_of[k]] = x[k] + sign * h
            mats = [dict(M) for M in base_mats]
            for n in rows_of[k]:
                name = _MATRIX[int(kind[n])]
                g = int(grp[n])
                if mats[g][name] is base_mats[g][name]:
                    mats[g][name] = base_mats[g][name].copy()
                mats[g][name][r[n], c[n]] = est[n]
                if name in ("theta", "psi"):
                    mats[g][name][c[n], r[n]] = est[n]
            vals.append(_std_values(model, x, mats, est))
        J[:, k] = (vals[0] - vals[1]) / (2 * h)
    var = np.einsum("ik,kl,il->i", J, vcov, J)
    return cast(np.ndarray, np.sqrt(np.clip(var, 0.0, None)))


def add_standardized_se(result: dict[str, Any], model: Model, x: np.ndarray, vcov: np.ndarray) -> None:
    """std_se / std_z / std_pvalue next to std_all in every parameter row (None where lavaan
    gives NA: a standardized value that cannot vary, e.g. a fixed 1 of a unit variance)."""
    from ..distributions import norm_sf

    se = standardized_se(model, x, vcov)
    for row, s in zip(result["parameters"], se):
        ok = row["std_all"] is not None and math.isfinite(float(s)) and s > 1e-8
        row["std_se"] = float(s) if ok else None
        row["std_z"] = row["std_all"] / float(s) if ok else None
        row["std_pvalue"] = 2 * norm_sf(abs(row["std_z"])) if ok else None


def r_squared(model: Model, x: np.ndarray) -> list[dict[str, float | None]]:
    """Per group: {indicator: R-square}."""
    out = []
    for M in model.matrices(x):
        L, P, T = M["lambda"], M["psi"], M["theta"]
        common = np.diag(L @ P @ L.T)
        # ordered: the latent response has variance 1 / delta^2 (1 in group 1: delta parameterisation)
        r2 = common * M["delta"][:, 0] ** 2 if model.ordered else 1.0 - np.diag(T) / (common + np.diag(T))
        # as lavaan: no R-square for an indicator with a negative residual variance (a Heywood case)
        bad = (r2 > 1.0) | (r2 < 0.0)
        out.append({name: (None if b else float(v)) for name, v, b in zip(model.ov_names, r2, bad)})
    return out


def _cor(S: np.ndarray) -> np.ndarray:
    d = 1.0 / np.sqrt(np.diag(S))
    return S * np.outer(d, d)


def residual_correlations(model: Model, x: np.ndarray, observed: list[np.ndarray]) -> list[list[list[float]]]:
    """Per group: observed minus model-implied correlations (p x p, zero diagonal up to rounding)."""
    out = []
    for (sigma, _mu), M, S in zip(model.implied(x), model.matrices(x), observed):
        implied = sigma.copy()
        if model.ordered:  # Sigma* = Delta (Lambda Psi Lambda' + Theta) Delta, unit diagonal
            d = M["delta"][:, 0]
            implied = implied * np.outer(d, d)
            implied[np.diag_indices_from(implied)] = 1.0
        R = _cor(S) - _cor(implied)
        out.append(R.tolist())
    return out


def add_diagnostics(result: dict[str, Any], model: Model, x: np.ndarray, vcov: np.ndarray,
                    observed: list[np.ndarray]) -> None:
    """Standardized SEs in the parameter rows; r2 and residual_correlations per group."""
    add_standardized_se(result, model, x, vcov)
    result["r2"] = r_squared(model, x)
    result["residual_correlations"] = residual_correlations(model, x, observed)


def _extended(model: Model) -> tuple[Model, list[int]]:
    """The model with every loading, residual covariance and factor covariance free; returns it
    and, per free parameter of the extended model, the free index it had (-1: a candidate)."""
    p, m = model.p, model.m
    params: list[Param] = []
    have = {(q.kind, q.group, q.row, q.col) for q in model.params}
    for q in model.params:
        c = Param(q.lhs, q.op, q.rhs, q.group, q.kind, q.row, q.col, q.value, free=q.free, label=q.label,
                  user=q.user, derived=q.derived)
        if q.free < 0 and not q.derived and q.kind in ("lambda", "psi", "theta"):
            c.free, c.label = -2, None  # a candidate: fixed in the model, freed here
        params.append(c)
    for g in range(model.n_groups):
        for j, lv in enumerate(model.lv_names):
            for i, ov in enumerate(model.ov_names):
                if ("lambda", g, i, j) not in have:
                    params.append(Param(lv, "=~", ov, g, "lambda", i, j, 0.0, free=-2, user=False))
        for a in range(p):
            for b in range(a):
                if ("theta", g, a, b) not in have:
                    params.append(Param(model.ov_names[b], "~~", model.ov_names[a], g, "theta", a, b, 0.0, free=-2,
                                        user=False))
        for a in range(m):
            for b in range(a):
                if ("psi", g, a, b) not in have:
                    params.append(Param(model.lv_names[b], "~~", model.lv_names[a], g, "psi", a, b, 0.0, free=-2,
                                        user=False))
    n_free = model.n_free  # the model's own free parameters keep their indices, candidates follow
    for q in params:
        if q.free == -2:
            q.free = n_free
            n_free += 1
    ext = Model(ov_names=model.ov_names, lv_names=model.lv_names, params=params, n_groups=model.n_groups,
                meanstructure=model.meanstructure, ordered=model.ordered, n_thresholds=model.n_thresholds,
                n_free=n_free)
    return ext, [k if k < model.n_free else -1 for k in range(n_free)]


def modification_indices(model: Model, x: np.ndarray, stats: list[GroupStats]) -> list[dict[str, Any]]:
    """lavaan's modindices() for an ML fit, largest first."""
    ext, origin = _extended(model)
    xe = np.zeros(ext.n_free)
    for k, o in enumerate(origin):
        if o >= 0:
            xe[k] = x[o]
    for q in ext.params:  # candidates start at their fixed value (0 for the added ones)
        if q.free >= 0 and origin[q.free] < 0:
            xe[q.free] = q.value
    obj = MLObjective(ext, stats)
    g, info = obj.gradient_information(xe)
    mod = np.array([k for k in range(ext.n_free) if origin[k] >= 0])
    cand = np.array([k for k in range(ext.n_free) if origin[k] < 0])
    if not len(cand):
        return []
    I_mm = info[np.ix_(mod, mod)]
    I_em = info[np.ix_(cand, mod)]
    V = np.diag(info)[cand] - np.einsum("ij,ji->i", I_em, np.linalg.solve(I_mm, I_em.T))
    N = obj.N
    mats = model.matrices(x)
    rows: list[dict[str, Any]] = []
    first = {q.free: q for q in ext.params if q.free >= 0}
    for k, v in zip(cand, V):
        if not v >= _V_TINY:
            continue
        q = first[int(k)]
        mi = N * g[k] ** 2 / v
        epc = -g[k] / v
        M = mats[q.group]
        L, P, T = M["lambda"], M["psi"], M["theta"]
        sigma = L @ P @ L.T + T
        if q.kind == "lambda":
            sepc = epc * math.sqrt(P[q.col, q.col] / sigma[q.row, q.row])
        else:  # covariances as correlations (lavaan's cov.std), variances relative to the total
            if q.kind == "theta":
                prod = T[q.row, q.row] * T[q.col, q.col] if q.row != q.col else sigma[q.row, q.row] ** 2
            else:
                prod = P[q.row, q.row] * P[q.col, q.col]
            sepc = epc / math.sqrt(abs(prod)) if prod != 0 else float("nan")  # abs: as lavaan, for Heywood cases
        rows.append({"lhs": q.lhs, "op": q.op, "rhs": q.rhs, "group": q.group + 1, "mi": float(mi),
                     "epc": float(epc), "sepc_all": float(sepc)})
    rows.sort(key=lambda r: -r["mi"])
    return rows
