"""Cluster-robust ML: raters nested in leaders (lavaan's ``cluster =`` for a one-level model).

lavaan 0.6.14 fits ``cfa(model, data, cluster = "leader")`` by ML (estimates unchanged) with
se = "robust.cluster", test = "yuan.bentler.mplus", information = "observed" and a mean
structure -- the choices of estimator = "MLR", with the sandwich's meat summed over clusters.
Everything below is per group g (n_g cases, f_g = n_g / N), in the h1 coordinates
(mu, vech Sigma), with Delta_g = d(mu, vech Sigma)/dx:

* casewise scores s_i = d log L_i / d(mu, vech Sigma) at (mu, Sigma) (:func:`h1_scores`);
* the meat B1_g = sum_c (sum_{i in c} s_i)(sum_{i in c} s_i)' / n_g * C_g / (C_g - 1), C_g the
  number of clusters; without clusters sum_i s_i s_i' / n_g (:func:`score_meat`, which takes any
  casewise scores, e.g. full-information ones);
* standard errors: V = E^-1 B0 E^-1 / N with E the observed information (the Hessian of fmin,
  lavaan's observed.information = "hessian"; analytic here, :func:`observed_information`) and
  B0 = sum_g f_g Delta_g' B1_g Delta_g at the model-implied moments;
* the Yuan-Bentler (Mplus variant) scaling factor c = tr(U Gamma) / df with
  tr(U Gamma) = sum_g [tr(B1u_g A1u_g^-1) - f_g tr(B0_g E1^-1)], where B1u_g and A1u_g are the
  meat and the information of the saturated model at the sample moments, and E1 = sum_g f_g
  Delta_g' A1_g Delta_g uses the observed h1 information at the implied moments
  (observed.information = "h1" for tests, as lavaan warns); chisq_scaled = chisq / c;
* the baseline (independence) model is scaled the same way; cfi/tli/rmsea "scaled" and
  "robust" follow lavaan's lav_fit_* functions (robust: Brosseau-Liard & Savalei's c.hat
  corrections, rmsea_robust = sqrt(max(chisq / (N df) - c / N, 0))).

ICC(1) per item is the one-way ANOVA estimate (MSB - MSW) / (MSB + (k - 1) MSW) with k = N / J
(Bliese's multilevel::ICC1); the design effect is 1 + (k - 1) ICC(1).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..distributions import bisect, chi2_sf, ncx2_cdf, ncx2_sf
from ..errors import StatsError
from ..io import Data, get_columns
from .ml import GroupStats, MLObjective
from .model import Model

MIN_CLUSTERS = 2  # C / (C - 1) needs two; lavaan gives no warning for few clusters, we do below 20
FEW_CLUSTERS = 20


def vech_index(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of each vech element, lavaan's order (column by column, lower triangle)."""
    rows = [i for j in range(p) for i in range(j, p)]
    cols = [j for j in range(p) for _i in range(j, p)]
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)


def duplication(p: int) -> np.ndarray:
    """The duplication matrix D: vec(S) = D vech(S) for symmetric S."""
    r, c = vech_index(p)
    D = np.zeros((p * p, len(r)))
    k = np.arange(len(r))
    D[r * p + c, k] = 1.0
    D[c * p + r, k] = 1.0
    return D


