"""Robust ML (lavaan's ``estimator = "MLR"``) for complete data.

The estimates are ML's.  What changes:

* Standard errors: the sandwich (Huber-White) ``H^-1 B0 H^-1 / N`` with ``H`` the observed
  information per case (the Hessian: lavaan's default information for MLR) and ``B0`` the mean
  outer product of the cases' scores (lavaan's ``se = "robust.huber.white"``).
* The test: the Yuan-Bentler scaled chi-square with lavaan's ``"yuan.bentler.mplus"`` trace,
  ``c = (tr(B1 A1^-1) - tr(B0 H^-1)) / df``, where ``A1`` and ``B1`` are the information and the
  first-order information of the saturated model in (mu, vech Sigma) at the sample moments;
  with several groups the traces are summed, the h0 one weighted by n_g / N.  ``chisq_scaled = chisq / c``; the baseline
  (independence) model gets its own factor the same way.
* Fit measures: ``cfi_scaled``/``tli_scaled``/``rmsea_scaled`` from the scaled statistics, and
  the "robust" ones of Brosseau-Liard & Savalei (2014) and Brosseau-Liard, Savalei & Li (2012):
  ``cfi_robust = 1 - max(X2 - c df, 0) / max(X2 - c df, X2b - c_b df_b, 0)``,
  ``rmsea_robust = sqrt(max(X2 / (N df) - c / N, 0)) sqrt(G)``, as lavaan 0.6.14 reports them.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..distributions import chi2_sf
from .fitmeasures import incremental, rmsea_block
from .model import Model

# per group: (Sigma, mu or None, d vec(Sigma)/dx (p*p x q), d mu/dx (p x q))
Moments = tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]


def _saturated(Y: np.ndarray, sigma: np.ndarray, mu: np.ndarray | None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Saturated-model scores per case (n x (p? + p*)), its expected information per case,
    and the vech row indices / duplication weights used to map vec(Sigma) derivatives."""
    n, p = Y.shape
    K = np.linalg.inv(sigma)
    center = mu if mu is not None else Y.mean(axis=0)
    KZ = (Y - center) @ K
    r, c = np.triu_indices(p)
    weight = np.where(r == c, 1.0, 2.0)
    score_s = 0.5 * weight * (KZ[:, r] * KZ[:, c] - K[r, c])
    # 0.5 D'(K x K)D in vech coordinates: 0.5 w_a w_b (K_ik K_jl + K_il K_jk) / 2 ... written out
    A_s = 0.25 * np.outer(weight, weight) * (K[np.ix_(r, r)] * K[np.ix_(c, c)] + K[np.ix_(r, c)] * K[np.ix_(c, r)])
    if mu is None:
        return score_s, A_s, r, c
    scores = np.hstack([KZ, score_s])
    A = np.zeros((p + len(r), p + len(r)))
    A[:p, :p] = K
    A[p:, p:] = A_s
    return scores, A, r, c


def traces(groups: list[np.ndarray], moments: list[Moments], E: np.ndarray) -> dict[str, Any]:
    """tr(B1 A1^-1) summed over groups (the saturated model at the sample moments), B0 (the
    fitted model's first-order information per case, from the cases' scores at the implied
    moments) and tr(B0 E^-1), E the information per case used for the standard errors."""
    N = sum(Y.shape[0] for Y in groups)
    q = moments[0][2].shape[1]
    B0 = np.zeros((q, q))
    tr_h1 = 0.0
    for Y, (sigma, mu, JS, Jm) in zip(groups, moments):
        n, p = Y.shape
        center = Y.mean(axis=0)
        S = (Y - center).T @ (Y - center) / n
        scores1, A1, r, c = _saturated(Y, S, center if mu is not None else None)
        B1 = scores1.T @ scores1 / n
        tr_h1 += float(np.sum(B1 * np.linalg.inv(A1).T))
        scores, _A, _r, _c = _saturated(Y, sigma, mu)
        Delta = JS[r * p + c]
        if mu is not None:
            Delta = np.vstack([Jm, Delta])
        h0 = scores @ Delta
        B0 += h0.T @ h0 / N
    tr_h0 = float(np.sum(B0 * np.linalg.inv(E).T))
    return {"tr_h1": tr_h1, "tr_h0": tr_h0, "E": E, "B0": B0, "N": N}


