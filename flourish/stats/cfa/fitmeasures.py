"""Fit measures with lavaan's (0.6.x) definitions and names (dots -> underscores).

* chisq = 2 N fmin (ML: N, not N - 1: likelihood = "normal").
* Baseline = independence model (free variances and means, zero covariances) in each group.
* cfi = 1 - max(X2 - df, 0) / max(X2 - df, X2b - dfb, 0); tli = (X2b/dfb - X2/df) / (X2b/dfb - 1).
* rmsea = sqrt(max(X2/(N df) - 1/N, 0)) * sqrt(G), where N is the total sample size for ML and
  N - G for the least-squares estimators (DWLS/WLSMV), exactly as lavaan's lav_utils_get_ntotal;
  90% CI by inverting the noncentral chi-square; rmsea_pvalue tests close fit (rmsea <= .05).
* srmr = srmr_bentler: residuals standardised by the sample standard deviations, including mean
  residuals when there is a mean structure, averaged over groups weighted by n_g / N.  For ordinal
  data lavaan's srmr is srmr_bentler_nomean on the correlation residuals.
* logl, unrestricted_logl, aic, bic, bic2 (sample-size adjusted, N* = (N + 2) / 24).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..distributions import bisect, chi2_cdf, chi2_sf, ncx2_cdf, ncx2_sf

if TYPE_CHECKING:
    from .ml import GroupStats
    from .model import Model


def incremental(X2: float, df: float, X2b: float, dfb: float) -> dict[str, float]:
    t1 = max(X2 - df, 0.0)
    t2 = max(X2 - df, X2b - dfb, 0.0)
    cfi = 1.0 if (t1 == 0 and t2 == 0) else 1.0 - t1 / t2
    if df > 0 and dfb > 0:
        tli = (X2b / dfb - X2 / df) / (X2b / dfb - 1.0)
        rfi = (X2b / dfb - X2 / df) / (X2b / dfb)
    else:
        tli, rfi = 1.0, float("nan")
    nfi = (X2b - X2) / X2b if X2b > 0 else float("nan")
    if df > dfb:  # lavaan: NFI and RFI are not defined for a model with more df than the baseline
        nfi = rfi = float("nan")
    ifi = (X2b - X2) / (X2b - df) if X2b != df else float("nan")
    rni = 1.0 - (X2 - df) / (X2b - dfb) if X2b != dfb else float("nan")
    return {"cfi": cfi, "tli": tli, "nnfi": tli, "rfi": rfi, "nfi": nfi, "ifi": ifi, "rni": rni}


def rmsea_block(X2: float, df: float, N: float, G: int, level: float = 0.90, h0: float = 0.05) -> dict[str, float]:
    if df <= 0:
        return {"rmsea": 0.0, "rmsea_ci_lower": 0.0, "rmsea_ci_upper": 0.0, "rmsea_pvalue": float("nan")}
    rmsea = math.sqrt(max(X2 / N / df - 1.0 / N, 0.0)) * math.sqrt(G)
    upper_p = 1 - (1 - level) / 2
    lower_p = (1 - level) / 2

    def cdf(lam: float) -> float:
        return chi2_cdf(X2, df) if lam <= 0 else ncx2_cdf(X2, df, lam)

    if df < 1 or cdf(0.0) - upper_p < 0:
        lo = 0.0
    else:
        lam = bisect(lambda v: cdf(v) - upper_p, 0.0, max(X2, 1e-8))
        lo = math.sqrt(lam / (N * df)) * math.sqrt(G)
    n_rmsea = max(N, X2 * 4)
    if df < 1 or cdf(n_rmsea) - lower_p > 0 or cdf(0.0) - lower_p < 0:
        hi = 0.0
    else:
        lam = bisect(lambda v: cdf(v) - lower_p, 0.0, n_rmsea)
        hi = math.sqrt(lam / (N * df)) * math.sqrt(G)
    ncp = N * df * h0 ** 2 / G
    pval = ncx2_sf(X2, df, ncp)
    return {"rmsea": rmsea, "rmsea_ci_lower": lo, "rmsea_ci_upper": hi, "rmsea_pvalue": pval}


def srmr_bentler(covs: np.ndarray, means: np.ndarray | None, sigmas: np.ndarray, mus: np.ndarray | None
                 ) -> tuple[float, float]:
    """(srmr_bentler for one group incl. means if mus given, nomean version)."""
    sd = np.sqrt(np.diag(covs))
    R = (covs - sigmas) / np.outer(sd, sd)
    iu = np.tril_indices(len(sd))
    ss = float(np.sum(R[iu] ** 2))
    ne = len(iu[0])
    nomean = math.sqrt(ss / ne)
    if mus is None:
        return nomean, nomean
    r = (means - mus) / sd
    total = math.sqrt((ss + float(np.sum(r ** 2))) / (ne + len(sd)))
    return total, nomean


def ml_fit_measures(model: Model, stats: list[GroupStats], fmin: float,
                    implied: list[tuple[np.ndarray, np.ndarray | None]]) -> dict[str, float]:
    """All ML fit measures for a converged fit."""
    G = model.n_groups
    p = model.p
    N = sum(s.n for s in stats)
    npar = model.n_free
    ndat = G * (p * (p + 1) // 2 + (p if model.meanstructure else 0))
    df = ndat - npar
    X2 = 2.0 * N * fmin
    out: dict[str, float] = {"npar": float(npar), "fmin": fmin, "chisq": X2, "df": float(df),
                             "pvalue": chi2_sf(X2, df) if df > 0 else float("nan")}
    X2b = 0.0
    for s in stats:
        X2b += s.n * (float(np.sum(np.log(np.diag(s.cov)))) - s.logdet)
    dfb = G * p * (p - 1) // 2
    out.update({"baseline_chisq": X2b, "baseline_df": float(dfb),
                "baseline_pvalue": chi2_sf(X2b, dfb)})
    out.update(incremental(X2, df, X2b, dfb))
    logl = 0.0
    logl_u = 0.0
    for s, (sigma, mu) in zip(stats, implied):
        sign, ld = np.linalg.slogdet(sigma)
        inv = np.linalg.inv(sigma)
        quad = 0.0 if mu is None else float((s.mean - mu) @ inv @ (s.mean - mu))
        logl += -0.5 * s.n * (p * math.log(2 * math.pi) + ld + float(np.sum(s.cov * inv)) + quad)
        logl_u += -0.5 * s.n * (p * math.log(2 * math.pi) + s.logdet + p)
    out.update({"logl": logl, "unrestricted_logl": logl_u, "aic": -2 * logl + 2 * npar,
                "bic": -2 * logl + npar * math.log(N), "ntotal": float(N),
                "bic2": -2 * logl + npar * math.log((N + 2) / 24)})
    out.update(rmsea_block(X2, df, N, G))
    tot = nom = 0.0
    for s, (sigma, mu) in zip(stats, implied):
        a, b = srmr_bentler(s.cov, s.mean, sigma, mu)
        tot += s.n / N * a
        nom += s.n / N * b
    out.update({"srmr": tot, "srmr_bentler": tot, "srmr_bentler_nomean": nom})
    return out
