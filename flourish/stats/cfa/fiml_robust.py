"""Robust ML with missing data (lavaan's ``estimator = "MLR", missing = "ml"``).

The FIML estimates, with

* standard errors ``H^-1 B0 H^-1 / N``: ``H`` the observed FIML information per case, ``B0`` the
  mean outer product of the cases' scores (each case's score uses only the items it answers);
* the Yuan-Bentler (Mplus) scaled test, ``c = (tr(B1 A1^-1) - tr(B0 H^-1)) / df``, where ``A1``
  is the observed information and ``B1`` the first-order information of the saturated model at
  its EM estimates, in (mu, vech Sigma); the baseline model gets its own factor the same way
  (its FIML estimates are the available-case means and variances).

lavaan's "robust" CFI/TLI/RMSEA for missing data are Zhang & Savalei's (2022) FIML-corrected
ones (:func:`fiml_corrected`, lavaan's "V3"): the complete-data chi-square of the estimates
against the EM moments and its own scaling factor, for the model and the baseline.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .fiml import MissingStats
from .model import Model
from .robust import robust_indices, sandwich, scaled_fit


def casewise_scores(st: MissingStats, mu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Each case's score of the normal log-likelihood of its answered items, with respect to
    (mu, vech Sigma): n x (p + p(p+1)/2)."""
    n, p = st.Y.shape
    r, c = np.triu_indices(p)
    w = np.where(r == c, 1.0, 2.0)
    out = np.zeros((n, p + len(r)))
    for b in st.patterns:
        o = b.obs
        pos = np.full(p, -1)
        pos[o] = np.arange(len(o))
        K = np.linalg.inv(sigma[np.ix_(o, o)])
        KZ = (st.Y[np.ix_(b.rows, o)] - mu[o]) @ K
        block = np.zeros((len(b.rows), p + len(r)))
        block[:, o] = KZ
        m = (pos[r] >= 0) & (pos[c] >= 0)
        pr, pc = pos[r[m]], pos[c[m]]
        block[:, p + np.flatnonzero(m)] = 0.5 * w[m] * (KZ[:, pr] * KZ[:, pc] - K[pr, pc])
        out[b.rows] = block
    return out


def _moments(v: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray]:
    r, c = np.triu_indices(p)
    sigma = np.zeros((p, p))
    sigma[r, c] = v[p:]
    sigma[c, r] = v[p:]
    return v[:p], sigma


def _h1_trace(st: MissingStats) -> float:
    """tr(B1 A1^-1) for one group: the saturated model at its EM estimates."""
    A1, B1 = _h1_informations(st)
    return float(np.sum(B1 * np.linalg.inv(A1).T))


def _h0_first_order(stats: list[MissingStats], model: Model, x: np.ndarray) -> np.ndarray:
    N = sum(s.n for s in stats)
    q = model.n_free
    B0 = np.zeros((q, q))
    for st, (sigma, mu), (JS, Jm) in zip(stats, model.implied(x), model.jacobian(x)):
        p = st.Y.shape[1]
        r, c = np.triu_indices(p)
        Delta = np.vstack([Jm, JS[r * p + c]])
        h0 = casewise_scores(st, mu, sigma) @ Delta  # type: ignore[arg-type]  # FIML models have means
        B0 += h0.T @ h0 / N
    return B0


def _baseline_h0_trace(stats: list[MissingStats]) -> float:
    """tr(B0 E^-1) of the independence model: per item a mean and a variance, estimated from
    the available answers; at those estimates the observed information is diagonal,
    n_j / v_j for a mean and n_j / (2 v_j^2) for a variance."""
    N = sum(s.n for s in stats)
    blocks_B: list[np.ndarray] = []
    diag: list[np.ndarray] = []
    for st in stats:
        Y = st.Y
        seen = ~np.isnan(Y)
        n_j = seen.sum(axis=0)
        m = np.nanmean(Y, axis=0)
        v = np.nanvar(Y, axis=0)
        Z = np.where(seen, Y - m, 0.0)
        s_mu = Z / v
        s_var = np.where(seen, 0.5 * (Z ** 2 / v ** 2 - 1.0 / v), 0.0)
        S = np.hstack([s_mu, s_var])
        blocks_B.append(S.T @ S / N)
        diag.append(np.concatenate([n_j / v, n_j / (2 * v ** 2)]) / N)
    # groups do not share baseline parameters: the trace is a sum over groups
    return float(sum(np.sum(np.diag(B) / d) for B, d in zip(blocks_B, diag)))


def apply_fiml_mlr(result: dict[str, Any], model: Model, x: np.ndarray, stats: list[MissingStats],
                   H: np.ndarray) -> np.ndarray:
    """Turn a converged FIML result into lavaan's MLR one; returns the robust vcov."""
    N = sum(s.n for s in stats)
    B0 = _h0_first_order(stats, model, x)
    tr_h0 = float(np.sum(B0 * np.linalg.inv(H).T))
    tr_h1 = sum(_h1_trace(st) for st in stats)
    result["fit"].update(scaled_fit(result["fit"], model, float(N), tr_h1, tr_h0, _baseline_h0_trace(stats),
                                    robust=False))
    fc = fiml_corrected(stats, model, x)
    result["fit"].update(robust_indices(fc["XX3"], fc["df3"], fc["c_hat3"], fc["XX3_null"], fc["df3_null"],
                                        fc["c_hat3_null"], float(N), len(stats)))
    result["estimator"] = "MLR"
    return sandwich(H, B0, N)