def dup_sandwich(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """D'(A x B)D without forming the p^2 x p^2 Kronecker product (for p = 40 that is 2.6 million
    cells and seconds per call): element (rc, st) sums A_ij B_kl over the duplicates of rc and st."""
    r, c = vech_index(len(A))
    out = (A[np.ix_(r, r)] * B[np.ix_(c, c)] + A[np.ix_(r, c)] * B[np.ix_(c, r)]
           + A[np.ix_(c, r)] * B[np.ix_(r, c)] + A[np.ix_(c, c)] * B[np.ix_(r, r)])
    half = np.where(r == c, 0.5, 1.0)  # a diagonal element has one duplicate, counted twice above
    return np.asarray(out * half[:, None] * half[None, :])


def h1_scores(Y: np.ndarray, mu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Casewise d log L_i / d(mu, vech Sigma) of the multivariate normal, n x (p + p(p+1)/2)."""
    inv = np.linalg.inv(sigma)
    Z = (Y - mu) @ inv  # rows: Sigma^-1 (y_i - mu)
    r, c = vech_index(len(mu))
    # d/d sigma_rc of log L_i = (2 - [r == c]) * 0.5 * (z_r z_c - inv_rc)
    weight = np.where(r == c, 0.5, 1.0)
    cov_part = weight * (Z[:, r] * Z[:, c] - inv[r, c])
    return np.concatenate([Z, cov_part], axis=1)


def score_meat(scores: np.ndarray, clusters: np.ndarray | None) -> np.ndarray:
    """The sandwich's meat per case: sum of outer products of the casewise scores (summed
    within clusters first, times C / (C - 1)) divided by the number of cases, as lavaan."""
    n = scores.shape[0]
    if clusters is None:
        return np.asarray(scores.T @ scores / n)
    labels, inverse = np.unique(clusters, return_inverse=True)
    sums = np.zeros((len(labels), scores.shape[1]))
    np.add.at(sums, inverse, scores)
    C = len(labels)
    return np.asarray(sums.T @ sums / n * (C / (C - 1)))


def h1_expected_information(sigma: np.ndarray) -> np.ndarray:
    """Information of the saturated model per case in (mu, vech Sigma): blockdiag(Sigma^-1,
    1/2 D'(Sigma^-1 x Sigma^-1) D)."""
    p = len(sigma)
    inv = np.linalg.inv(sigma)
    I22 = 0.5 * dup_sandwich(inv, inv)
    out = np.zeros((p + len(I22), p + len(I22)))
    out[:p, :p] = inv
    out[p:, p:] = I22
    return out


def h1_observed_information(mean: np.ndarray, cov: np.ndarray, mu: np.ndarray, sigma: np.ndarray
                            ) -> np.ndarray:
    """lavaan's lav_mvnorm_information_observed_samplestats: the observed information per case
    in (mu, vech Sigma) at the model-implied (mu, Sigma), given the sample mean and covariance."""
    p = len(mu)
    inv = np.linalg.inv(sigma)
    d = mean - mu
    W = cov + np.outer(d, d)
    r, c = vech_index(p)
    v = inv @ d
    # D'((Sigma^-1 d) x Sigma^-1): row rc = v_r inv_c + v_c inv_r (once when r == c)
    I21 = v[r][:, None] * inv[c] + np.where(r == c, 0.0, 1.0)[:, None] * v[c][:, None] * inv[r]
    A = inv @ (2 * W - sigma) @ inv
    I22 = 0.5 * dup_sandwich(inv, A)
    return np.block([[inv, I21.T], [I21, I22]])


def model_delta(model: Model, x: np.ndarray) -> list[np.ndarray]:
    """d(mu, vech Sigma)/dx per group, (p + p(p+1)/2) x q."""
    p = model.p
    r, c = vech_index(p)
    out = []
    for JS, Jm in model.jacobian(x):
        out.append(np.concatenate([Jm, JS[r * p + c]], axis=0))
    return out


def numerical_hessian(gradient: Callable[[np.ndarray], np.ndarray], x: np.ndarray, h: float = 1e-6
                      ) -> np.ndarray:
    """lavaan's lav_model_hessian: four-point central differences of the analytic gradient,
    symmetrised."""
    q = len(x)
    H = np.zeros((q, q))
    for j in range(q):
        e = np.zeros(q)
        e[j] = h
        H[:, j] = (gradient(x - 2 * e) - 8 * gradient(x - e) + 8 * gradient(x + e) - gradient(x + 2 * e)) / (12 * h)
    return (H + H.T) / 2


def observed_information(model: Model, x: np.ndarray, stats: list[GroupStats]) -> np.ndarray:
    """The Hessian of fmin (lavaan's observed.information = "hessian"), analytically:
    sum_g f_g [Delta_g' A_g Delta_g + sum_k (d fmin_g / d sigma_k) d^2 sigma_k / dx dx'], A_g the h1
    observed information.  Sigma = Lambda Psi Lambda' + Theta and mu = nu + Lambda alpha are
    bilinear, so the second derivatives are only (lambda, lambda), (lambda, psi) and
    (lambda, alpha); with M = d fmin / d Sigma and m = d fmin / d mu they are 2 M_ik psi_jl,
    2 [(M Lambda) dPsi]_ij and m_i [j = k].  (Differencing the gradient, as lavaan does, costs
    four gradients per parameter: seconds for a 40-item model.)"""
    N = sum(st.n for st in stats)
    q = model.n_free
    H = np.zeros((q, q))
    mats = model.matrices(x)
    idx = model.index_arrays()
    for g, (st, (sigma, mu), Dg, M_) in enumerate(zip(stats, model.implied(x), model_delta(model, x), mats)):
        w = st.n / N
        mean_mu = mu if mu is not None else st.mean
        H += w * Dg.T @ h1_observed_information(st.mean, st.cov, mean_mu, sigma) @ Dg
        inv = np.linalg.inv(sigma)
        d = st.mean - mean_mu
        M = 0.5 * (inv - inv @ (st.cov + np.outer(d, d)) @ inv)
        L, P = M_["lambda"], M_["psi"]
        lam = idx["lambda"]
        lam = lam[(lam[:, 1] == g) & (lam[:, 4] >= 0)]
        if not len(lam):
            continue
        i, j, fl = lam[:, 2], lam[:, 3], lam[:, 4]
        _add(H, fl, fl, w * 2 * M[np.ix_(i, i)] * P[np.ix_(j, j)])
        ps = idx["psi"]
        ps = ps[(ps[:, 1] == g) & (ps[:, 4] >= 0)]
        if len(ps):
            k, l_, fp = ps[:, 2], ps[:, 3], ps[:, 4]
            ML = M @ L
            block = ML[np.ix_(i, k)] * (j[:, None] == l_[None, :])
            block += np.where(k != l_, 1.0, 0.0)[None, :] * ML[np.ix_(i, l_)] * (j[:, None] == k[None, :])
            _add(H, fl, fp, w * 2 * block)
            _add(H, fp, fl, w * 2 * block.T)
        al = idx["alpha"]
        al = al[(al[:, 1] == g) & (al[:, 4] >= 0)]
        if mu is not None and len(al):
            m = -(inv @ d)
            block = m[i][:, None] * (j[:, None] == al[None, :, 2])
            _add(H, fl, al[:, 4], w * block)
            _add(H, al[:, 4], fl, w * block.T)
    return (H + H.T) / 2


def _add(H: np.ndarray, rows: np.ndarray, cols: np.ndarray, block: np.ndarray) -> None:
    np.add.at(H, (rows[:, None], cols[None, :]), block)


def _inverse(A: np.ndarray, what: str) -> np.ndarray:
    w = np.linalg.eigvalsh(A)
    if w[0] <= 1e-10 * max(w[-1], 1e-300):
        raise StatsError(f"The {what} is singular, so cluster-robust standard errors cannot be computed "
                         "(the model is not identified from these data).")
    return np.asarray(np.linalg.inv(A))


def _trace_h0(deltas: list[np.ndarray], meats: list[np.ndarray], infos: list[np.ndarray], f: list[float],
              Einv: np.ndarray | None = None) -> list[float]:
    if Einv is None:
        E = sum(fg * Dg.T @ Ag @ Dg for fg, Dg, Ag in zip(f, deltas, infos))
        Einv = _inverse(np.asarray(E), "information matrix")
    return [fg * float(np.sum((Dg.T @ Bg @ Dg) * Einv)) for fg, Dg, Bg in zip(f, deltas, meats)]


def cluster_labels(data: Data, cluster: str, names: list[str], group: str | None) -> list[np.ndarray]:
    """The cluster of each analysed row, per group, in the rows and order fit_cfa analyses
    (listwise deletion; rows without a group dropped; groups in order of first appearance)."""
    if cluster not in data:
        raise StatsError(f"Cluster column '{cluster}' is not in the data.")
    Y = get_columns(data, names)
    labels = np.array(["" if v is None else str(v).strip() for v in data[cluster]], dtype=object)
    keep = ~np.isnan(Y).any(axis=1)
    gvals = None
    if group is not None and group in data:
        gvals = np.array(["" if v is None else str(v).strip() for v in data[group]], dtype=object)
        keep &= np.array([v.lower() not in ("", "na", "nan") for v in gvals], dtype=bool)
    missing = keep & np.array([v.lower() in ("", "na", "nan") for v in labels], dtype=bool)
    if missing.any():
        first = int(np.argmax(missing)) + 2  # +1 for 1-based rows, +1 for the header line
        raise StatsError(f"Cluster column '{cluster}' is empty in {int(missing.sum())} analysed row(s) "
                         f"(first at line {first} of the data); every analysed row needs its cluster.")
    if gvals is None:
        return [labels[keep]]
    order: list[str] = []
    for v in gvals[keep]:
        if v not in order:
            order.append(str(v))
    return [labels[keep & (gvals == g)] for g in order]


def robust_ml(model: Model, x: np.ndarray, stats: list[GroupStats], groups: list[np.ndarray],
              clusters: Sequence[np.ndarray | None], test_information: str = "h1") -> dict[str, Any]:
    """Cluster-robust (or, with clusters None, Huber-White) vcov and the Yuan-Bentler (Mplus)
    trace of U Gamma for a converged ML fit with a mean structure.

    test_information: the information in the trace's h0 part; "h1" is lavaan's choice for
    ``cluster =`` with estimator ML, "hessian" its choice when estimator = "MLR" is named too
    (lavaan then uses observed.information = "hessian" for tests as well)."""
    obj = MLObjective(model, stats)
    N = obj.N
    f = obj.w
    implied = model.implied(x)
    deltas = model_delta(model, x)
    meats, infos_h1, trace_h1, ndat = [], [], [], 0
    for Y, st, (sigma, mu), cl in zip(groups, stats, implied, clusters):
        if mu is None:
            raise StatsError("Cluster-robust ML needs a mean structure.")
        meats.append(score_meat(h1_scores(Y, mu, sigma), cl))
        infos_h1.append(h1_observed_information(st.mean, st.cov, mu, sigma))
        Bu = score_meat(h1_scores(Y, st.mean, st.cov), cl)
        Au = h1_expected_information(st.cov)
        trace_h1.append(float(np.sum(Bu * np.linalg.inv(Au).T)))
        ndat += len(Au)
    H = observed_information(model, x, stats)
    Hinv = _inverse(H, "observed information matrix (Hessian)")
    B0 = sum(fg * Dg.T @ Bg @ Dg for fg, Dg, Bg in zip(f, deltas, meats))
    vcov = Hinv @ B0 @ Hinv / N
    trace_h0 = _trace_h0(deltas, meats, infos_h1, f, Hinv if test_information == "hessian" else None)
    # the independence model is linear in its parameters, so its Hessian is its h1 information:
    # "h1" and "hessian" agree there
    base = _baseline_trace(stats, groups, clusters, f)
    return {"vcov": vcov, "trace": sum(trace_h1) - sum(trace_h0), "trace_h1": sum(trace_h1) / ndat,
            "trace_h0": sum(trace_h0) / model.n_free, "baseline_trace": sum(trace_h1) - base}


def _baseline_trace(stats: list[GroupStats], groups: list[np.ndarray], clusters: Sequence[np.ndarray | None],
                    f: list[float]) -> float:
    """The h0 part of tr(U Gamma) for the independence model (free means and variances)."""
    deltas, meats, infos = [], [], []
    G = len(stats)
    for g, (Y, st, cl) in enumerate(zip(groups, stats, clusters)):
        p = len(st.mean)
        r, c = vech_index(p)
        diag = np.where(r == c)[0]
        Dg = np.zeros((p + len(r), G * 2 * p))  # each group has its own means and variances
        Dg[np.arange(p), g * 2 * p + np.arange(p)] = 1.0
        Dg[p + diag, g * 2 * p + p + np.arange(p)] = 1.0
        sigma = np.diag(np.diag(st.cov))
        deltas.append(Dg)
        meats.append(score_meat(h1_scores(Y, st.mean, sigma), cl))
        infos.append(h1_observed_information(st.mean, st.cov, st.mean, sigma))
    return sum(_trace_h0(deltas, meats, infos, f))


def _rmsea_ci(X2: float, df: float, N: float, G: int, c_hat: float = 1.0, level: float = 0.90
              ) -> tuple[float, float]:
    """lavaan's lav_fit_rmsea_ci (with its c.hat for the robust version)."""
    upper_p, lower_p = 1 - (1 - level) / 2, (1 - level) / 2

    def cdf(lam: float) -> float:
        return 1.0 - chi2_sf(X2, df) if lam <= 0 else ncx2_cdf(X2, df, lam)

    lo = 0.0
    if df >= 1 and cdf(0.0) - upper_p >= 0:
        lo = math.sqrt(c_hat * bisect(lambda v: cdf(v) - upper_p, 0.0, max(X2, 1e-8)) / (N * df)) * math.sqrt(G)
    n_rmsea = max(N, X2 * 4)
    hi = 0.0
    if not (df < 1 or cdf(n_rmsea) - lower_p > 0 or cdf(0.0) - lower_p < 0):
        hi = math.sqrt(c_hat * bisect(lambda v: cdf(v) - lower_p, 0.0, n_rmsea) / (N * df)) * math.sqrt(G)
    return lo, hi


def _cfi(X2: float, df: float, X2b: float, dfb: float, c: float = 1.0, cb: float = 1.0) -> float:
    t1 = max(X2 - c * df, 0.0)
    t2 = max(X2 - c * df, X2b - cb * dfb, 0.0)
    return 1.0 if (abs(t1) < 1e-12 and abs(t2) < 1e-12) else 1.0 - t1 / t2


def _tli(X2: float, df: float, X2b: float, dfb: float, c: float = 1.0, cb: float = 1.0) -> float:
    t1 = (X2 - c * df) * dfb
    t2 = (X2b - cb * dfb) * df
    return 1.0 - t1 / t2 if (df > 0 and abs(t2) > 0) else 1.0


def robust_fit_measures(fit: dict[str, float], rob: dict[str, Any], G: int) -> dict[str, float]:
    """lavaan's scaled and robust fit measures for test = "yuan.bentler.mplus"."""
    X2, df, N = fit["chisq"], fit["df"], fit["ntotal"]
    X2b, dfb = fit["baseline_chisq"], fit["baseline_df"]
    if df <= 0:
        return {"chisq_scaled": X2, "df_scaled": df, "pvalue_scaled": float("nan"),
                "chisq_scaling_factor": float("nan")}
    c = rob["trace"] / df
    cb = rob["baseline_trace"] / dfb
    Xs, Xbs = X2 / c, X2b / cb
    out = {"chisq_scaled": Xs, "df_scaled": df, "pvalue_scaled": chi2_sf(Xs, df), "chisq_scaling_factor": c,
           "scaling_factor_h1": rob["trace_h1"], "scaling_factor_h0": rob["trace_h0"],
           "baseline_chisq_scaled": Xbs, "baseline_df_scaled": dfb, "baseline_pvalue_scaled": chi2_sf(Xbs, dfb),
           "baseline_chisq_scaling_factor": cb,
           "cfi_scaled": _cfi(Xs, df, Xbs, dfb), "tli_scaled": _tli(Xs, df, Xbs, dfb),
           "cfi_robust": _cfi(X2, df, X2b, dfb, c, cb), "tli_robust": _tli(X2, df, X2b, dfb, c, cb)}
    out["nnfi_scaled"], out["rni_scaled"] = out["tli_scaled"], 1.0 - (Xs - df) / (Xbs - dfb)
    out["nnfi_robust"], out["rni_robust"] = out["tli_robust"], out["cfi_robust"]
    trace = rob["trace"]
    # rmsea_scaled: lavaan uses the unscaled statistic with df = tr(U Gamma) for this test
    out["rmsea_scaled"] = math.sqrt(max(X2 / N / trace - 1.0 / N, 0.0)) * math.sqrt(G)
    out["rmsea_ci_lower_scaled"], out["rmsea_ci_upper_scaled"] = _rmsea_ci(X2, trace, N, G)
    out["rmsea_pvalue_scaled"] = ncx2_sf(X2, trace, N * trace * 0.05 ** 2 / G)
    out["rmsea_robust"] = math.sqrt(max(X2 / N / df - c / N, 0.0)) * math.sqrt(G)
    out["rmsea_ci_lower_robust"], out["rmsea_ci_upper_robust"] = _rmsea_ci(Xs, df, N, G, c_hat=c)
    out["rmsea_pvalue_robust"] = ncx2_sf(Xs, df, N * df / c * 0.05 ** 2 / G)
    return out


def icc1(values: np.ndarray, clusters: np.ndarray) -> float:
    """ICC(1) of one item from the one-way ANOVA by cluster (Bliese's multilevel::ICC1)."""
    labels, inverse = np.unique(clusters, return_inverse=True)
    J, n = len(labels), len(values)
    sizes = np.bincount(inverse)
    means = np.bincount(inverse, weights=values) / sizes
    grand = float(values.mean())
    ssb = float(np.sum(sizes * (means - grand) ** 2))
    ssw = float(np.sum((values - means[inverse]) ** 2))
    msb, msw = ssb / (J - 1), ssw / (n - J)
    k = n / J
    denom = msb + (k - 1) * msw
    return (msb - msw) / denom if denom > 0 else float("nan")


def clustering_summary(groups: list[np.ndarray], clusters: list[np.ndarray], names: list[str]
                       ) -> dict[str, Any]:
    """Clusters, mean cluster size, and ICC(1) with the design effect per item (analysed rows,
    all groups together)."""
    Y = np.concatenate(groups, axis=0)
    labels = np.concatenate(clusters)
    J = len(set(labels.tolist()))
    if J < MIN_CLUSTERS or len(labels) <= J:
        raise StatsError(f"Cluster-robust standard errors need at least {MIN_CLUSTERS} clusters with more "
                         f"rows than clusters; the analysed rows fall into {J} cluster(s).")
    k = len(labels) / J
    items = []
    for j, name in enumerate(names):
        icc = icc1(Y[:, j], labels)
        items.append({"item": name, "icc1": icc, "design_effect": 1 + (k - 1) * icc})
    return {"n_clusters": J, "mean_cluster_size": k, "items": items}


def clustering_text(result: dict[str, Any]) -> list[str]:
    """The lines format_text prints about clustering (nothing for an unclustered fit)."""
    info = result.get("clustering")
    if not info:
        return []
    out = [f"Clusters: {info['n_clusters']} values of '{info['cluster']}', mean {info['mean_cluster_size']:.2f} "
           "rows each. Standard errors are cluster-robust (sandwich over clusters) and the test is "
           "Yuan-Bentler scaled (lavaan's cluster =, se = \"robust.cluster\", test = \"yuan.bentler.mplus\").",
           f"  {'item':<14}{'ICC(1)':>8}{'design effect':>15}"]
    out.extend(f"  {it['item']:<14}{it['icc1']:>8.3f}{it['design_effect']:>15.2f}" for it in info["items"])
    out.append("  (ICC(1): share of an item's variance between clusters; design effect 1 + (m - 1) ICC(1), "
               "m the mean cluster size.)")
    if info["n_clusters"] < FEW_CLUSTERS:
        out.append(f"  With only {info['n_clusters']} clusters the cluster-robust standard errors are "
                   "themselves imprecise.")
    return out


# --- the steps fit_cfa takes with cluster = (each a no-op without clusters)

def check_cluster_option(cluster: str | None, estimator: str, missing: str = "listwise") -> None:
    if cluster is not None and missing == "ml":
        raise StatsError("--cluster with --missing ml is not available yet; use listwise deletion with --cluster.")
    if cluster is not None and estimator not in ("ml", "mlr"):
        raise StatsError("Cluster-robust standard errors (--cluster) are implemented for ML and MLR only, not yet "
                         "for WLSMV; use --estimator ml, or fit without --cluster.")


def attach_clusters(info: dict[str, Any], data: Data, cluster: str | None, names: list[str], group: str | None,
                    groups: list[np.ndarray]) -> list[np.ndarray] | None:
    """Each analysed row's cluster, per group; records ICC(1) and design effects in info."""
    if cluster is None:
        return None
    clusters = cluster_labels(data, cluster, names, group)
    info["clustering"] = {"cluster": cluster, **clustering_summary(groups, clusters, names)}
    return clusters


def clustered_vcov(result: dict[str, Any], model: Model, x: np.ndarray, stats: list[GroupStats],
                   groups: list[np.ndarray], clusters: list[np.ndarray] | None) -> dict[str, Any] | None:
    if clusters is None:
        return None
    result.update(se="robust.cluster", test="yuan.bentler.mplus")
    return robust_ml(model, x, stats, groups, clusters)


def add_robust_fit(result: dict[str, Any], rob: dict[str, Any] | None, n_groups: int) -> None:
    if rob is not None:
        result["fit"].update(robust_fit_measures(result["fit"], rob, n_groups))


def difference_test(restricted: dict[str, Any], general: dict[str, Any]) -> dict[str, Any]:
    """Chi-square difference of two nested fits (fit-measure dicts; restricted has more df).

    With scaled tests: lavaan's lavTestLRT default, the Satorra-Bentler (2001) scaled difference
    T = (T0 - T1) / cd, cd = (df0 c0 - df1 c1) / (df0 - df1), from the unscaled statistics and the
    scaling factors; like lavaan, no p-value when cd is not positive.  Otherwise the
    likelihood-ratio difference."""
    dchi = restricted["chisq"] - general["chisq"]
    ddf = restricted["df"] - general["df"]
    if restricted.get("chisq_scaling_factor") is None or general.get("chisq_scaling_factor") is None:
        return {"delta_chisq": dchi, "delta_df": ddf, "delta_pvalue": chi2_sf(dchi, ddf) if ddf > 0 else None,
                "delta_method": "likelihood ratio"}
    out: dict[str, Any] = {"delta_df": ddf, "delta_method": "Satorra-Bentler 2001 scaled difference",
                           "delta_chisq": None, "delta_pvalue": None, "delta_note": ""}
    if ddf <= 0:
        return out
    cd = (restricted["df"] * restricted["chisq_scaling_factor"]
          - general["df"] * general["chisq_scaling_factor"]) / ddf
    if not cd > 0:
        out["delta_note"] = ("the scaled difference test is not available: its scaling factor is negative "
                             "(lavaan gives NA too); compare the models by CFI, RMSEA, AIC and BIC")
        return out
    out["delta_chisq"] = dchi / cd
    out["delta_pvalue"] = chi2_sf(dchi / cd, ddf)
    out["delta_scaling_factor"] = cd
    return out
