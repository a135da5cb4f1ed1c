"""Measurement invariance across groups (ML): configural, metric, scalar, strict.

* configural: same pattern, all parameters free per group (mean structure, latent means 0);
* metric: loadings equal across groups (lavaan group.equal = "loadings");
* scalar: loadings and intercepts equal, latent means free in groups 2.. (group.equal =
  c("loadings", "intercepts"));
* strict: residual variances equal too (group.equal adds "residuals").

Partial invariance: ``group_partial`` frees the named parameters in every group (lavaan's
group.partial, e.g. "y3 ~ 1").  To find which parameter differs, each constrained step carries
lavaan's lavTestScore() univariate score tests (:func:`score_tests`): one chi-square(1) per
equality constraint, largest first.

Each step is compared with the previous one by the chi-square difference (likelihood-ratio)
test, as lavaan's lavTestLRT for standard ML, and by the change in CFI and RMSEA
(a drop in CFI of more than .01 is the usual warning sign; Cheung & Rensvold, 2002).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import StatsError
from ..io import Data
from .api import fit_cfa
from .cluster import difference_test

if TYPE_CHECKING:
    import numpy as np

    from .model import Model

ROBUST_KEYS = ("chisq_scaled", "pvalue_scaled", "chisq_scaling_factor", "cfi_robust", "tli_robust", "rmsea_robust")

STEPS = [("configural", ()), ("metric", ("loadings",)), ("scalar", ("loadings", "intercepts")),
         ("strict", ("loadings", "intercepts", "residuals"))]
SCORE_ALPHA = 0.05  # univariate score tests below this p-value are listed as "differs"


def invariance(data: Data, model: str, group: str, estimator: str = "ml", std_lv: bool = False,
               group_partial: tuple[str, ...] | list[str] = (), score: bool = True,
               cluster: str | None = None) -> dict[str, Any]:
    estimator = (estimator or "ml").lower()
    if estimator == "wlsmv":  # ordinal items: lavaan's sequence for ordered data
        if cluster is not None:
            raise StatsError("Cluster-robust standard errors (--cluster) are implemented for ML and MLR only, not "
                             "yet for WLSMV; run the ordinal invariance steps without --cluster.")
        from .ordinal_invariance import ordinal_invariance
        return ordinal_invariance(data, model, group, std_lv=std_lv, group_partial=group_partial, score=score)
    if estimator != "ml":
        raise StatsError("Invariance testing is implemented for ML (continuous items) and WLSMV (ordinal items).")
    fits: dict[str, Any] = {}
    table: list[dict[str, Any]] = []
    prev = None
    for name, eq in STEPS:
        res = fit_cfa(data, model, estimator="ml", group=group, group_equal=eq, std_lv=std_lv,
                      group_partial=tuple(group_partial), cluster=cluster)
        fits[name] = res
        row: dict[str, Any] = {"model": name, "converged": res["converged"], "group_equal": list(eq)}
        if score and eq and res["converged"]:
            tests = score_tests(data, model, group, eq, group_partial, std_lv)
            row["score_total"] = tests["total"]
            row["differs"] = [u for u in tests["univariate"] if u["pvalue"] < SCORE_ALPHA]
            row["score_tests"] = tests["univariate"]
        if res["converged"]:
            f = res["fit"]
            row.update({k: f[k] for k in ("npar", "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr",
                                          "aic", "bic", *ROBUST_KEYS) if k in f})
            if prev is not None and prev.get("converged"):
                row.update(difference_test(row, prev))
                row.update({"delta_cfi": f["cfi"] - prev["cfi"], "delta_rmsea": f["rmsea"] - prev["rmsea"]})
                if "cfi_robust" in f:
                    row.update({"delta_cfi_robust": f["cfi_robust"] - prev["cfi_robust"],
                                "delta_rmsea_robust": f["rmsea_robust"] - prev["rmsea_robust"]})
        table.append(row)
        prev = row
    return {"group": group, "groups": fits["configural"]["groups"], "n": fits["configural"]["n"],
            "group_partial": list(group_partial), "cluster": cluster,
            "converged": all(r["converged"] for r in table), "table": table, "fits": fits}


def format_invariance_text(res: dict[str, Any]) -> str:
    ordinal = res.get("estimator") == "WLSMV"
    lines = [f"Measurement invariance across '{res['group']}': "
             + ", ".join(f"{g['name']} (n={g['n']})" for g in res["groups"]), ""]
    if ordinal:
        lines[1:1] = ["Ordinal items: WLSMV, lavaan's delta parameterisation; chisq is the scaled-and-shifted "
                      "statistic, CFI and RMSEA the scaled ones."]
    lines.append(f"  {'model':<20}{'chisq':>10}{'df':>5}{'p':>8}{'CFI':>7}{'RMSEA':>7}{'SRMR':>7}"
                 f"{'dChisq':>9}{'ddf':>5}{'p(d)':>8}{'dCFI':>8}{'dRMSEA':>8}")
    for r in res["table"]:
        if not r["converged"]:
            lines.append(f"  {r['model']:<20} did not converge")
            continue
        d = ""
        if "delta_df" in r:
            dchi = float("nan") if r["delta_chisq"] is None else r["delta_chisq"]
            d = (f"{dchi:>9.3f}{r['delta_df']:>5.0f}{(r['delta_pvalue'] or float('nan')):>8.4f}"
                 f"{r['delta_cfi']:>8.4f}{r['delta_rmsea']:>8.4f}")
        chisq, p, cfi, rmsea = ((r["chisq_scaled"], r["pvalue_scaled"], r["cfi_scaled"], r["rmsea_scaled"]) if ordinal
                                else (r["chisq"], r["pvalue"], r["cfi"], r["rmsea"]))
        lines.append(f"  {r['model']:<20}{chisq:>10.3f}{r['df']:>5.0f}{p:>8.4f}{cfi:>7.3f}"
                     f"{rmsea:>7.3f}{r['srmr']:>7.3f}{d}")
        if r.get("delta_note"):
            lines.append(f"    ({r['delta_note']})")
    if res.get("group_partial"):
        lines.append("  Freed in every group (partial invariance): " + ", ".join(res["group_partial"]))
    for r in res["table"]:
        if "differs" not in r:
            continue
        lines.append("")
        lines.append(f"  {r['model']}: score test of all {r['score_total']['df']} equality constraints "
                     f"chi2 = {r['score_total']['X2']:.3f}, p = {r['score_total']['pvalue']:.4f}")
        if r["differs"]:
            lines.append("    parameters that differ between groups (univariate score tests, p < .05):")
            for u in r["differs"]:
                parameter = f"      {u['lhs']} {u['op']} {u['rhs']}".rstrip()
                lines.append(parameter + f"  ({' vs '.join(u['group_names'])}): "
                             f"chi2(1) = {u['X2']:.3f}, p = {u['pvalue']:.4g}")
        else:
            lines.append("    no single constraint differs (all univariate score tests p >= .05)")
    lines.append("")
    if res.get("cluster"):
        lines.append(f"Clustered by '{res['cluster']}': standard errors are cluster-robust, each step's test is "
                     "Yuan-Bentler scaled, and dChisq is the Satorra-Bentler (2001) scaled difference, as "
                     "lavaan's lavTestLRT (NA when its scaling factor is negative). The score tests "
                     "above use the ML information and ignore the clustering, so their p-values are too small.")
    elif ordinal:
        lines.append("dChisq = Satorra (2000) scaled-and-shifted difference test (lavaan's lavTestLRT for WLSMV); "
                     "dCFI and dRMSEA from the scaled CFI and RMSEA.")
    else:
        lines.append("Chi-square difference = likelihood-ratio test of the more constrained model.")
    lines.append("A CFI drop > .01 suggests non-invariance. Score tests (lavaan's lavTestScore) say which equal "
                 "parameter to free (--group-partial).")
    return "\n".join(lines) + "\n"


def score_tests(data: Data, model: str, group: str, group_equal: tuple[str, ...] | list[str],
                group_partial: tuple[str, ...] | list[str] = (), std_lv: bool = False) -> dict[str, Any]:
    """lavaan's lavTestScore() for the equality constraints of a multi-group ML fit: the total
    score (Lagrange multiplier) test of releasing all of them, and a univariate test per
    constraint -- which parameter differs between which groups.

    The constrained model is fitted; then every group gets its own copy of each constrained
    parameter, and with the expected information I and the gradient g of fmin at the
    constrained estimates (per case), R the constraint Jacobian (rows: group 1's parameter
    minus group g's), X2 = N g' J g with J the upper-left block of the Moore-Penrose inverse of
    [[I, R1'], [R1, 0]]; R1 = R for the total test and R without the tested row for each
    univariate test (so that constraint alone is released)."""

    from .api import _prepare
    from .ml import MLObjective, fit_ml, sample_stats
    from .model import build_model
    from .syntax import parse_model

    statements = parse_model(model)
    probe = build_model(statements)
    prep = _prepare(data, probe.ov_names, group)
    stats = sample_stats(prep.groups)
    G = len(prep.groups)
    constrained = build_model(statements, n_groups=G, std_lv=std_lv, group_equal=tuple(group_equal),
                              group_partial=tuple(group_partial))
    est = fit_ml(constrained, stats)
    if not est["converged"]:
        raise StatsError("The constrained model did not converge, so no score tests can be computed.")
    released = build_model(statements, n_groups=G, std_lv=std_lv, group_equal=tuple(group_equal),
                           group_partial=tuple(group_partial))
    xr, T, rows = release_constraints(constrained, est["x"], released)
    obj = MLObjective(released, stats)
    g, info = obj.gradient_information(xr)
    tests = lagrange_tests(g, info, obj.N, T, rows, released, prep.labels)
    return {"group": group, "group_equal": list(group_equal), "group_partial": list(group_partial), **tests}


def release_constraints(constrained: Model, x: np.ndarray, released: Model
                        ) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Give every group its own copy of each parameter the constrained model holds equal.

    released is a second build of the constrained model; its shared labels are removed in
    place.  Returns the released parameters at the constrained estimates, the map T (released
    parameter -> the constrained one it copies) and the constraints as (group 1's copy, group
    g's copy) pairs."""
    import numpy as np

    shared: dict[int, list[int]] = {}
    n_free = 0
    for q in released.params:
        if q.free < 0 or q.derived:
            continue
        old = q.free
        q.free = n_free
        n_free += 1
        if q.label is not None and q.label.startswith("."):
            shared.setdefault(old, []).append(q.free)
        q.label = None
    released.n_free = n_free
    for attr in ("_idx", "_free"):  # caches of the old numbering
        if hasattr(released, attr):
            setattr(released, attr, None)
    xr = np.zeros(n_free)
    T = np.zeros((n_free, constrained.n_free))
    for qc, qr in zip(constrained.params, released.params):
        if qr.free >= 0 and not qr.derived:
            xr[qr.free] = x[qc.free]
            T[qr.free, qc.free] = 1.0
    rows: list[tuple[int, int]] = []
    for copies in shared.values():
        rows.extend((copies[0], other) for other in copies[1:])
    if not rows:
        raise StatsError("The model has no equality constraints across groups to test.")
    return xr, T, rows


def lagrange_tests(g: np.ndarray, info: np.ndarray, N: float, T: np.ndarray, rows: list[tuple[int, int]],
                   released: Model, labels: list[str]) -> dict[str, Any]:
    """lavaan's lavTestScore() statistics from the released model's gradient g and information
    (per case) at the constrained estimates: the total test and one univariate test per
    constraint, largest first."""
    import numpy as np

    from ..distributions import chi2_sf

    n_free = released.n_free
    R = np.zeros((len(rows), n_free))
    for k, (a, b) in enumerate(rows):
        R[k, a], R[k, b] = 1.0, -1.0
    nq = n_free

    def statistic(R1: np.ndarray) -> float:
        Z = np.block([[info, R1.T], [R1, np.zeros((len(R1), len(R1)))]])
        J = np.linalg.pinv(Z)[:nq, :nq]
        return float(N * g @ J @ g)

    # Releasing one constraint (a, b) is the constrained model plus one free parameter, b's own
    # copy: with M = [T, e_b], X2 = N g'M (M'IM)^-1 M'g -- lavaan's formula, by blocks.
    A = T.T @ info @ T
    h = T.T @ g
    Ainv = np.linalg.pinv(A)
    base = float(h @ Ainv @ h)
    bs = np.array([b for _, b in rows])
    U = T.T @ info[:, bs]  # (q_c, constraints)
    AU = Ainv @ U
    schur = info[bs, bs] - np.einsum("ij,ij->j", U, AU)
    lift = g[bs] - AU.T @ h
    X2s = N * (base + lift ** 2 / schur)
    by_free = {qr.free: qr for qr in released.params if qr.free >= 0 and not qr.derived}
    univariate: list[dict[str, Any]] = []
    for (a, b), X2 in zip(rows, X2s):
        pa, pb = by_free[a], by_free[b]
        univariate.append({"lhs": pa.lhs, "op": pa.op, "rhs": pa.rhs, "groups": [pa.group + 1, pb.group + 1],
                           "group_names": [labels[pa.group], labels[pb.group]],
                           "X2": float(X2), "df": 1, "pvalue": chi2_sf(float(X2), 1)})
    total = statistic(np.zeros((0, nq)))
    univariate.sort(key=lambda r: -r["X2"])
    return {"total": {"X2": total, "df": len(rows), "pvalue": chi2_sf(total, len(rows))},
            "univariate": univariate}
