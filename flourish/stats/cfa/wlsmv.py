"""WLSMV for ordinal indicators, as lavaan's estimator = "WLSMV" (lavaan 0.6.x).

* Sample statistics: thresholds and polychoric correlations (two-step), with their asymptotic
  covariance Gamma (see :mod:`.polychoric`).
* Model (delta parameterisation, lavaan's default): Sigma* = Lambda Psi Lambda' + Theta with
  unit diagonal, so residual variances are 1 - diag(Lambda Psi Lambda') and not parameters;
  thresholds are free parameters; the statistics are s = (thresholds, correlations below the
  diagonal).
* DWLS: minimise F = sum_g w_g (s_g - sigma_g(x))' W_g (s_g - sigma_g(x)) with W_g = diag(Gamma_g)^-1
  and w_g = (n_g - 1) / (N - G) (Gauss-Newton); chisq = sum_g (n_g - 1) F_g, as lavaan (ntotal -
  ngroups for non-ML estimators).
* Robust ("sandwich") standard errors: E^-1 (sum_g f_g D_g'W_g Gamma_g W_g D_g) E^-1 / (N - G) with
  E = sum_g f_g D_g'W_g D_g and f_g = n_g / N.
* Test: mean- and variance-adjusted, lavaan's "scaled.shifted" (the WLSMV default since
  lavaan 0.6; in 0.5 it was Satterthwaite with non-integer df): with U = W - WD E^-1 D'W over all
  groups (W = blockdiag(f_g W_g), Gamma = blockdiag(Gamma_g / f_g)),
  a = sqrt(df / tr((U Gamma)^2)), b = df - a tr(U Gamma), chisq_scaled = a chisq + b,
  chisq_scaling_factor = 1 / a.  The baseline (independence) model -- thresholds free in every
  group, correlations zero -- is scaled the same way, and cfi_scaled / tli_scaled / rmsea_scaled
  use the scaled statistics.  As in lavaan, RMSEA uses N - G for these estimators; SRMR is the
  n_g / N weighted mean of the groups' correlation-residual SRMRs.
* Several groups (lavaan's ordinal invariance): Sigma*_g = Delta_g (Lambda Psi Lambda' + Theta)
  Delta_g with unit diagonal and thresholds tau*_g = Delta_g (tau_g - Lambda alpha_g).  The scale
  factors Delta (lavaan's ``~*~``) and latent means alpha are fixed at 1 and 0 in group 1 and
  wherever thresholds are free, and free in groups 2.. when thresholds are held equal
  (group.equal = "thresholds"), exactly as lavaan's delta parameterisation; intercepts of
  ordered items stay fixed at 0, so adding "intercepts" changes nothing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
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


class _OrdinalGroups:
    """Model-implied thresholds and polychoric correlations per group, and their Jacobian.

    Group g: Sigma*_g = Delta_g (Lambda Psi Lambda' + Theta) Delta_g off the diagonal, and the
    thresholds of item i in the latent response's unit metric tau*_ik = delta_i (tau_ik - nu_i -
    lambda_i' alpha), as lavaan's delta parameterisation (Delta = 1, alpha = 0 in group 1)."""

    def __init__(self, model: Model, pairs: np.ndarray):
        self.model = model
        self.pairs = pairs
        self.lin = pairs[:, 0] * model.p + pairs[:, 1]
        self.th_item = np.repeat(np.arange(model.p), model.n_thresholds)
        self.n_th = int(sum(model.n_thresholds))
        idx = model.index_arrays()
        self.free = {kind: [idx[kind][(idx[kind][:, 1] == g) & (idx[kind][:, 4] >= 0)]
                            for g in range(model.n_groups)]
                     for kind in ("tau", "delta", "alpha", "lambda", "nu")}

    def moments(self, x: np.ndarray, jac: bool = True
                ) -> list[tuple[np.ndarray, np.ndarray | None, np.ndarray]]:
        """Per group: (sigma = (tau*, rho*), d sigma / dx or None, Sigma* with unit diagonal)."""
        model, pairs, n_th, item = self.model, self.pairs, self.n_th, self.th_item
        mats = model.matrices(x)
        jacs = model.jacobian(x, mats) if jac else [None] * len(mats)
        out: list[tuple[np.ndarray, np.ndarray | None, np.ndarray]] = []
        for g, (M, J) in enumerate(zip(mats, jacs)):
            L, P, T = M["lambda"], M["psi"], M["theta"]
            d = M["delta"][:, 0]
            S = L @ P @ L.T + T
            Sstar = S * np.outer(d, d)
            Sstar[np.diag_indices_from(Sstar)] = 1.0
            mean = M["nu"][:, 0] + L @ M["alpha"][:, 0]
            raw = M["tau"][:n_th, 0] - mean[item]
            sig = np.concatenate([d[item] * raw, Sstar[pairs[:, 0], pairs[:, 1]]])
            if J is None:
                out.append((sig, None, Sstar))
                continue
            JS, _ = J
            D = np.zeros((n_th + len(pairs), model.n_free))
            dd = d[pairs[:, 0]] * d[pairs[:, 1]]
            D[n_th:] = dd[:, None] * JS[self.lin]
            Sp = S[pairs[:, 0], pairs[:, 1]]
            a = self.free["delta"][g]  # (param, group, row, col, free)
            for i, f in zip(a[:, 2], a[:, 4]):
                D[n_th + np.flatnonzero(pairs[:, 0] == i), f] += (Sp * d[pairs[:, 1]])[pairs[:, 0] == i]
                D[n_th + np.flatnonzero(pairs[:, 1] == i), f] += (Sp * d[pairs[:, 0]])[pairs[:, 1] == i]
                D[np.flatnonzero(item == i), f] += raw[item == i]
            a = self.free["tau"][g]
            np.add.at(D, (a[:, 2], a[:, 4]), d[item[a[:, 2]]])
            a = self.free["nu"][g]
            for i, f in zip(a[:, 2], a[:, 4]):
                D[np.flatnonzero(item == i), f] -= d[i]
            a = self.free["alpha"][g]
            for j, f in zip(a[:, 2], a[:, 4]):
                D[:n_th, f] -= d[item] * L[item, j]
            a = self.free["lambda"][g]
            for i, j, f in zip(a[:, 2], a[:, 3], a[:, 4]):
                rows = np.flatnonzero(item == i)
                D[rows, f] -= d[i] * M["alpha"][j, 0]
            out.append((sig, D, Sstar))
        return out


def scaled_shifted(T: float, df: float, UG_tr: float, UG2_tr: float) -> tuple[float, float, float]:
    a = math.sqrt(df / UG2_tr)
    b = df - a * UG_tr
    return a * T + b, 1.0 / a, b


@dataclass
class WlsmvFit:
    """Everything one WLSMV fit needs and leaves: per group the polychoric statistics, sample
    vector s_g, DWLS weights w_g and NACOV factor Z_g (Gamma_g = n_g Z_g'Z_g); after estimation,
    the estimates x, the moments and Jacobians at x, E = sum_g f_g D_g'W_g D_g and its inverse."""
    model: Model
    pcs: list[Polychoric]
    ss: list[np.ndarray]
    ws: list[np.ndarray]
    fg: np.ndarray  # n_g / N: weights of the information and the traces
    fo: np.ndarray  # (n_g - 1) / (N - G): weights of the objective
    og: _OrdinalGroups
    x: np.ndarray = field(default_factory=lambda: np.zeros(0))
    mom: list[tuple[np.ndarray, np.ndarray | None, np.ndarray]] = field(default_factory=list)
    H: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    Hinv: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    @property
    def N(self) -> float:
        return float(sum(pc.N for pc in self.pcs))

    def objective(self, x: np.ndarray) -> float:
        return float(sum(f * e @ (w * e) for f, w, e in
                         zip(self.fo, self.ws, (s - m[0] for s, m in zip(self.ss, self.og.moments(x, jac=False))))))

    def gauss_newton(self, x: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """(objective, its Gauss-Newton matrix, minus half its gradient) at x."""
        q = self.model.n_free
        H, grad, f = np.zeros((q, q)), np.zeros(q), 0.0
        for fo, w, s, (sig, D, _S) in zip(self.fo, self.ws, self.ss, self.og.moments(x)):
            assert D is not None
            e = s - sig
            f += fo * float(e @ (w * e))
            H += fo * (D.T @ (w[:, None] * D))
            grad += fo * (D.T @ (w * e))
        return f, H, grad

    def chisq(self) -> float:
        return float(sum((pc.N - 1) * float((s - m[0]) @ (w * (s - m[0])))
                         for pc, s, m, w in zip(self.pcs, self.ss, self.mom, self.ws)))


def polychorics(codes: list[np.ndarray], levels: list[list[float]]) -> list[Polychoric]:
    """Thresholds, polychoric correlations and NACOV of each group (the same for every model)."""
    return [Polychoric(c, n_categories=[len(lv) for lv in levels]) for c in codes]


def setup(statements: list[Statement], codes: list[np.ndarray], levels: list[list[float]], std_lv: bool,
          group_equal: tuple[str, ...] = (), group_partial: tuple[str, ...] = (),
          pcs: list[Polychoric] | None = None) -> WlsmvFit:
    """Polychoric statistics per group (unless given), the model and its start values."""
    pcs = pcs if pcs is not None else polychorics(codes, levels)
    ns = np.array([pc.N for pc in pcs], dtype=float)
    N = float(ns.sum())
    model = build_model(statements, n_groups=len(pcs), std_lv=std_lv, ordered=True,
                        n_thresholds=list(pcs[0].K - 1), group_equal=group_equal, group_partial=group_partial)
    ws = []
    for pc in pcs:
        Z = pc.gamma_factor
        gdiag = pc.N * np.einsum("ij,ij->j", Z, Z)
        if np.any(gdiag <= 0):
            raise StatsError("Cannot compute the WLSMV weight matrix (a category or cell is empty).")
        ws.append(1.0 / gdiag)
    ss = [pc.sample_vector() for pc in pcs]
    set_start_values(model, [pc.R for pc in pcs])
    for q in model.params:
        if q.kind == "tau":
            q.value = float(ss[q.group][q.row])
        elif q.kind == "delta" and q.free >= 0:
            q.value = 1.0
    return WlsmvFit(model=model, pcs=pcs, ss=ss, ws=ws, fg=ns / N, fo=(ns - 1) / (N - len(pcs)),
                    og=_OrdinalGroups(model, pcs[0].pairs))


def _estimate(fit: WlsmvFit) -> tuple[np.ndarray, bool, int]:
    """Gauss-Newton with step halving; returns (x, converged, steps started)."""
    x = fit.model.start_vector()
    iters = 0
    for _ in range(500):
        iters += 1
        f, H, grad = fit.gauss_newton(x)
        try:
            step = np.linalg.solve(H, grad)
        except np.linalg.LinAlgError:
            return x, False, iters
        t, accepted = 1.0, False
        while t > 1e-10:
            xn = x + t * step
            fn = fit.objective(xn)
            if fn <= f + 1e-15 * (1 + f):
                accepted = True
                break
            t *= 0.5
        if not accepted:  # no descent possible: a solution only if the Gauss-Newton step is ~0
            return x, bool(np.max(np.abs(step)) < 1e-7), iters
        dx = np.max(np.abs(xn - x))
        x = xn
        if dx < 1e-10 or (abs(f - fn) < 1e-16 * (1 + f) and np.max(np.abs(step)) < 1e-7):
            return x, True, iters
    return x, False, iters


def _robust_vcov(fit: WlsmvFit) -> np.ndarray:
    """E^-1 (sum_g f_g D'W Gamma_g W D) E^-1 / (N - G), with Gamma_g = n_g Z'Z."""
    B = np.zeros_like(fit.H)
    for f, pc, w, (_s, D, _S) in zip(fit.fg, fit.pcs, fit.ws, fit.mom):
        ZWD = pc.gamma_factor @ (w[:, None] * D)
        B += f * pc.N * (ZWD.T @ ZWD)
    out: np.ndarray = fit.Hinv @ B @ fit.Hinv / (fit.N - len(fit.pcs))
    return out


def _traces(fit: WlsmvFit) -> tuple[float, float]:
    """lavaan's traces of U Gamma and (U Gamma)^2 over all groups (U has blocks between groups when
    parameters are shared): with G_g = W^1/2 Gamma_g W^1/2, M_g = W^1/2 D_g and K_g = M_g' G_g M_g,
    tr = sum_g [tr G_g - f_g tr(E^-1 K_g)],
    tr(^2) = sum_g [|G_g|^2 - 2 f_g tr(E^-1 (G_g M_g)' G_g M_g)] + tr((E^-1 sum_g f_g K_g)^2)."""
    tr1 = tr2 = 0.0
    K = np.zeros_like(fit.H)
    for f, pc, w, (_s, D, _S) in zip(fit.fg, fit.pcs, fit.ws, fit.mom):
        sw = np.sqrt(w)
        Zw = pc.gamma_factor * sw[None, :]
        Gw = pc.N * (Zw.T @ Zw)
        Mw = sw[:, None] * D
        GM = Gw @ Mw
        Kg = Mw.T @ GM
        K += f * Kg
        tr1 += float(np.trace(Gw) - f * np.sum(fit.Hinv * Kg))
        tr2 += float(np.sum(Gw * Gw) - 2 * f * np.sum(fit.Hinv * (GM.T @ GM)))
    EK = fit.Hinv @ K
    return tr1, tr2 + float(np.sum(EK * EK.T))


def _baseline(fit: WlsmvFit) -> dict[str, float]:
    """The independence model: thresholds free in every group, correlations zero."""
    n_th = fit.og.n_th
    Xb = trb1 = trb2 = 0.0
    for pc, w, s in zip(fit.pcs, fit.ws, fit.ss):
        wc = w[n_th:]
        Xb += (pc.N - 1) * float(np.sum(wc * s[n_th:] ** 2))
        Zc = pc.gamma_factor[:, n_th:]
        Gc = pc.N * (Zc.T @ Zc)
        trb1 += float(np.sum(wc * np.diag(Gc)))
        WG = Gc * wc[:, None]
        trb2 += float(np.sum(WG * WG.T))
    dfb = len(fit.pcs) * len(fit.pcs[0].rho)
    Xbs, cb, _ = scaled_shifted(Xb, dfb, trb1, trb2)
    return {"baseline_chisq": Xb, "baseline_df": float(dfb), "baseline_pvalue": chi2_sf(Xb, dfb),
            "baseline_chisq_scaled": Xbs, "baseline_df_scaled": float(dfb),
            "baseline_pvalue_scaled": chi2_sf(Xbs, dfb), "baseline_chisq_scaling_factor": cb}


def _fit_measures(fit: WlsmvFit, df: int) -> dict[str, float]:
    G, N = len(fit.pcs), fit.N
    X2 = fit.chisq()
    tr1, tr2 = _traces(fit)
    out = {"npar": float(fit.model.n_free), "fmin": X2 / (2 * N), "chisq": X2, "df": float(df)}
    out["pvalue"] = chi2_sf(X2, df) if df > 0 else float("nan")
    Xs, c, shift = scaled_shifted(X2, df, tr1, tr2) if df > 0 else (X2, 1.0, 0.0)
    out.update({"chisq_scaled": Xs, "df_scaled": float(df),
                "pvalue_scaled": chi2_sf(Xs, df) if df > 0 else float("nan"), "chisq_scaling_factor": c,
                "chisq_shift_parameters": shift})
    out.update(_baseline(fit))
    Xb, dfb, Xbs = out["baseline_chisq"], out["baseline_df"], out["baseline_chisq_scaled"]
    out.update(incremental(X2, df, Xb, dfb))
    out.update({k + "_scaled": v for k, v in incremental(Xs, df, Xbs, dfb).items()})
    out["ntotal"] = N
    out.update(rmsea_block(X2, df, N - G, G))
    rs = rmsea_block(Xs, df, N - G, G)
    out.update({"rmsea_scaled": rs["rmsea"], "rmsea_ci_lower_scaled": rs["rmsea_ci_lower"],
                "rmsea_ci_upper_scaled": rs["rmsea_ci_upper"], "rmsea_pvalue_scaled": rs["rmsea_pvalue"]})
    p = fit.model.p
    srmr = crmr = 0.0
    for f, pc, (_s, _D, Sstar) in zip(fit.fg, fit.pcs, fit.mom):
        resid = pc.R - Sstar
        srmr += f * math.sqrt(float(np.sum(resid[np.tril_indices(p)] ** 2)) / (p * (p + 1) // 2))
        crmr += f * math.sqrt(float(np.sum(resid[np.tril_indices(p, -1)] ** 2)) / (p * (p - 1) // 2))
    out.update({"srmr": srmr, "srmr_bentler_nomean": srmr, "crmr_nomean": crmr})
    return out


def fit_wlsmv_state(statements: list[Statement], codes: list[np.ndarray], levels: list[list[float]],
                    names: list[str], std_lv: bool, info: dict[str, Any], group_equal: tuple[str, ...] = (),
                    group_partial: tuple[str, ...] = (), pcs: list[Polychoric] | None = None
                    ) -> tuple[dict[str, Any], WlsmvFit | None]:
    """The result dict and, when it converged, the fit's state (for difference and score tests)."""
    fit = setup(statements, codes, levels, std_lv, group_equal, group_partial, pcs)
    model = fit.model
    df = sum(len(s) for s in fit.ss) - model.n_free
    if df < 0:
        raise StatsError(f"The model is not identified: {model.n_free} free parameters but only "
                         f"{df + model.n_free} thresholds and polychoric correlations (df = {df}).")
    x, converged, iters = _estimate(fit)
    result = dict(info)
    result.update({"estimator": "WLSMV", "converged": converged, "iterations": iters,
                   "parameterization": "delta", "categories": {n: lv for n, lv in zip(names, levels)},
                   "group_equal": list(group_equal), "group_partial": list(group_partial)})
    result["warnings"].extend(pc.warning for pc in fit.pcs if getattr(pc, "warning", None))
    if not converged:
        result.update({"parameters": [], "fit": {}})
        result["warnings"].append("The optimiser did not converge; no estimates are reported.")
        return result, None
    fit.x = x
    fit.mom = fit.og.moments(x)
    fit.H = sum(f * (D.T @ (w[:, None] * D)) for f, w, (_s, D, _S) in zip(fit.fg, fit.ws, fit.mom))  # type: ignore
    ev = np.linalg.eigvalsh(fit.H)
    if ev[0] <= 1e-10 * ev[-1]:
        raise StatsError("The model is not identified: the information matrix is singular, so some "
                         "parameters cannot be estimated from the data.")
    fit.Hinv = np.linalg.inv(fit.H)
    vcov = _robust_vcov(fit)
    result["parameters"] = parameter_table(model, x, vcov)
    add_diagnostics(result, model, x, vcov, [pc.R for pc in fit.pcs])
    check_admissible(result)
    result["fit"] = _fit_measures(fit, df)
    return result, fit


def fit_wlsmv(statements: list[Statement], codes: list[np.ndarray], levels: list[list[float]], names: list[str],
              std_lv: bool, info: dict[str, Any], group_equal: tuple[str, ...] = (),
              group_partial: tuple[str, ...] = ()) -> dict[str, Any]:
    """WLSMV fit of the model to one array of category codes (0..K-1, -1 missing) per group."""
    return fit_wlsmv_state(statements, codes, levels, names, std_lv, info, group_equal, group_partial)[0]
