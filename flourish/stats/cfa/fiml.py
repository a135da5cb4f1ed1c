"""Full-information maximum likelihood (lavaan's ``missing = "ml"``).

Each row contributes the normal log-likelihood of the items it answers.  Rows that share a
missing-data pattern (the set of answered items ``o``) are pooled through their count ``n_b``,
mean ``ybar_b`` and scatter ``S_b`` (divisor ``n_b``)::

    -2 logl = sum_b n_b [k_b log(2 pi) + log|Sigma_oo| + tr(Sigma_oo^-1 (S_b + d_b d_b'))],
    d_b = ybar_b - mu_o

The unrestricted (H1) model is the saturated mean vector and covariance matrix, estimated by
EM exactly as lavaan's ``lav_mvnorm_missing_h1_estimate_moments`` (start: available-case means
and variances; stop when no moment changes by 1e-5).  fmin = (logl_H1 - logl_H0) / N, so
chisq = 2 N fmin as for complete data.  Standard errors use the observed information (the
Hessian of -logl, analytic in :mod:`.fiml_hessian`; lavaan's default ``observed.information =
"hessian"`` differences its gradient for the same matrix).  Rows without any answer on the model items are
dropped, as lavaan does.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..distributions import chi2_sf
from ..errors import StatsError
from .fitmeasures import incremental, rmsea_block, srmr_bentler
from .ml import fisher_scoring, invert_information, set_start_values
from .model import Model

LOG2PI = math.log(2 * math.pi)


@dataclass
class Pattern:
    obs: np.ndarray  # indices of the answered items
    rows: np.ndarray  # row indices in the group's data
    n: int
    mean: np.ndarray  # over the answered items
    scatter: np.ndarray  # sum of (y - mean)(y - mean)' / n


@dataclass
class Block:
    """Patterns with the same number k of answered items, stacked for batched linear algebra."""
    obs: np.ndarray  # B x k item indices
    n: np.ndarray  # B counts
    mean: np.ndarray  # B x k
    scatter: np.ndarray  # B x k x k
    flat: np.ndarray  # B x k x k indices into a p x p matrix


@dataclass
class MissingStats:
    """One group's data by missing-data pattern, and its EM (H1) moments."""
    Y: np.ndarray
    patterns: list[Pattern]
    blocks: list[Block]
    n: int
    h1_mean: np.ndarray
    h1_cov: np.ndarray
    h1_logl: float


def patterns_of(Y: np.ndarray) -> list[Pattern]:
    """Group the rows of Y (NaN = missing) by the set of answered items."""
    seen = ~np.isnan(Y)
    keys: dict[bytes, list[int]] = {}
    for i, row in enumerate(np.packbits(seen, axis=1)):
        keys.setdefault(row.tobytes(), []).append(i)
    out = []
    for rows_list in keys.values():
        rows = np.array(rows_list, dtype=np.int64)
        obs = np.flatnonzero(seen[rows[0]])
        Z = Y[np.ix_(rows, obs)]
        mean = Z.mean(axis=0)
        C = Z - mean
        out.append(Pattern(obs=obs, rows=rows, n=len(rows), mean=mean, scatter=(C.T @ C) / len(rows)))
    return out



def blocks_of(patterns: list[Pattern], p: int) -> list[Block]:
    by_k: dict[int, list[Pattern]] = {}
    for b in patterns:
        by_k.setdefault(len(b.obs), []).append(b)
    out = []
    for pats in by_k.values():
        obs = np.array([b.obs for b in pats], dtype=np.int64)
        out.append(Block(obs=obs, n=np.array([b.n for b in pats], dtype=float),
                         mean=np.array([b.mean for b in pats]), scatter=np.array([b.scatter for b in pats]),
                         flat=(obs[:, :, None] * p + obs[:, None, :])))
    return out


