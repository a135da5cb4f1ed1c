"""Assembling results as lavaan-like dicts and formatting them as text."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from ..distributions import norm_sf
from .cluster import clustering_text

if TYPE_CHECKING:
    from .model import Model


def _num(v: float | None) -> float | None:
    if v is None:
        return None
    v = float(v)
    return None if not math.isfinite(v) else v


def parameter_table(model: Model, x: np.ndarray, vcov: np.ndarray | None,
                    ordered_resvar: np.ndarray | None = None) -> list[dict[str, Any]]:
    """lavaan parameterEstimates(fit, standardized = TRUE) rows: est, se, z, pvalue, std_all.

    Fixed parameters get se = 0 and no z/pvalue, as in lavaan.  std_all (lavaan's
    standardizedSolution): loadings lambda * sd(factor) / sd(item, model-implied); residual
    variances theta_ii / sigma_ii; residual covariances theta_ij / sqrt(theta_ii theta_jj);
    factor covariances as correlations; intercepts / sd(item); latent means / sd(factor).
    """
    mats = model.matrices(x)
    per_group = []
    for M in mats:
        L, P, T = M["lambda"], M["psi"], M["theta"]
        common = L @ P @ L.T
        var = np.diag(common + T)
        if model.ordered:  # var(y*) = 1 / delta^2: 1 where the scale factor is fixed at 1
            var = 1.0 / M["delta"][:, 0] ** 2
        resid = var - np.diag(common)
        rvar = resid if model.ordered else np.diag(T)
        per_group.append((np.sqrt(np.clip(var, 1e-300, None)),
                          np.sqrt(np.clip(np.diag(P), 1e-300, None)), resid, rvar))
    th_item = np.repeat(np.arange(model.p), model.n_thresholds) if model.ordered else np.zeros(0, dtype=np.int64)
    se_all = np.sqrt(np.clip(np.diag(vcov), 0, None)) if vcov is not None else None
    rows: list[dict[str, Any]] = []
    for q in model.params:
        g = q.group
        sd_ov, sd_lv, resid, rvar = per_group[g]
        if q.derived:
            est = float(resid[q.row])
        elif q.free >= 0:
            est = float(x[q.free])
        else:
            est = float(q.value)
        se = z = pv = None
        if q.free >= 0 and vcov is not None:
            # se_all is computed whenever vcov is given
            se = float(se_all[q.free]) if vcov[q.free, q.free] > 0 else float("nan")  # type: ignore[index]
            z = est / se if se and se > 0 else None
            pv = 2 * norm_sf(abs(z)) if z is not None else None
        elif q.free < 0:
            se = 0.0
        if q.kind == "lambda":
            std = est * sd_lv[q.col] / sd_ov[q.row]
        elif q.kind == "theta" and q.row == q.col:
            std = est / sd_ov[q.row] ** 2
        elif q.kind == "theta":  # residual covariance -> residual correlation, as lavaan
            prod = rvar[q.row] * rvar[q.col]
            std = est / math.sqrt(prod) if prod > 0 else float("nan")
        elif q.kind == "psi":
            std = est / (sd_lv[q.row] * sd_lv[q.col])
        elif q.kind == "nu":
            std = est / sd_ov[q.row]
        elif q.kind == "alpha":
            std = est / sd_lv[q.row]
        elif q.kind == "delta":  # scale factors: 1 in the standardized solution, as lavaan
            std = 1.0
        else:  # thresholds, in units of the latent response's standard deviation
            std = est / sd_ov[th_item[q.row]]
        row = {"lhs": q.lhs, "op": q.op, "rhs": q.rhs, "group": g + 1, "label": q.label if (
            q.label and not q.label.startswith(".")) else "", "free": q.free >= 0,
               "est": _num(est), "se": _num(se), "z": _num(z), "pvalue": _num(pv), "std_all": _num(std)}
        rows.append(row)
    return rows


def check_admissible(result: dict[str, Any]) -> None:
    """Warn (as lavaan does) about negative variances: the solution is not admissible."""
    multi = len(result.get("groups") or []) > 1
    for r in result["parameters"]:
        where = f" in group {r['group']}" if multi else ""
        if r["op"] == "~~" and r["lhs"] == r["rhs"] and r["est"] is not None and r["est"] < 0:
            result["warnings"].append(f"Negative variance for {r['lhs']}{where} (a Heywood case: {r['lhs']} ~~ "
                                      f"{r['lhs']} = {r['est']:.3f}): the solution is not admissible; "
                                      "interpret with care.")
        elif r["op"] in ("~~", "=~") and r["lhs"] != r["rhs"] and r.get("std_all") is not None \
                and abs(r["std_all"]) > 1:
            what = "standardized loading" if r["op"] == "=~" else "correlation"
            result["warnings"].append(f"The {what} {r['lhs']} {r['op']} {r['rhs']}{where} is {r['std_all']:.3f}, "
                                      "beyond 1 (a Heywood case): the solution is not admissible.")


def format_text(result: dict[str, Any]) -> str:
    """A compact, lavaan-like summary."""
    out = []
    est = result.get("estimator", "")
    conv = result.get("converged")
    out.append(f"Flourish CFA ({est})  converged: {'yes' if conv else 'NO'}"
               + (f" after {result.get('iterations')} iterations" if conv else ""))
    out.append(f"Number of observations: {result.get('n')}" + (
        f"  (dropped {result['n_dropped']} of {result.get('n_rows', '?')} rows)" if result.get("n_dropped") else ""))
    if result.get("missing") == "pairwise":
        out.append("Missing answers: pairwise deletion (each threshold and polychoric correlation uses the rows "
                   "that answer its items; rows with no answer at all are dropped).")
    elif result.get("missing") == "ml":
        out.append("Missing answers: full-information ML (every answer is used; rows with no answer on the model "
                   f"items are dropped; {sum(result.get('missing_patterns', []))} missing-data patterns). The "
                   "test is against the unrestricted model estimated by EM; standard errors use the observed "
                   "information.")
    else:
        out.append("Missing answers: listwise deletion (only rows that answer every model item are analysed).")
    out.extend(clustering_text(result))
    if result.get("groups") and len(result["groups"]) > 1:
        out.append("Groups: " + ", ".join(f"{g['name']} (n={g['n']})" for g in result["groups"]))
    if not conv:
        out.append("The model did not converge: the numbers below must not be interpreted.")
        return "\n".join(out) + "\n"
    fit = result.get("fit", {})
    if result.get("parameterization") == "delta":
        out.append("Ordered items: polychoric correlations, DWLS with robust SEs and the scaled-and-shifted test; "
                   "lavaan's delta parameterisation (latent responses with unit variance in group 1; scale factors "
                   "~*~ and latent means free in other groups once thresholds are held equal).")
    if est == "MLR":
        out.append("Robust ML: standard errors from the Huber-White sandwich; chisq_scaled is the Yuan-Bentler "
                   "scaled chi-square (lavaan's yuan.bentler.mplus).")
    out.append("")
    out.append("Model test and fit:")
    keys = ["npar", "chisq", "df", "pvalue", "chisq_scaled", "pvalue_scaled", "chisq_scaling_factor",
            "cfi", "tli", "cfi_scaled", "tli_scaled", "cfi_robust", "tli_robust", "rmsea", "rmsea_ci_lower",
            "rmsea_ci_upper", "rmsea_pvalue", "rmsea_scaled", "rmsea_robust", "srmr", "logl", "aic", "bic"]
    for k in keys:
        if k in fit and fit[k] is not None:
            v = fit[k]
            out.append(f"  {k:<22}{v:>14.0f}" if k in ("npar", "df") else f"  {k:<22}{v:>14.4f}")
    out.append("")
    header = (f"  {'lhs':<12}{'op':<4}{'rhs':<12}{'est':>10}{'se':>10}{'z':>10}{'p':>10}{'std_all':>10}"
              f"{'std_se':>10}")
    multi = result.get("groups") and len(result["groups"]) > 1
    current = None
    for r in result["parameters"]:
        if multi and r["group"] != current:
            current = r["group"]
            out.append(f"Group {current}: {result['groups'][current - 1]['name']}")
            out.append(header)
        elif current is None:
            current = r["group"]
            out.append("Parameter estimates:")
            out.append(header)

        def f(v: float | None, w: int = 10) -> str:
            return f"{'':>{w}}" if v is None else f"{v:>{w}.3f}"
        out.append(f"  {r['lhs']:<12}{r['op']:<4}{r['rhs']:<12}{f(r['est'])}{f(r['se'] if r['free'] else None)}"
                   f"{f(r['z'])}{f(r['pvalue'])}{f(r['std_all'])}{f(r.get('std_se'))}")
    out.extend(_diagnostics_text(result))
    for w in result.get("warnings", []):
        out.append(f"Warning: {w}")
    return "\n".join(out) + "\n"


def _diagnostics_text(result: dict[str, Any]) -> list[str]:
    """R-square, residual correlations and modification indices, as lavaan's summary() and
    modindices() print them."""
    out: list[str] = []
    groups = result.get("groups") or [{"name": "all"}]
    names = result.get("ov_names", [])
    for g, r2 in enumerate(result.get("r2", [])):
        label = f" (group {groups[g]['name']})" if len(groups) > 1 else ""
        out.append("")
        out.append(f"R-square{label}:")
        out.extend(f"  {k:<14}{'NA (negative residual variance)' if v is None else f'{v:.3f}':>10}"
                   for k, v in r2.items())
    for g, R in enumerate(result.get("residual_correlations", [])):
        label = f" (group {groups[g]['name']})" if len(groups) > 1 else ""
        out.append("")
        out.append(f"Residual correlations (observed minus model-implied){label}:")
        out.append("  " + " " * 10 + "".join(f"{n[:7]:>8}" for n in names))
        for i, n in enumerate(names):
            out.append(f"  {n[:10]:<10}" + "".join(f"{(R[i][j] if j < i else 0.0):>8.3f}" for j in range(i + 1)))
        big = [(names[i], names[j], R[i][j]) for i in range(len(names)) for j in range(i) if abs(R[i][j]) > 0.1]
        if big:
            out.append("  Above .10 in absolute value: " + ", ".join(f"{a}-{b} {v:.3f}" for a, b, v in big))
    if result.get("modindices") is not None:
        mi = result["modindices"]
        out.append("")
        out.append("Modification indices (largest 20; mi = expected drop in chi-square when freed, "
                   "epc = expected parameter change):")
        out.append(f"  {'lhs':<12}{'op':<4}{'rhs':<12}{'group':>6}{'mi':>10}{'epc':>10}{'sepc_all':>10}")
        for r in mi[:20]:
            out.append(f"  {r['lhs']:<12}{r['op']:<4}{r['rhs']:<12}{r['group']:>6}{r['mi']:>10.3f}{r['epc']:>10.3f}"
                       f"{r['sepc_all']:>10.3f}")
    return out
