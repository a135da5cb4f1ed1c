"""Robust ML with missing data (lavaan's ``estimator = "MLR", missing = "ml"``).

The FIML estimates, with

* standard errors ``H^-1 B0 H^-1 / N``: ``H`` the observed FIML information per case, ``B0`` the
  mean outer product of the cases' scores (each case's score uses only the items it answers);
* the Yuan-Bentler (Mplus) scaled test, ``c = (tr(B1 A1^-1) - tr(B0 H^-1)) / df``, where ``A1``
  is the observed information and ``B1`` the first-order information of the saturated model at
  its EM estimates, in (mu, vech Sigma); the baseline model gets its own factor the same way
  (its FIML estimates are the available-case means and variances).

lavaan's "robust" CFI/TLI/RMSEA for missing data use a further correction (Zhang & Savalei)
that is not implemented: only the scaled measures are reported.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .fiml import MissingStats
from .model import Model
from .robust import sandwich, scaled_fit


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


def _h1_trace(st: MissingStats, h: float = 1e-5) -> float:
    """tr(B1 A1^-1) for one group: the saturated model at its EM estimates; A1 by central
    differences of the mean score (the observed information per case)."""
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
    A1 = 0.5 * (A1 + A1.T)
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
    result["estimator"] = "MLR"
    return sandwich(H, B0, N)