def _inverses(block: Block, mu: np.ndarray, sigma: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Per pattern: Sigma_oo^-1, log|Sigma_oo| and d = ybar - mu_o; None if a Sigma_oo is not PD."""
    S = sigma[block.obs[:, :, None], block.obs[:, None, :]]
    try:
        L = np.linalg.cholesky(S)
    except np.linalg.LinAlgError:
        return None
    logdet = 2.0 * np.log(np.diagonal(L, axis1=1, axis2=2)).sum(axis=1)
    Li = np.linalg.inv(L)
    K = np.swapaxes(Li, 1, 2) @ Li
    return K, logdet, block.mean - mu[block.obs]


def loglik(blocks: list[Block], mu: np.ndarray, sigma: np.ndarray) -> float:
    """Normal log-likelihood of the observed data (the constant included, as lavaan's logl)."""
    total = 0.0
    for bl in blocks:
        got = _inverses(bl, mu, sigma)
        if got is None:
            return -np.inf
        K, logdet, d = got
        quad = np.einsum("bi,bij,bj->b", d, K, d) + np.einsum("bij,bij->b", K, bl.scatter)
        total += float(np.sum(-0.5 * bl.n * (bl.obs.shape[1] * LOG2PI + logdet + quad)))
    return total


def em_moments(patterns: list[Pattern], Y: np.ndarray, max_iter: int = 500, tol: float = 1e-5
               ) -> tuple[np.ndarray, np.ndarray]:
    """Saturated means and covariances by EM, step for step as lavaan 0.6's."""
    n, p = Y.shape
    mu0 = np.nanmean(Y, axis=0)
    var0 = np.nanmean((Y - mu0) ** 2, axis=0)
    var0[~np.isfinite(var0) | (var0 == 0)] = 1.0
    mu, sigma = mu0.copy(), np.diag(var0)
    iu = np.triu_indices(p)
    for _ in range(max_iter):
        T1 = np.zeros(p)
        T2 = np.zeros((p, p))
        for b in patterns:
            o = b.obs
            m = np.setdiff1d(np.arange(p), o, assume_unique=True)
            M2 = b.n * (b.scatter + np.outer(b.mean, b.mean))  # sum of y_o y_o'
            s1 = b.n * b.mean
            if not len(m):
                T1 += s1
                T2 += M2
                continue
            B = np.linalg.solve(sigma[np.ix_(o, o)], sigma[np.ix_(o, m)]).T  # Sigma_mo Sigma_oo^-1
            a = mu[m] - B @ mu[o]
            e_m = b.n * a + B @ s1  # sum of E[y_m]
            T1[o] += s1
            T1[m] += e_m
            T2[np.ix_(o, o)] += M2
            cross = np.outer(a, s1) + B @ M2  # sum of E[y_m] y_o'
            T2[np.ix_(m, o)] += cross
            T2[np.ix_(o, m)] += cross.T
            cond = sigma[np.ix_(m, m)] - B @ sigma[np.ix_(o, m)]
            T2[np.ix_(m, m)] += (b.n * (cond + np.outer(a, a)) + np.outer(a, B @ s1) + np.outer(B @ s1, a)
                                 + B @ M2 @ B.T)
        new_mu = T1 / n
        new_sigma = T2 / n - np.outer(new_mu, new_mu)
        if np.any(np.linalg.eigvalsh(new_sigma) < 1e-6):
            new_sigma[np.diag_indices(p)] += np.max(np.diag(new_sigma)) * 1e-8
        delta = max(np.max(np.abs(new_mu - mu)), np.max(np.abs(new_sigma[iu] - sigma[iu])))
        mu, sigma = new_mu, new_sigma
        if delta < tol:
            break
    return mu, sigma


def missing_stats(groups: list[np.ndarray]) -> list[MissingStats]:
    out = []
    for Y in groups:
        pats = patterns_of(Y)
        blocks = blocks_of(pats, Y.shape[1])
        mu, sigma = em_moments(pats, Y)
        out.append(MissingStats(Y=Y, patterns=pats, blocks=blocks, n=Y.shape[0], h1_mean=mu, h1_cov=sigma,
                                h1_logl=loglik(blocks, mu, sigma)))
    return out


EXACT_BUDGET = 4_000_000  # largest sum over patterns of k^2 q for the exact FIML scoring metric


class FIMLObjective:
    """fmin = (logl_H1 - logl_H0) / N with its analytic gradient.

    Scoring metric: the FIML expected information when it is cheap; for many patterns of
    many items the complete-data expected information at the current estimates (close to the
    FIML one when little is missing).  The step halving in :func:`fisher_scoring` keeps every
    step downhill, so the optimum is FIML's own either way."""

    def __init__(self, model: Model, stats: list[MissingStats]):
        self.model = model
        self.stats = stats
        self.N = sum(s.n for s in stats)
        self.h1 = sum(s.h1_logl for s in stats)
        cost = sum(bl.obs.shape[0] * bl.obs.shape[1] ** 2 for s in stats for bl in s.blocks)
        self.exact = cost * model.n_free <= EXACT_BUDGET

    def value(self, x: np.ndarray) -> float:
        ll = 0.0
        for (sigma, mu), st in zip(self.model.implied(x), self.stats):
            if not np.all(np.isfinite(sigma)):
                return np.inf
            ll += loglik(st.blocks, mu, sigma)  # type: ignore[arg-type]  # FIML models have means
        return (self.h1 - ll) / self.N if np.isfinite(ll) else np.inf

    def _group_inverses(self, bl: Block, mu: np.ndarray | None, sigma: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        got = _inverses(bl, mu, sigma)  # type: ignore[arg-type]  # FIML models have means
        if got is None:
            raise np.linalg.LinAlgError("implied covariance matrix is not positive definite")
        return got

    def moment_gradients(self, x: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per group: d(-logl)/dSigma (p x p, as a function of the symmetric matrix's entries
        taken one by one) and d(-logl)/dmu."""
        out = []
        for (sigma, mu), st in zip(self.model.implied(x), self.stats):
            p = len(sigma)
            G = np.zeros(p * p)
            gm = np.zeros(p)
            for bl in st.blocks:
                K, _ld, d = self._group_inverses(bl, mu, sigma)
                Kd = np.einsum("bij,bj->bi", K, d)
                KSK = K @ bl.scatter @ K
                Gb = 0.5 * bl.n[:, None, None] * (K - KSK - Kd[:, :, None] * Kd[:, None, :])
                G += np.bincount(bl.flat.ravel(), weights=Gb.ravel(), minlength=p * p)
                gm -= np.bincount(bl.obs.ravel(), weights=(bl.n[:, None] * Kd).ravel(), minlength=p)
            out.append((G.reshape(p, p), gm))
        return out

    def gradient(self, x: np.ndarray) -> np.ndarray:
        g = np.zeros(self.model.n_free)
        for (G, gm), (JS, Jm) in zip(self.moment_gradients(x), self.model.jacobian(x)):
            g += G.ravel() @ JS + gm @ Jm
        return g / self.N

    def gradient_information(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        q = self.model.n_free
        info = np.zeros((q, q))
        for (sigma, mu), (JS, Jm), st in zip(self.model.implied(x), self.model.jacobian(x), self.stats):
            p = len(sigma)
            if not self.exact:
                inv = np.linalg.inv(sigma)
                W = inv @ JS.T.reshape(q, p, p) @ inv
                info += st.n / self.N * (0.5 * (W.reshape(q, -1) @ JS) + Jm.T @ inv @ Jm)
                continue
            JS3 = JS.reshape(p, p, q)
            for bl in st.blocks:
                K = self._group_inverses(bl, mu, sigma)[0]
                k = bl.obs.shape[1]
                for K_b, o, n_b in zip(K, bl.obs, bl.n):
                    Jo = JS3[np.ix_(o, o)].reshape(k * k, q)
                    W = (K_b @ Jo.T.reshape(q, k, k) @ K_b).reshape(q, -1)
                    Jmo = Jm[o]
                    info += n_b / self.N * (0.5 * (W @ Jo) + Jmo.T @ K_b @ Jmo)
        return self.gradient(x), info


def fit_fiml(model: Model, stats: list[MissingStats]) -> dict[str, Any]:
    """Estimate by FIML; returns x, fmin, converged, iterations, vcov, information."""
    obj = FIMLObjective(model, stats)
    set_start_values(model, [s.h1_cov for s in stats], [s.h1_mean for s in stats])
    x, f, converged, iters = fisher_scoring(obj.value, obj.gradient_information, model.start_vector())
    out: dict[str, Any] = {"x": x, "fmin": f, "converged": converged, "iterations": iters, "vcov": None,
                           "information": None}
    if converged:
        from .fiml_hessian import observed_information
        info = observed_information(model, stats, x)
        out["information"] = info
        out["vcov"] = invert_information(info, obj.N, model)
    return out


def fiml_fit_measures(model: Model, stats: list[MissingStats], fmin: float,
                      implied: list[tuple[np.ndarray, np.ndarray | None]]) -> dict[str, float]:
    """lavaan's fit measures for missing = "ml": the tests against the EM-estimated saturated
    model; the baseline (independence) model's FIML estimates are each item's available-case
    mean and variance (its likelihood factors by item); SRMR compares the implied moments with
    the EM ones."""
    G = model.n_groups
    p = model.p
    N = sum(s.n for s in stats)
    npar = model.n_free
    df = G * (p * (p + 1) // 2 + p) - npar
    X2 = 2.0 * N * fmin
    h1 = sum(s.h1_logl for s in stats)
    logl = h1 - N * fmin
    out: dict[str, float] = {"npar": float(npar), "fmin": fmin, "chisq": X2, "df": float(df),
                             "pvalue": chi2_sf(X2, df) if df > 0 else float("nan")}
    logl_b = 0.0
    for s in stats:
        n_j = np.sum(~np.isnan(s.Y), axis=0)
        var_j = np.nanvar(s.Y, axis=0)
        logl_b += float(np.sum(-0.5 * n_j * (LOG2PI + np.log(var_j) + 1.0)))
    X2b = 2.0 * (h1 - logl_b)
    dfb = G * p * (p - 1) // 2
    out.update({"baseline_chisq": X2b, "baseline_df": float(dfb), "baseline_pvalue": chi2_sf(X2b, dfb)})
    out.update(incremental(X2, df, X2b, dfb))
    out.update({"logl": logl, "unrestricted_logl": h1, "aic": -2 * logl + 2 * npar,
                "bic": -2 * logl + npar * math.log(N), "ntotal": float(N),
                "bic2": -2 * logl + npar * math.log((N + 2) / 24)})
    out.update(rmsea_block(X2, df, N, G))
    tot = nom = 0.0
    for s, (sigma, mu) in zip(stats, implied):
        a, b = srmr_bentler(s.h1_cov, s.h1_mean, sigma, mu)
        tot += s.n / N * a
        nom += s.n / N * b
    out.update({"srmr": tot, "srmr_bentler": tot, "srmr_bentler_nomean": nom})
    return out


def fiml_result(model: Model, groups: list[np.ndarray], info: dict[str, Any], modindices: bool = False
                ) -> dict[str, Any]:
    """The whole FIML fit as fit_cfa returns it (info: the common fields of the result)."""
    from .diagnostics import add_diagnostics
    from .result import check_admissible, parameter_table
    for Y in groups:
        empty = [model.ov_names[i] for i in range(model.p) if np.all(np.isnan(Y[:, i]))]
        if empty:
            raise StatsError("No answers at all for " + ", ".join(empty) + ": full-information ML cannot "
                             "estimate them.")
    stats = missing_stats(groups)
    est = fit_fiml(model, stats)
    result = dict(info)
    result.update({"converged": bool(est["converged"]), "iterations": int(est["iterations"]),
                   "meanstructure": True,
                   "missing_patterns": [len(s.patterns) for s in stats]})
    if not est["converged"]:
        result.update({"parameters": [], "fit": {}})
        result["warnings"].append("The optimiser did not converge; no estimates are reported.")
        return result
    x = est["x"]
    vcov = est["vcov"]
    result["fit"] = fiml_fit_measures(model, stats, est["fmin"], model.implied(x))
    if info["estimator"] == "MLR":
        from .fiml_robust import apply_fiml_mlr
        vcov = apply_fiml_mlr(result, model, x, stats, est["information"])
    result["parameters"] = parameter_table(model, x, vcov)
    add_diagnostics(result, model, x, vcov, [s.h1_cov for s in stats])
    if modindices:
        result["warnings"].append("Modification indices are computed for complete data only (not with "
                                  "--missing ml).")
    check_admissible(result)
    return result
