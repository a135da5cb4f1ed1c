"""Measurement invariance across groups (ML): configural, metric, scalar.

* configural: same pattern, all parameters free per group (mean structure, latent means 0);
* metric: loadings equal across groups (lavaan group.equal = "loadings");
* scalar: loadings and intercepts equal, latent means free in groups 2.. (group.equal =
  c("loadings", "intercepts")).

Each step is compared with the previous one by the chi-square difference (likelihood-ratio)
test, as lavaan's lavTestLRT for standard ML, and by the change in CFI and RMSEA
(a drop in CFI of more than .01 is the usual warning sign; Cheung & Rensvold, 2002).
"""
from __future__ import annotations

from ..distributions import chi2_sf

from ..errors import StatsError
from .api import fit_cfa

STEPS = [("configural", ()), ("metric", ("loadings",)), ("scalar", ("loadings", "intercepts"))]


def invariance(data, model: str, group: str, estimator: str = "ml", std_lv: bool = False) -> dict:
    if (estimator or "ml").lower() != "ml":
        raise StatsError("Invariance testing is implemented for ML only (continuous items).")
    fits = {}
    table = []
    prev = None
    for name, eq in STEPS:
        res = fit_cfa(data, model, estimator="ml", group=group, group_equal=eq, std_lv=std_lv)
        fits[name] = res
        row = {"model": name, "converged": res["converged"]}
        if res["converged"]:
            f = res["fit"]
            row.update({k: f[k] for k in ("npar", "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr",
                                          "aic", "bic")})
            if prev is not None and prev.get("converged"):
                dchi = f["chisq"] - prev["chisq"]
                ddf = f["df"] - prev["df"]
                row.update({"delta_chisq": dchi, "delta_df": ddf,
                            "delta_pvalue": chi2_sf(dchi, ddf) if ddf > 0 else None,
                            "delta_cfi": f["cfi"] - prev["cfi"], "delta_rmsea": f["rmsea"] - prev["rmsea"]})
        table.append(row)
        prev = row
    return {"group": group, "groups": fits["configural"]["groups"], "n": fits["configural"]["n"],
            "converged": all(r["converged"] for r in table), "table": table, "fits": fits}


def format_invariance_text(res: dict) -> str:
    lines = [f"Measurement invariance across '{res['group']}': "
             + ", ".join(f"{g['name']} (n={g['n']})" for g in res["groups"]), ""]
    lines.append(f"  {'model':<12}{'chisq':>10}{'df':>5}{'p':>8}{'CFI':>7}{'RMSEA':>7}{'SRMR':>7}"
                 f"{'dChisq':>9}{'ddf':>5}{'p(d)':>8}{'dCFI':>8}{'dRMSEA':>8}")
    for r in res["table"]:
        if not r["converged"]:
            lines.append(f"  {r['model']:<12} did not converge")
            continue
        d = ""
        if "delta_chisq" in r:
            d = (f"{r['delta_chisq']:>9.3f}{r['delta_df']:>5.0f}{(r['delta_pvalue'] or float('nan')):>8.4f}"
                 f"{r['delta_cfi']:>8.4f}{r['delta_rmsea']:>8.4f}")
        lines.append(f"  {r['model']:<12}{r['chisq']:>10.3f}{r['df']:>5.0f}{r['pvalue']:>8.4f}{r['cfi']:>7.3f}"
                     f"{r['rmsea']:>7.3f}{r['srmr']:>7.3f}{d}")
    lines.append("")
    lines.append("Chi-square difference = likelihood-ratio test of the more constrained model; a CFI drop "
                 "> .01 suggests non-invariance.")
    return "\n".join(lines) + "\n"
