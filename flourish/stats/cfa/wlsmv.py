"""WLSMV for ordinal indicators, as lavaan's estimator = "WLSMV" (lavaan 0.6.x).

* Sample statistics: thresholds and polychoric correlations (two-step), with their asymptotic
  covariance Gamma (see :mod:`.polychoric`).
* Model (delta parameterisation, lavaan's default): Sigma* = Lambda Psi Lambda' + Theta with
  unit diagonal, so residual variances are 1 - diag(Lambda Psi Lambda') and not parameters;
  thresholds are free parameters; the statistics are s = (thresholds, correlations below the
  diagonal).
* DWLS: minimise F = (s - sigma(x))' W (s - sigma(x)) with W = diag(Gamma)^-1 (Gauss-Newton);
  chisq = (N - 1) F  (lavaan uses ntotal - ngroups for non-ML estimators).
* Robust ("sandwich") standard errors: (D'WD)^-1 D'W Gamma W D (D'WD)^-1 / (N - 1).
* Test: mean- and variance-adjusted, lavaan's "scaled.shifted" (the WLSMV default since
  lavaan 0.6; in 0.5 it was Satterthwaite with non-integer df): with U = W - WD(D'WD)^-1D'W,
  a = sqrt(df / tr((U Gamma)^2)), b = df - a tr(U Gamma), chisq_scaled = a chisq + b,
  chisq_scaling_factor = 1 / a.  The baseline (independence) model is scaled the same way, and
  cfi_scaled / tli_scaled / rmsea_scaled use the scaled statistics.  As in lavaan, RMSEA uses
  N - 1 for these estimators.
Single group only.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..distributions import chi2_sf
from ..errors import StatsError
from .diagnostics import add_diagnostics
from .fitmeasures import incremental, rmsea_block
from .ml import set_start_values
from .model import Model, build_model
from .polychoric import Polychoric
from .result import check_admissible, parameter_table
from .syntax import Statement


def _sigma_and_jac(model: Model, x: np.ndarray, pairs: np.ndarray, tau_free: np.ndarray, n_th: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mats = model.matrices(x)
    M = mats[0]
    L, P, T = M["lambda"], M["psi"], M["theta"]
    S = L @ P @ L.T + T
    p = model.p
    lin = pairs[:, 0] * p + pairs[:, 1]
    JS, _ = model.jacobian(x, mats)[0]
    D = np.zeros((n_th + len(pairs), model.n_free))
    D[n_th:] = JS[lin]
    D[np.arange(n_th), tau_free] = 1.0
    sig = np.concatenate([x[tau_free], S[pairs[:, 0], pairs[:, 1]]])
    return sig, D, S


def scaled_shifted(T: float, df: float, UG_tr: float, UG2_tr: float) -> tuple[float, float, float]:
    a = math.sqrt(df / UG2_tr)
    b = df - a * UG_tr
    return a * T + b, 1.0 / a, b


def fit_wlsmv(statements: list[Statement], codes: np.ndarray, levels: list[list[float]], names: list[str],
              std_lv: bool, info: dict[str, Any]) -> dict[str, Any]:
    pc = Polychoric(codes, n_categories=[len(lv) for lv in levels])
    N = pc.N
    n_th = pc.n_th
    model = build_model(statements, std_lv=std_lv, ordered=True, n_thresholds=list(pc.K - 1))
    s = pc.sample_vector()
    Z = pc.gamma_factor
    Gamma = N * (Z.T @ Z)
    gdiag = np.diag(Gamma).copy()
    if np.any(gdiag <= 0):
        raise StatsError("Cannot compute the WLSMV weight matrix (a category or cell is empty).")
    w = 1.0 / gdiag
    nstat = len(s)
    df = nstat - model.n_free
    if df < 0:
        raise StatsError(f"The model is not identified: {model.n_free} free parameters but only {nstat} "
                         f"thresholds and polychoric correlations (df = {df}).")
    # start values
    set_start_values(model, [pc.R])
    tq = [q for q in model.params if q.kind == "tau"]
    tau_free = np.array([q.free for q in tq])
    for q, v in zip(tq, s[:n_th]):
        q.value = float(v)
    x = model.start_vector()
    converged = False
    iters = 0  # reported: the number of Gauss-Newton steps started
    for _ in range(500):
        iters += 1
        sig, D, _ = _sigma_and_jac(model, x, pc.pairs, tau_free, n_th)
        e = s - sig
        f = float(e @ (w * e))
        H = D.T @ (w[:, None] * D)
        g = D.T @ (w * e)
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            break
        t, accepted = 1.0, False
        while t > 1e-10:
            xn = x + t * step
            sn, _, _ = _sigma_and_jac(model, xn, pc.pairs, tau_free, n_th)
            en = s - sn
            fn = float(en @ (w * en))
            if fn <= f + 1e-15 * (1 + f):
                accepted = True
                break
            t *= 0.5
        if not accepted:  # no descent possible: a solution only if the Gauss-Newton step is ~0
            converged = bool(np.max(np.abs(step)) < 1e-7)
            break
        dx = np.max(np.abs(xn - x))
        x = xn
        if dx < 1e-10 or (abs(f - fn) < 1e-16 * (1 + f) and np.max(np.abs(step)) < 1e-7):
            converged = True
            break
    result = dict(info)
    result.update({"estimator": "WLSMV", "converged": converged, "iterations": iters,
                   "parameterization": "delta", "categories": {n: lv for n, lv in zip(names, levels)}})
    if getattr(pc, "warning", None):
        result["warnings"].append(pc.warning)
    if not converged:
        result.update({"parameters": [], "fit": {}})
        result["warnings"].append("The optimiser did not converge; no estimates are reported.")
        return result
    sig, D, Sstar = _sigma_and_jac(model, x, pc.pairs, tau_free, n_th)
    e = s - sig
    Fmin = float(e @ (w * e))
    WD = w[:, None] * D
    H = D.T @ WD
    ev = np.linalg.eigvalsh(H)
    if ev[0] <= 1e-10 * ev[-1]:
        raise StatsError("The model is not identified: the information matrix is singular, so some "
                         "parameters cannot be estimated from the data.")
    Hinv = np.linalg.inv(H)
    ZWD = Z @ WD  # (N x q);  D'W Gamma W D = N * ZWD' ZWD
    Nt = N - 1  # lavaan uses ntotal - ngroups for the test statistic and the (robust) vcov of DWLS
    vcov = Hinv @ (N * (ZWD.T @ ZWD)) @ Hinv / Nt
    result["parameters"] = parameter_table(model, x, vcov)
    add_diagnostics(result, model, x, vcov, [pc.R])
    check_admissible(result)
    # --- test statistics
    X2 = Nt * Fmin
    # traces of U Gamma and (U Gamma)^2 with U = W^1/2 (I - QQ') W^1/2, Q = orth(W^1/2 D):
    # tr(UG) = tr(G) - tr(Q'GQ), tr((UG)^2) = |G|^2 - 2|GQ|^2 + |Q'GQ|^2, G = W^1/2 Gamma W^1/2
    sw = np.sqrt(w)
    Gw = Gamma * np.outer(sw, sw)
    Q, _ = np.linalg.qr(sw[:, None] * D)
    GQ = Gw @ Q
    QGQ = Q.T @ GQ
    tr1 = float(np.trace(Gw) - np.trace(QGQ))
    tr2 = float(np.sum(Gw * Gw) - 2 * np.sum(GQ * GQ) + np.sum(QGQ * QGQ))
    fit = {"npar": float(model.n_free), "fmin": X2 / (2 * N), "chisq": X2, "df": float(df)}
    fit["pvalue"] = chi2_sf(X2, df) if df > 0 else float("nan")
    if df > 0:
        Xs, c, shift = scaled_shifted(X2, df, tr1, tr2)
    else:
        Xs, c, shift = X2, 1.0, 0.0
    fit.update({"chisq_scaled": Xs, "df_scaled": float(df),
                "pvalue_scaled": chi2_sf(Xs, df) if df > 0 else float("nan"),
                "chisq_scaling_factor": c, "chisq_shift_parameters": shift})
    # baseline: thresholds free, correlations zero
    wc = w[n_th:]
    Xb = Nt * float(np.sum(wc * s[n_th:] ** 2))
    dfb = len(pc.rho)
    Gc = Gamma[n_th:, n_th:]
    trb1 = float(np.sum(wc * np.diag(Gc)))
    WG = Gc * wc[:, None]
    trb2 = float(np.sum(WG * WG.T))
    Xbs, cb, _ = scaled_shifted(Xb, dfb, trb1, trb2)
    fit.update({"baseline_chisq": Xb, "baseline_df": float(dfb), "baseline_pvalue": chi2_sf(Xb, dfb),
                "baseline_chisq_scaled": Xbs, "baseline_df_scaled": float(dfb),
                "baseline_pvalue_scaled": chi2_sf(Xbs, dfb), "baseline_chisq_scaling_factor": cb})
    fit.update(incremental(X2, df, Xb, dfb))
    inc_s = incremental(Xs, df, Xbs, dfb)
    fit.update({k + "_scaled": v for k, v in inc_s.items()})
    Nr = Nt  # lavaan: ntotal - ngroups for non-ML estimators
    fit["ntotal"] = float(N)
    fit.update(rmsea_block(X2, df, Nr, 1))
    rs = rmsea_block(Xs, df, Nr, 1)
    fit.update({"rmsea_scaled": rs["rmsea"], "rmsea_ci_lower_scaled": rs["rmsea_ci_lower"],
                "rmsea_ci_upper_scaled": rs["rmsea_ci_upper"], "rmsea_pvalue_scaled": rs["rmsea_pvalue"]})
    Sstar = Sstar.copy()
    Sstar[np.diag_indices_from(Sstar)] = 1.0
    resid = pc.R - Sstar
    il = np.tril_indices(len(names))
    srmr = math.sqrt(float(np.sum(resid[il] ** 2)) / len(il[0]))
    fit.update({"srmr": srmr, "srmr_bentler_nomean": srmr,
                "crmr_nomean": math.sqrt(float(np.sum(resid[np.tril_indices(len(names), -1)] ** 2)) / dfb)})
    result["fit"] = fit
    return result