def expected_information(groups: list[np.ndarray], moments: list[Moments]) -> np.ndarray:
    """Delta' A1 Delta per case, A1 the saturated model's expected information at the implied moments."""
    N = sum(Y.shape[0] for Y in groups)
    q = moments[0][2].shape[1]
    E = np.zeros((q, q))
    for Y, (sigma, mu, JS, Jm) in zip(groups, moments):
        n, p = Y.shape
        _s, A1, r, c = _saturated(Y[:1], sigma, mu)
        Delta = JS[r * p + c]
        if mu is not None:
            Delta = np.vstack([Jm, Delta])
        E += n / N * (Delta.T @ A1 @ Delta)
    return E


def observed_information(gradient: Callable[[np.ndarray], np.ndarray], x: np.ndarray, h: float = 1e-5
                         ) -> np.ndarray:
    """Hessian of fmin (per case) by central differences of its analytic gradient (lavaan's
    observed.information = "hessian")."""
    q = len(x)
    H = np.zeros((q, q))
    for j in range(q):
        e = np.zeros(q)
        e[j] = h
        H[:, j] = (gradient(x + e) - gradient(x - e)) / (2 * h)
    return 0.5 * (H + H.T)


def sandwich(E: np.ndarray, B0: np.ndarray, N: int) -> np.ndarray:
    Ei = np.linalg.inv(E)
    out: np.ndarray = Ei @ B0 @ Ei / N
    return out


def model_moments(model: Model, x: np.ndarray) -> list[Moments]:
    return [(sigma, mu, JS, Jm) for (sigma, mu), (JS, Jm) in zip(model.implied(x), model.jacobian(x))]


def baseline_moments(groups: list[np.ndarray], meanstructure: bool) -> list[Moments]:
    """The independence model's implied moments (sample variances and means) and Jacobian."""
    out: list[Moments] = []
    for g, Y in enumerate(groups):
        p = Y.shape[1]
        q_per = p * (2 if meanstructure else 1)
        q = q_per * len(groups)
        JS = np.zeros((p * p, q))
        Jm = np.zeros((p, q))
        off = g * q_per
        for i in range(p):
            JS[i * p + i, off + i] = 1.0
            if meanstructure:
                Jm[i, off + p + i] = 1.0
        mean = Y.mean(axis=0)
        var = ((Y - mean) ** 2).mean(axis=0)
        out.append((np.diag(var), mean if meanstructure else None, JS, Jm))
    return out