def _h1_informations(st: MissingStats, h: float = 1e-5) -> tuple[np.ndarray, np.ndarray]:
    """The saturated model at its EM estimates, per case, in (mu, vech Sigma): its observed
    information under the missing-data patterns (central differences of the mean score) and its
    first-order information (mean outer product of the cases' scores)."""
    n, p = st.Y.shape
    r, c = np.triu_indices(p)
    v = np.concatenate([st.h1_mean, st.h1_cov[r, c]])
    scores = casewise_scores(st, st.h1_mean, st.h1_cov)
    B1 = scores.T @ scores / n
    A1 = np.zeros((len(v), len(v)))
    for j in range(len(v)):
        e = np.zeros(len(v))
        e[j] = h
        up = casewise_scores(st, *_moments(v + e, p)).mean(axis=0)
        down = casewise_scores(st, *_moments(v - e, p)).mean(axis=0)
        A1[:, j] = -(up - down) / (2 * h)
    return 0.5 * (A1 + A1.T), B1


def _complete_chisq(stats: list[MissingStats], implied: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """The ML chi-square of implied moments against the EM (saturated) moments taken as complete-data
    sample statistics (lavaan's refit on the 'tilde' statistics, without re-estimation)."""
    X2 = 0.0
    for st, (sigma, mu) in zip(stats, implied):
        p = len(mu)
        inv = np.linalg.inv(sigma)
        d = st.h1_mean - mu
        X2 += st.n * (np.linalg.slogdet(sigma)[1] + float(np.sum(st.h1_cov * inv)) - np.linalg.slogdet(st.h1_cov)[1]
                      - p + float(d @ inv @ d))
    return X2


def _block_diagonal(blocks: list[np.ndarray]) -> np.ndarray:
    n = sum(b.shape[0] for b in blocks)
    out = np.zeros((n, n))
    k = 0
    for b in blocks:
        out[k:k + len(b), k:k + len(b)] = b
        k += len(b)
    return out


def _baseline_moments(stats: list[MissingStats]) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray]:
    """The independence model's FIML estimates (available-case means and variances, divisor n_j)
    per group, and its Jacobian of (mu, vech Sigma) with respect to them, stacked over groups."""
    implied, rows = [], []
    q = sum(2 * st.Y.shape[1] for st in stats)
    off = 0
    for st in stats:
        p = st.Y.shape[1]
        r, c = np.triu_indices(p)
        implied.append((np.diag(np.nanvar(st.Y, axis=0)), np.nanmean(st.Y, axis=0)))
        D = np.zeros((p + len(r), q))
        D[np.arange(p), off + np.arange(p)] = 1.0
        diag = np.flatnonzero(r == c)
        D[p + diag, off + p + np.arange(p)] = 1.0
        rows.append(D)
        off += 2 * p
    return implied, np.vstack(rows)


def fiml_corrected(stats: list[MissingStats], model: Model, x: np.ndarray) -> dict[str, float]:
    """The ingredients of lavaan's "robust" RMSEA and CFI after FIML (Zhang & Savalei 2022, FIML-C
    "V3", lavaan's lav_fit_fiml_corrected): the complete-data chi-square XX3 of the FIML estimates
    against the EM moments taken as complete data, and its scaling factor c = k / df with
    k = tr(U Wm^-1 Wc Wm^-1 U Gamma), U = Wm - Wm D (D'Wm D)^-1 D'Wm, where Wm is the saturated
    model's observed information under the missing-data patterns, Wc its complete-data information
    at the EM moments and Gamma = Wm^-1 Jm Wm^-1 (Jm the first-order information), each group
    weighted by n_g / N; the same for the independence model."""
    from .robust import _saturated
    N = sum(s.n for s in stats)
    fg = [s.n / N for s in stats]
    infos = [_h1_informations(st) for st in stats]
    Wmi = [np.linalg.inv(A) for A, _ in infos]
    Wm_all = _block_diagonal([f * A for f, (A, _) in zip(fg, infos)])
    Wmi_all = _block_diagonal([Wi / f for f, Wi in zip(fg, Wmi)])
    Wc_all = _block_diagonal([f * _saturated(st.Y[:1], st.h1_cov, st.h1_mean)[1] for f, st in zip(fg, stats)])
    G_all = _block_diagonal([Wi @ B @ Wi / f for f, Wi, (_, B) in zip(fg, Wmi, infos)])
    middle = Wmi_all @ Wc_all @ Wmi_all

    def k_of(D: np.ndarray) -> float:
        U = Wm_all - Wm_all @ D @ np.linalg.inv(D.T @ Wm_all @ D) @ D.T @ Wm_all
        return float(np.sum((U @ middle @ U) * G_all.T))

    p = stats[0].Y.shape[1]
    r, c = np.triu_indices(p)
    D = np.vstack([np.vstack([Jm, JS[r * p + c]]) for JS, Jm in model.jacobian(x)])
    df = float(len(stats) * (p + p * (p + 1) // 2) - model.n_free)
    dfb = float(len(stats) * p * (p - 1) // 2)
    base, DB = _baseline_moments(stats)
    return {"XX3": _complete_chisq(stats, model.implied(x)), "df3": df, "c_hat3": k_of(D) / df,  # type: ignore[arg-type]
            "XX3_null": _complete_chisq(stats, base), "df3_null": dfb, "c_hat3_null": k_of(DB) / dfb}
