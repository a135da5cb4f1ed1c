"""Measurement invariance of ordinal items (WLSMV), in lavaan's sequence for ordered data.

Steps (lavaan's ``group.equal``, delta parameterisation -- see :mod:`.wlsmv`):

* configural: the same pattern in every group; thresholds, loadings and factor (co)variances
  free per group; scale factors fixed at 1 and latent means at 0 in every group;
* thresholds_loadings: ``group.equal = c("thresholds", "loadings")``; the scale factors
  (``~*~``) and latent means are then free in groups 2..;
* intercepts: adds ``"intercepts"``.  Intercepts of ordered items are fixed at 0 in the delta
  parameterisation, so this fit is the previous one again (lavaan's too): reported, with a
  note, not as a further test.

Each step is compared with the previous one by lavaan's ``lavTestLRT`` for WLSMV: the Satorra
(2000) scaled-and-shifted difference test (:func:`satorra_2000`), and by the change in the
scaled CFI and RMSEA.  The constrained step carries lavaan's ``lavTestScore`` univariate score
tests (the ordinary ones, which lavaan falls back to for WLSMV), to say which threshold or
loading differs between which groups.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..distributions import chi2_sf
from ..io import Data
from .api import prepare_ordinal
from .invariance import SCORE_ALPHA, lagrange_tests, release_constraints
from .model import build_model
from .wlsmv import WlsmvFit, _OrdinalGroups, fit_wlsmv_state, polychorics, scaled_shifted

STEPS = [("configural", ()), ("thresholds_loadings", ("thresholds", "loadings")),
         ("intercepts", ("thresholds", "loadings", "intercepts"))]
FIT_KEYS = ("npar", "chisq", "df", "pvalue", "chisq_scaled", "pvalue_scaled", "chisq_scaling_factor",
            "cfi", "tli", "rmsea", "srmr", "cfi_scaled", "tli_scaled", "rmsea_scaled")
SAME_AS_PREVIOUS = ("identical to the previous step: intercepts of ordered items are fixed at 0 in the delta "
                    "parameterisation, so holding them equal adds no constraint (as in lavaan)")


def satorra_2000(general: WlsmvFit, restricted: WlsmvFit, T1: float, T0: float, df1: float, df0: float
                 ) -> dict[str, Any]:
    """lavaan's lavTestLRT for two nested WLSMV fits: Satorra's (2000) difference test, scaled and
    shifted, with lavaan's A.method = "delta".

    H = D1^+ D0 (D the stacked Jacobians of the implied statistics, each at its own estimates), A
    the orthogonal complement of H's columns (so A x = 0 are the m = df0 - df1 restrictions),
    P the general model's information, Q = P^-1 A'(A P^-1 A')^+ A P^-1 and C = sum_g f_g D_g'W_g
    Gamma_g W_g D_g: tr(UG) = tr(QC), tr((UG)^2) = tr((QC)^2), a = sqrt(m / tr((UG)^2)),
    T = a (T0 - T1) + m - a tr(UG)."""
    m = int(round(df0 - df1))
    out: dict[str, Any] = {"delta_df": m, "delta_method": "Satorra 2000 scaled and shifted difference",
                           "delta_chisq": None, "delta_pvalue": None, "delta_note": ""}
    if m <= 0:
        out.update(delta_chisq=T0 - T1, delta_note=SAME_AS_PREVIOUS if m == 0 else "")
        return out
    D1 = np.vstack([mom[1] for mom in general.mom])  # type: ignore[misc]
    D0 = np.vstack([mom[1] for mom in restricted.mom])  # type: ignore[misc]
    # D1 has full column rank (the general model is identified), so D1^+ D0 = (D1'D1)^-1 D1'D0; the
    # complement of H's columns from a complete QR (H has full column rank q0 when nested)
    H = np.linalg.solve(D1.T @ D1, D1.T @ D0)
    Qc, Rr = np.linalg.qr(H, mode="complete")
    d = np.abs(np.diag(Rr))
    if len(d) and d.min() > 1e-10 * d.max():
        A = Qc[:, H.shape[1]:].T
    else:  # H rank-deficient: the complement from its singular vectors, as lavaan's
        u, sv, _vt = np.linalg.svd(H, full_matrices=True)
        A = u[:, int(np.sum(sv > sv[0] * 1e-10)):].T
    Pinv = general.Hinv
    APA = A @ Pinv @ A.T
    Q = Pinv @ A.T @ np.linalg.pinv(APA) @ A @ Pinv
    C = np.zeros_like(Pinv)
    for f, pc, w, mom in zip(general.fg, general.pcs, general.ws, general.mom):
        ZWD = pc.gamma_factor @ (w[:, None] * mom[1])
        C += f * pc.N * (ZWD.T @ ZWD)
    QC = Q @ C
    tr1, tr2 = float(np.trace(QC)), float(np.sum(QC * QC.T))
    Td, _c, _b = scaled_shifted(T0 - T1, m, tr1, tr2)
    out.update(delta_chisq=Td, delta_pvalue=chi2_sf(Td, m))
    return out


def wlsmv_score_tests(fit: WlsmvFit, labels: list[str], statements: list[Any], std_lv: bool,
                      group_equal: tuple[str, ...], group_partial: tuple[str, ...]) -> dict[str, Any]:
    """lavTestScore() for the equality constraints of a multi-group WLSMV fit, the ordinary score
    test lavaan uses for it: the gradient of the DWLS objective (group weights (n_g - 1) / N, as
    lavaan's) and the information E = sum_g f_g D'WD,
    each group with its own copy of every constrained parameter, at the constrained estimates."""
    model = fit.model
    released = build_model(statements, n_groups=model.n_groups, std_lv=std_lv, ordered=True,
                           n_thresholds=model.n_thresholds, group_equal=group_equal, group_partial=group_partial)
    xr, T, rows = release_constraints(model, fit.x, released)
    og = _OrdinalGroups(released, fit.pcs[0].pairs)
    q = released.n_free
    g, info = np.zeros(q), np.zeros((q, q))
    for f, pc, w, s, (sig, D, _S) in zip(fit.fg, fit.pcs, fit.ws, fit.ss, og.moments(xr)):
        assert D is not None
        g -= (pc.N - 1) / fit.N * (D.T @ (w * (s - sig)))  # lavaan's DWLS gradient: weights (n_g - 1) / N
        info += f * (D.T @ (w[:, None] * D))
    return lagrange_tests(g, info, fit.N, T, rows, released, labels)


def ordinal_invariance(data: Data, model: str, group: str, std_lv: bool = False,
                       group_partial: tuple[str, ...] | list[str] = (), score: bool = True) -> dict[str, Any]:
    """lavaan's ordinal invariance sequence across the groups of column `group` (WLSMV)."""
    statements, codes, levels, names, info = prepare_ordinal(data, model, group)
    partial = tuple(group_partial)
    fits: dict[str, Any] = {}
    table: list[dict[str, Any]] = []
    prev: tuple[dict[str, Any], WlsmvFit] | None = None
    labels = [g["name"] for g in info["groups"]]
    pcs = polychorics(codes, levels)  # the sample statistics are the same for every step
    for name, eq in STEPS:
        step_info = dict(info, warnings=list(info["warnings"]))
        res, state = fit_wlsmv_state(statements, codes, levels, names, std_lv, step_info, eq, partial, pcs)
        fits[name] = res
        row: dict[str, Any] = {"model": name, "converged": res["converged"], "group_equal": list(eq)}
        if state is not None:
            f = res["fit"]
            row.update({k: f[k] for k in FIT_KEYS if k in f})
            if prev is not None:
                pf, pstate = prev
                row.update(satorra_2000(pstate, state, pf["chisq"], f["chisq"], pf["df"], f["df"]))
                row.update({"delta_cfi": f["cfi_scaled"] - pf["cfi_scaled"],
                            "delta_rmsea": f["rmsea_scaled"] - pf["rmsea_scaled"]})
            if score and eq and row.get("delta_df") != 0:
                tests = wlsmv_score_tests(state, labels, statements, std_lv, eq, partial)
                row["score_total"] = tests["total"]
                row["score_tests"] = tests["univariate"]
                row["differs"] = [u for u in tests["univariate"] if u["pvalue"] < SCORE_ALPHA]
            prev = (f, state)
        else:
            prev = None
        table.append(row)
    return {"group": group, "groups": info["groups"], "n": info["n"], "estimator": "WLSMV",
            "parameterization": "delta", "group_partial": list(partial), "cluster": None,
            "converged": all(r["converged"] for r in table), "table": table, "fits": fits}
