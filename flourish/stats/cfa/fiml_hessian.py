"""The observed information of FIML, analytically (the Hessian of -logl with respect to the
free parameters), for the standard errors that lavaan's missing = "ml" reports.

Chain rule: H = sum_g Delta_g' H_m Delta_g + sum over moments of (d(-logl)/d moment) times the
moment's second derivatives.  H_m, the Hessian in (mu, vech Sigma), is summed over the
missing-data patterns; for a pattern with n cases, K = Sigma_oo^-1, d = ybar - mu_o,
C = S + d d' and M = K C K::

    d2/dmu dmu'         = n K
    d2/dmu d sigma_a    = n K E_a K d
    d2/dsigma_a dsigma_b = n/2 [2 tr(E_a K E_b M) - tr(E_a K E_b K)]

(E_a the symmetric unit matrix of vech element a).  The second derivatives of the moments are
those of Sigma = Lambda Psi Lambda' + Theta and mu = nu + Lambda alpha: loading-loading,
loading-factor (co)variance and loading-latent mean.  lavaan takes the same Hessian by
differencing its analytic gradient; this is the same number without the 2q gradient passes.
"""
from __future__ import annotations

import numpy as np

from .fiml import MissingStats
from .model import Model

_FLAT: dict[int, tuple[np.ndarray, ...]] = {}


def _flat_indices(k: int) -> tuple[np.ndarray, ...]:
    """For vech elements a = (r_a, c_a), b = (r_b, c_b) of a k x k matrix: the raveled positions
    (c_a, r_b), (r_a, c_b), (c_a, c_b), (r_a, r_b), and the weights w_a w_b / 4."""
    if k not in _FLAT:
        r, c = np.triu_indices(k)
        w = np.where(r == c, 1.0, 2.0)
        _FLAT[k] = (np.ravel(c[:, None] * k + r[None, :]), np.ravel(r[:, None] * k + c[None, :]),
                    np.ravel(c[:, None] * k + c[None, :]), np.ravel(r[:, None] * k + r[None, :]),
                    np.outer(w, w).ravel() / 4)
    return _FLAT[k]


def _sigma_block(K: np.ndarray, M: np.ndarray) -> np.ndarray:
    """(2 tr(E_a K E_b M) - tr(E_a K E_b K)) / 2 for all vech elements a, b."""
    k = len(K)
    i1, i2, i3, i4, ww = _flat_indices(k)
    Kf, Mf = K.ravel(), M.ravel()
    K1, K2, K3, K4 = Kf[i1], Kf[i2], Kf[i3], Kf[i4]
    out = (K1 * Mf[i2] + K2 * Mf[i1] + K3 * Mf[i4] + K4 * Mf[i3]) - (K1 * K2 + K3 * K4)
    out *= ww
    nv = k * (k + 1) // 2
    block: np.ndarray = out.reshape(nv, nv)
    return block


def moment_hessian(st: MissingStats, mu: np.ndarray, sigma: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """H_m in (mu, vech Sigma), and the gradients of -logl in Sigma's entries and in mu."""
    p = len(sigma)
    r, c = np.triu_indices(p)
    vpos = np.zeros((p, p), dtype=np.int64)
    vpos[r, c] = np.arange(len(r))
    vpos[c, r] = np.arange(len(r))
    Hm = np.zeros((p + len(r), p + len(r)))
    G = np.zeros((p, p))
    gm = np.zeros(p)
    for b in st.patterns:
        o = b.obs
        k = len(o)
        K = np.linalg.inv(sigma[np.ix_(o, o)])
        d = b.mean - mu[o]
        Kd = K @ d
        M = K @ (b.scatter + np.outer(d, d)) @ K
        G[np.ix_(o, o)] += 0.5 * b.n * (K - M)
        gm[o] -= b.n * Kd
        rr, cc = np.triu_indices(k)
        w = np.where(rr == cc, 1.0, 2.0)
        Hss = b.n * _sigma_block(K, M)
        Hms = 0.5 * b.n * w * (K[:, rr] * Kd[cc] + K[:, cc] * Kd[rr])
        idx = np.concatenate([o, p + vpos[o[rr], o[cc]]])
        Hb = np.block([[b.n * K, Hms], [Hms.T, Hss]])
        Hm[np.ix_(idx, idx)] += Hb
    return Hm, G, gm


def _second_order(model: Model, g: int, mats: dict[str, np.ndarray], G: np.ndarray, gm: np.ndarray
                  ) -> np.ndarray:
    """sum over moments of d(-logl)/d moment times its second derivatives in the parameters."""
    q = model.n_free
    H2 = np.zeros((q, q))
    idx = model.index_arrays()
    lam = idx["lambda"]
    lam = lam[(lam[:, 1] == g) & (lam[:, 4] >= 0)]
    if not len(lam):
        return H2
    li, lf, lk = lam[:, 2], lam[:, 3], lam[:, 4]
    L, P = mats["lambda"], mats["psi"]
    np.add.at(H2, (lk[:, None], lk[None, :]), 2.0 * G[np.ix_(li, li)] * P[np.ix_(lf, lf)])
    psi = idx["psi"]
    psi = psi[(psi[:, 1] == g) & (psi[:, 4] >= 0)]
    if len(psi):
        pa, pb, pk = psi[:, 2], psi[:, 3], psi[:, 4]
        GL = G @ L
        block = 2.0 * (GL[np.ix_(li, pa)] * (lf[:, None] == pb[None, :])
                       + GL[np.ix_(li, pb)] * (lf[:, None] == pa[None, :]) * (pa != pb)[None, :])
        np.add.at(H2, (lk[:, None], pk[None, :]), block)
        np.add.at(H2, (pk[:, None], lk[None, :]), block.T)
    if model.meanstructure:
        al = idx["alpha"]
        al = al[(al[:, 1] == g) & (al[:, 4] >= 0)]
        if len(al):
            block = gm[li][:, None] * (lf[:, None] == al[None, :, 2])
            np.add.at(H2, (lk[:, None], al[None, :, 4]), block)
            np.add.at(H2, (al[:, 4][:, None], lk[None, :]), block.T)
    return H2


def observed_information(model: Model, stats: list[MissingStats], x: np.ndarray) -> np.ndarray:
    """Hessian of fmin = -logl / N (+ constant), per case."""
    N = sum(s.n for s in stats)
    q = model.n_free
    H = np.zeros((q, q))
    mats = model.matrices(x)
    for g, (st, (sigma, mu), (JS, Jm)) in enumerate(zip(stats, model.implied(x), model.jacobian(x, mats))):
        p = len(sigma)
        r, c = np.triu_indices(p)
        Hm, G, gm = moment_hessian(st, mu, sigma)  # type: ignore[arg-type]  # FIML models have means
        Delta = np.vstack([Jm, JS[r * p + c]])
        H += Delta.T @ Hm @ Delta + _second_order(model, g, mats[g], G, gm)
    return 0.5 * (H + H.T) / N
