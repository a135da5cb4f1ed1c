"""Thresholds, polychoric correlations and their asymptotic covariance (two-step, as lavaan).

Step 1: thresholds of each ordinal item from its marginal proportions,
        tau_k = Phi^-1(P(y <= k)).
Step 2: each polychoric correlation maximises the bivariate ordinal likelihood with the
        thresholds fixed at their step-1 values (Fisher scoring, vectorised over all pairs).
The asymptotic covariance matrix Gamma of (thresholds, correlations) is built from case-wise
scores exactly as lavaan's muthen1984(): A11 / A22 / A21 are cross-products of scores
(outer-product-of-gradients), B^-1 = [[A11^-1, 0], [-A22^-1 A21 A11^-1, A22^-1]] and
Gamma = N * B^-1 (sum of score outer products) B^-T.

The bivariate normal CDF uses Genz's (2004) algorithm (Drezner-Wesolowsky with
Gauss-Legendre quadrature), vectorised.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import cast

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr, ndtri

from ..errors import StatsError

BIG = 9.0  # stands in for +-infinity in thresholds (Phi(-9) ~ 1e-19)

_GL_X = np.array([0.9931285991850949, 0.9639719272779138, 0.9122344282513259, 0.8391169718222188,
                  0.7463319064601508, 0.6360536807265150, 0.5108670019508271, 0.3737060887154196,
                  0.2277858511416451, 0.07652652113349733])
_GL_W = np.array([.01761400713915212, .04060142980038694, .06267204833410906, .08327674157670475,
                  0.1019301198172404, 0.1181945319615184, 0.1316886384491766, 0.1420961093183821,
                  0.1491729864726037, 0.1527533871307259])
_X = np.concatenate([1 - _GL_X, 1 + _GL_X])
_W = np.concatenate([_GL_W, _GL_W])


def bvn_upper(h: npt.ArrayLike, k: npt.ArrayLike, r: npt.ArrayLike) -> np.ndarray:
    """P(X > h, Y > k) for standard bivariate normal with correlation r (arrays broadcast)."""
    h, k, r = np.broadcast_arrays(np.asarray(h, float), np.asarray(k, float), np.asarray(r, float))
    out = np.empty(h.shape)
    low = np.abs(r) < 0.925
    if low.any():
        hh, kk, rr = h[low], k[low], r[low]
        hk = hh * kk
        hs = (hh * hh + kk * kk) / 2
        asr = np.arcsin(rr) / 2
        sn = np.sin(asr[:, None] * _X[None, :])
        val = np.exp((sn * hk[:, None] - hs[:, None]) / (1 - sn ** 2)) @ _W
        out[low] = val * asr / (2 * np.pi) + ndtr(-hh) * ndtr(-kk)
    high = ~low
    if high.any():
        hh, kk, rr = h[high].copy(), k[high].copy(), r[high]
        neg = rr < 0
        kk[neg] = -kk[neg]
        hk = hh * kk
        bvn = np.zeros(hh.shape)
        one = np.abs(rr) < 1
        if one.any():
            as_ = 1 - rr ** 2
            a = np.sqrt(np.where(one, as_, 1.0))
            bs = (hh - kk) ** 2
            c = (4 - hk) / 8
            d = (12 - hk) / 80
            asr = -(bs / np.where(one, as_, 1.0) + hk) / 2
            t1 = np.where(asr > -100, a * np.exp(np.maximum(asr, -100)) *
                          (1 - c * (bs - as_) * (1 - d * bs) / 3 + c * d * as_ ** 2), 0.0)
            b = np.sqrt(bs)
            sp = np.sqrt(2 * np.pi) * ndtr(-b / a)
            t1 = t1 - np.where(hk > -100, np.exp(-np.minimum(hk, 100) / 2) * sp * b * (1 - c * bs * (1 - d * bs) / 3),
                               0.0)
            a2 = a / 2
            xs = (a2[:, None] * _X[None, :]) ** 2
            asr2 = -(bs[:, None] / xs + hk[:, None]) / 2
            ok = asr2 > -100
            spp = 1 + c[:, None] * xs * (1 + 5 * d[:, None] * xs)
            rs = np.sqrt(1 - xs)
            ep = np.exp(-(hk[:, None] / 2) * xs / (1 + rs) ** 2) / rs
            terms = np.where(ok, np.exp(np.maximum(asr2, -100)) * (spp - ep), 0.0)
            bvn = np.where(one, (a2 * (terms @ _W) - t1) / (2 * np.pi), 0.0)
        pos = rr > 0
        res = np.empty(hh.shape)
        res[pos] = bvn[pos] + ndtr(-np.maximum(hh[pos], kk[pos]))
        m = ~pos
        hm, km, bm = hh[m], kk[m], bvn[m]
        L = np.where(hm < 0, ndtr(km) - ndtr(hm), ndtr(-hm) - ndtr(-km))
        res[m] = np.where(hm >= km, -bm, L - bm)
        out[high] = res
    return np.clip(out, 0.0, 1.0)


def bvn_cdf(h: npt.ArrayLike, k: npt.ArrayLike, r: npt.ArrayLike) -> np.ndarray:
    """P(X < h, Y < k)."""
    return bvn_upper(-np.asarray(h, float), -np.asarray(k, float), r)


def bvn_pdf(h: np.ndarray, k: np.ndarray, r: np.ndarray) -> np.ndarray:
    s = 1 - r ** 2
    return cast(np.ndarray, np.exp(-(h * h - 2 * r * h * k + k * k) / (2 * s)) / (2 * np.pi * np.sqrt(s)))


def _label(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def ordinal_levels(Y: np.ndarray, names: list[str]) -> list[list[float]]:
    """The categories of each item: its sorted observed values over all rows (as lavaan, which
    makes each ordered variable a factor on the whole data before any row is dropped)."""
    levels = []
    for j in range(Y.shape[1]):
        col = Y[:, j]
        lv = np.array(sorted(set(col[~np.isnan(col)].tolist())))
        if len(lv) < 2:
            raise StatsError(f"Ordinal item '{names[j]}' has only one observed category; it cannot be analysed.")
        if len(lv) > 20:
            raise StatsError(f"Item '{names[j]}' has {len(lv)} distinct values; that is not an ordinal "
                             "item (use --estimator ml for continuous items).")
        levels.append([float(v) for v in lv])
    return levels


def encode_ordinal(Y: np.ndarray, names: list[str], levels: list[list[float]],
                   group_label: str | None = None) -> np.ndarray:
    """Codes 0..K-1 per item (-1 for a missing answer), refusing an empty category as lavaan does
    ("some categories of variable ... are empty"): a threshold next to it cannot be estimated."""
    codes = np.full(Y.shape, -1, dtype=np.int64)
    for j, lv in enumerate(levels):
        col = Y[:, j]
        seen = ~np.isnan(col)
        codes[seen, j] = np.searchsorted(np.asarray(lv), col[seen])
        counts = np.bincount(codes[seen, j], minlength=len(lv))
        empty = [k for k in range(len(lv)) if counts[k] == 0]
        if empty:
            where = f" in group '{group_label}'" if group_label is not None else " among the rows analysed"
            which = ", ".join(_label(lv[k]) for k in empty)
            raise StatsError(
                f"Category {which} of {names[j]} is empty{where} (frequencies "
                + ", ".join(f"{_label(v)}: {int(c)}" for v, c in zip(lv, counts))
                + "). Its threshold cannot be estimated; lavaan refuses these data too. Merge the category "
                "with a neighbouring one, or leave the item out.")
    return codes


def recode_ordinal(Y: np.ndarray, names: list[str]) -> tuple[np.ndarray, list[list[float]]]:
    """Codes 0..K-1 per column (sorted observed values); returns (codes, levels)."""
    levels = ordinal_levels(Y, names)
    return encode_ordinal(Y, names, levels), levels


class Polychoric:
    """Sample statistics for ordinal data: thresholds, polychoric R, Gamma (NACOV)."""

    def __init__(self, codes: np.ndarray, need_gamma: bool = True, n_categories: list[int] | None = None):
        """codes: N x p, 0..K-1 per item, -1 for missing (pairwise deletion: every statistic uses
        the rows observed on its own variables, and a missing answer scores 0, as lavaan)."""
        N, p = codes.shape
        self.N, self.p = N, p
        self.K = (np.asarray(n_categories, dtype=np.int64) if n_categories is not None
                  else codes.max(axis=0) + 1)
        Kmax = int(self.K.max())
        self.Kmax = Kmax
        counts = np.zeros((p, Kmax))
        for j in range(p):
            c = codes[:, j]
            counts[j, :self.K[j]] = np.bincount(c[c >= 0], minlength=self.K[j])
        self.n_item = counts.sum(axis=1)
        cum = np.cumsum(counts, axis=1) / self.n_item[:, None]
        # thresholds padded: tau[j, k] k = 0..Kmax-2 ; padded ones = BIG
        tau = np.full((p, Kmax - 1), BIG)
        for j in range(p):
            tau[j, :self.K[j] - 1] = ndtri(cum[j, :self.K[j] - 1])
        self.tau = tau
        self.th_index = [(j, k) for j in range(p) for k in range(self.K[j] - 1)]
        # bounds per category: lower/upper (p, Kmax)
        self.lo = np.concatenate([np.full((p, 1), -BIG), tau], axis=1)
        self.hi = np.concatenate([tau, np.full((p, 1), BIG)], axis=1)
        # all bivariate tables via one-hot cross-products
        onehot = np.zeros((N, p * Kmax))
        seen = codes >= 0
        rows_, cols_ = np.nonzero(seen)
        onehot[rows_, cols_ * Kmax + codes[rows_, cols_]] = 1.0
        T = onehot.T @ onehot
        iu = np.tril_indices(p, -1)  # (i, j) with i > j, column-major order as lavaan's vech
        order = np.lexsort((iu[0], iu[1]))
        self.pairs = np.stack([iu[0][order], iu[1][order]], axis=1)  # rows: (i, j), i > j
        P = len(self.pairs)
        tab = np.empty((P, Kmax, Kmax))
        for n, (i, j) in enumerate(self.pairs):
            tab[n] = T[i * Kmax:(i + 1) * Kmax, j * Kmax:(j + 1) * Kmax]
        self.tables = tab  # tab[n, a, b]: y_i = a, y_j = b
        # Items with fewer categories than the widest are padded to Kmax; the padded cells have
        # probability 0 and must not enter any score (0/0 there overflowed into the weights).
        a = np.arange(Kmax)
        Ki, Kj = self.K[self.pairs[:, 0]], self.K[self.pairs[:, 1]]
        self.valid = (a[None, :, None] < Ki[:, None, None]) & (a[None, None, :] < Kj[:, None, None])
        self.rho = self._fit_rho()
        self.R = np.eye(p)
        self.R[self.pairs[:, 0], self.pairs[:, 1]] = self.rho
        self.R[self.pairs[:, 1], self.pairs[:, 0]] = self.rho
        if need_gamma:
            self.gamma_factor = self._scores(codes)

    # cell probabilities and their derivative wrt rho, shape (P, Kmax, Kmax)
    def _cells(self, rho: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        i, j = self.pairs[:, 0], self.pairs[:, 1]
        hi_i, lo_i = self.hi[i][:, :, None], self.lo[i][:, :, None]
        hi_j, lo_j = self.hi[j][:, None, :], self.lo[j][:, None, :]
        r = rho[:, None, None]
        F: Callable[[np.ndarray, np.ndarray], np.ndarray] = lambda a, b: bvn_cdf(a, b, r)  # noqa: E731
        f: Callable[[np.ndarray, np.ndarray], np.ndarray] = lambda a, b: bvn_pdf(a, b, r)  # noqa: E731
        pi = F(hi_i, hi_j) - F(lo_i, hi_j) - F(hi_i, lo_j) + F(lo_i, lo_j)
        dpi = f(hi_i, hi_j) - f(lo_i, hi_j) - f(hi_i, lo_j) + f(lo_i, lo_j)
        pi = np.where(self.valid, np.maximum(pi, 1e-300), 1.0)
        return pi, np.where(self.valid, dpi, 0.0)

    def _fit_rho(self) -> np.ndarray:
        tab = self.tables.copy()
        # lavaan zero.add = c(0.5, 0): add 0.5 to empty cells of 2 x 2 tables only
        Ki = self.K[self.pairs[:, 0]]
        Kj = self.K[self.pairs[:, 1]]
        two = (Ki == 2) & (Kj == 2)
        if two.any():
            sub = tab[two, :2, :2]
            tab[two, :2, :2] = np.where(sub == 0, 0.5, sub)
        # start: correlation of the codes via the table
        rho: np.ndarray = np.zeros(len(self.pairs))
        a = np.arange(self.Kmax)
        n = tab.sum(axis=(1, 2))
        ma = (tab.sum(axis=2) * a).sum(axis=1) / n
        mb = (tab.sum(axis=1) * a).sum(axis=1) / n
        va = (tab.sum(axis=2) * a ** 2).sum(axis=1) / n - ma ** 2
        vb = (tab.sum(axis=1) * a ** 2).sum(axis=1) / n - mb ** 2
        cab = (tab * a[None, :, None] * a[None, None, :]).sum(axis=(1, 2)) / n - ma * mb
        rho = np.clip(cab / np.sqrt(np.maximum(va * vb, 1e-12)), -0.9, 0.9)
        for _ in range(100):
            pi, dpi = self._cells(rho)
            score = (tab * dpi / pi).sum(axis=(1, 2))
            info = n * (dpi ** 2 / pi).sum(axis=(1, 2))
            step = score / np.maximum(info, 1e-12)
            new = rho + step
            # keep inside (-1, 1)
            bad = np.abs(new) >= 0.9999
            new[bad] = (rho[bad] + np.sign(new[bad]) * 0.9999) / 2
            done = np.max(np.abs(new - rho)) < 1e-11
            rho = new
            if done:
                break
        if np.any(np.abs(rho) > 0.995):
            k = int(np.argmax(np.abs(rho)))
            self.warning = (f"a polychoric correlation is (nearly) 1.0 (pair {tuple(self.pairs[k])}); "
                            "estimates may be unstable")
        return rho

    def _scores(self, codes: np.ndarray) -> np.ndarray:
        """Z (N x (T + P)) with Gamma = N * Z'Z, as lavaan's muthen1984 (OPG-based B)."""
        N, p = codes.shape
        # threshold scores
        phi_hi = np.exp(-0.5 * self.hi ** 2) / np.sqrt(2 * np.pi)
        phi_lo = np.exp(-0.5 * self.lo ** 2) / np.sqrt(2 * np.pi)
        prob = ndtr(self.hi) - ndtr(self.lo)
        th_cols = []
        th_start = np.concatenate([[0], np.cumsum(self.K - 1)])
        T = int(th_start[-1])
        SCT = np.zeros((N, T))
        rows = np.arange(N)
        for j in range(p):
            c = codes[:, j]
            Kj = self.K[j]
            up = (c >= 0) & (c < Kj - 1)
            SCT[rows[up], th_start[j] + c[up]] += phi_hi[j, c[up]] / prob[j, c[up]]
            dn = c > 0
            SCT[rows[dn], th_start[j] + c[dn] - 1] -= phi_lo[j, c[dn]] / prob[j, c[dn]]
            th_cols.append(np.arange(th_start[j], th_start[j + 1]))
        # A11 block-diagonal inverse applied to threshold scores
        Zt = np.zeros_like(SCT)
        A11inv_blocks = []
        for j in range(p):
            idx = th_cols[j]
            A = SCT[:, idx].T @ SCT[:, idx]
            Ainv = np.linalg.inv(A)
            A11inv_blocks.append(Ainv)
            Zt[:, idx] = SCT[:, idx] @ Ainv
        # correlation scores: lookup of dlog(pi)/drho per cell
        pi, dpi = self._cells(self.rho)
        s_cell = dpi / pi  # (P, K, K)
        i_, j_ = self.pairs[:, 0], self.pairs[:, 1]
        P = len(self.pairs)
        ci, cj = codes[:, i_], codes[:, j_]
        SCC = s_cell[np.arange(P)[None, :], np.maximum(ci, 0), np.maximum(cj, 0)]  # (N, P)
        SCC[(ci < 0) | (cj < 0)] = 0.0  # a pair not observed together adds nothing
        A22 = (self.tables * s_cell ** 2).sum(axis=(1, 2))
        # A21[pair, th of i] = sum_ab n_ab s_ab dlog(pi_ab)/dtau ; computed from the tables
        r = self.rho[:, None, None]
        s = np.sqrt(1 - r ** 2)
        # G1[n, k, b]: d pi_{a=k or k+1, b} / d tau_i,k magnitude
        ti = self.tau[i_][:, :, None]  # (P, Kmax-1, 1)
        hj, lj = self.hi[j_][:, None, :], self.lo[j_][:, None, :]
        G1 = np.exp(-0.5 * ti ** 2) / np.sqrt(2 * np.pi) * (ndtr((hj - r * ti) / s) - ndtr((lj - r * ti) / s))
        w = self.tables * s_cell / pi  # (P, K, K)
        A21_i = (w[:, :-1, :] * G1).sum(axis=2) - (w[:, 1:, :] * G1).sum(axis=2)  # (P, Kmax-1)
        tj = self.tau[j_][:, None, :]
        hi_, li_ = self.hi[i_][:, :, None], self.lo[i_][:, :, None]
        G2 = np.exp(-0.5 * tj ** 2) / np.sqrt(2 * np.pi) * (ndtr((hi_ - r * tj) / s) - ndtr((li_ - r * tj) / s))
        A21_j = (w[:, :, :-1] * G2).sum(axis=1) - (w[:, :, 1:] * G2).sum(axis=1)
        # Zc = (SCC - Zt A21') / A22, one block of pairs per variable
        Zc = np.asfortranarray(SCC)
        for v in range(p):
            Kv = self.K[v] - 1
            as_i = np.where(i_ == v)[0]
            as_j = np.where(j_ == v)[0]
            idx = np.concatenate([as_i, as_j])
            if not len(idx):
                continue
            coef = np.concatenate([A21_i[as_i, :Kv], A21_j[as_j, :Kv]], axis=0)  # (npairs_v, Kv)
            Zc[:, idx] -= Zt[:, th_cols[v]] @ coef.T
        Zc /= A22[None, :]
        self.n_th = T
        return np.concatenate([Zt, Zc], axis=1)

    def sample_vector(self) -> np.ndarray:
        th = np.array([self.tau[j, k] for j, k in self.th_index])
        return np.concatenate([th, self.rho])


def merge_empty_categories(Y: np.ndarray, group_labels: list[str], names: list[str]
                           ) -> tuple[np.ndarray, list[dict[str, object]]]:
    """The common remedy where lavaan refuses a category empty in some group: merge it, in every
    group, with its neighbour towards the middle of the item's observed range (the lowest category
    upwards, the highest downwards), until every remaining category is used in every group.

    Y: rows x items (NaN missing); group_labels: each row's group.  Returns the recoded copy and
    one record per merge: item, the category merged, the one it joined, the groups where it was
    empty.  Refuses an item left with one category."""
    Y = Y.copy()
    labels = np.asarray(group_labels, dtype=object)
    groups = list(dict.fromkeys(group_labels))
    merges: list[dict[str, object]] = []
    for j, name in enumerate(names):
        while True:
            col = Y[:, j]
            cats = sorted(set(col[~np.isnan(col)].tolist()))
            empty_in = {c: [g for g in groups if not np.any(col[labels == g] == c)] for c in cats}
            bad = [c for c in cats if empty_in[c]]
            if not bad:
                break
            if len(cats) <= 2:
                raise StatsError(f"Item '{name}' would keep only one category after merging the categories some "
                                 "group never used; it cannot be analysed as ordinal.")
            c = bad[0]
            k = cats.index(c)
            mid = (len(cats) - 1) / 2
            into = cats[k + 1] if k < mid else cats[k - 1]
            col[col == c] = into
            merges.append({"item": name, "category": _label(c), "into": _label(into), "empty_in": empty_in[c]})
    return Y, merges