def scaled_fit(fit: dict[str, float], model: Model, N: float, tr_h1: float, tr_h0: float, tr_h0_baseline: float,
               robust: bool = True) -> dict[str, float]:
    """lavaan's MLR fit measures from the ML ones (fit) and the traces of the fitted and the
    baseline model (robust: also the Brosseau-Liard & Savalei "robust" CFI/TLI/RMSEA)."""
    X2, df, G = fit["chisq"], fit["df"], model.n_groups
    c = (tr_h1 - tr_h0) / df if df > 0 else 1.0
    Xs = X2 / c
    X2b, dfb = fit["baseline_chisq"], fit["baseline_df"]
    cb = (tr_h1 - tr_h0_baseline) / dfb
    Xbs = X2b / cb
    npar = model.n_free
    n_h1 = G * (model.p * (model.p + 1) // 2 + (model.p if model.meanstructure else 0))
    out = {"chisq_scaled": Xs, "df_scaled": df, "pvalue_scaled": chi2_sf(Xs, df) if df > 0 else float("nan"),
           "chisq_scaling_factor": c, "baseline_chisq_scaled": Xbs, "baseline_df_scaled": dfb,
           "baseline_pvalue_scaled": chi2_sf(Xbs, dfb), "baseline_chisq_scaling_factor": cb,
           "scaling_factor_h1": tr_h1 / n_h1, "scaling_factor_h0": tr_h0 / npar}
    out.update({k + "_scaled": v for k, v in incremental(Xs, df, Xbs, dfb).items()})
    if df > 0:
        # lavaan: the scaled interval and close-fit test invert the unscaled X2 on tr(U Gamma) = c df
        # degrees of freedom
        rs = rmsea_block(X2, c * df, N, G)
        out.update({"rmsea_scaled": rmsea_block(Xs, df, N, G)["rmsea"], "rmsea_ci_lower_scaled": rs["rmsea_ci_lower"],
                    "rmsea_ci_upper_scaled": rs["rmsea_ci_upper"], "rmsea_pvalue_scaled": rs["rmsea_pvalue"]})
    if robust:
        out.update(robust_indices(X2, df, c, X2b, dfb, cb, N, G))
    return out


def robust_indices(X2: float, df: float, c: float, X2b: float, dfb: float, cb: float, N: float, G: int
                   ) -> dict[str, float]:
    """lavaan's "robust" CFI/TLI/RMSEA from a chi-square X2 on df with scaling factor c and the
    baseline's (X2b, dfb, cb): cfi = 1 - max(X2 - c df, 0) / max(X2 - c df, X2b - cb dfb, 0),
    rmsea = sqrt(max(X2 / (N df) - c / N, 0)) sqrt(G), its interval and close-fit test inverting
    X2 / c on df with the noncentrality scaled by c."""
    out: dict[str, float] = {}
    t1 = max(X2 - c * df, 0.0)
    t2 = max(X2 - c * df, X2b - cb * dfb, 0.0)
    out["cfi_robust"] = out["rni_robust"] = 1.0 if t2 == 0 else 1.0 - t1 / t2
    if df > 0 and X2b - cb * dfb != 0:
        out["tli_robust"] = out["nnfi_robust"] = 1.0 - ((X2 - c * df) / df) / ((X2b - cb * dfb) / dfb)
    if df > 0:
        rr = rmsea_block(X2 / c, df, N, G, h0=0.05 / math.sqrt(c))
        out.update({"rmsea_robust": math.sqrt(max(X2 / (N * df) - c / N, 0.0)) * math.sqrt(G),
                    "rmsea_ci_lower_robust": rr["rmsea_ci_lower"] * math.sqrt(c),
                    "rmsea_ci_upper_robust": rr["rmsea_ci_upper"] * math.sqrt(c),
                    "rmsea_pvalue_robust": rr["rmsea_pvalue"]})
    return out


def apply_mlr(result: dict[str, Any], model: Model, x: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    """Turn a converged ML result into lavaan's MLR one; returns the robust vcov."""
    from .ml import GroupStats, MLObjective
    stats = [GroupStats(n=Y.shape[0], mean=Y.mean(axis=0), cov=np.cov(Y.T, bias=True), logdet=0.0) for Y in groups]
    obj = MLObjective(model, stats)
    H = observed_information(lambda v: obj.gradient_information(v)[0], x)
    tr = traces(groups, model_moments(model, x), H)
    vcov = sandwich(tr["E"], tr["B0"], tr["N"])
    base = baseline_moments(groups, model.meanstructure)
    # at the independence model's estimates its observed information equals the expected one
    trb = traces(groups, base, expected_information(groups, base))
    result["fit"].update(scaled_fit(result["fit"], model, float(tr["N"]), tr["tr_h1"], tr["tr_h0"], trb["tr_h0"]))
    result["estimator"] = "MLR"
    return vcov
