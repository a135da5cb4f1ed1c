"""Public entry point: :func:`fit_cfa`."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._blas import single_threaded_blas
from ..errors import StatsError
from ..io import Data, get_columns
from . import ml
from .cluster import add_robust_fit, attach_clusters, check_cluster_option, clustered_vcov
from .diagnostics import add_diagnostics, modification_indices
from .fitmeasures import ml_fit_measures
from .model import Model, build_model
from .result import check_admissible, parameter_table
from .syntax import Statement, parse_model

ESTIMATORS = ("ml", "mlr", "wlsmv")


MISSING = ("listwise", "pairwise", "ml")
DROP_WARN = 0.10  # warn when listwise deletion drops more than this share of the rows


class Prepared:
    """The analysed rows per group, and what was dropped on the way."""

    def __init__(self, groups: list[np.ndarray], labels: list[str], n_dropped: int, n_rows: int,
                 full: np.ndarray):
        self.groups = groups
        self.labels = labels
        self.n_dropped = n_dropped
        self.n_rows = n_rows
        self.full = full  # every row with a group (before deletion): ordinal levels come from here


def _prepare(data: Data, names: list[str], group: str | None,
             missing: str = "listwise") -> Prepared:
    """Rows to analyse.  listwise (lavaan's default): rows with an answer to every model item;
    pairwise: rows with at least one answer (each statistic then uses what is observed)."""
    Y = get_columns(data, names)
    if group is not None:
        if group not in data:
            raise StatsError(f"Grouping column '{group}' is not in the data.")
        gvals = np.array(["" if v is None else str(v).strip() for v in data[group]], dtype=object)
        gmiss = np.array([v.lower() in ("", "na", "nan") for v in gvals], dtype=bool)
    else:
        gvals = None
        gmiss = np.zeros(Y.shape[0], dtype=bool)
    na = np.isnan(Y)
    keep = ~(na.any(axis=1) if missing == "listwise" else na.all(axis=1)) & ~gmiss  # ml, pairwise: any answer
    n_rows = int(Y.shape[0])
    n_dropped = int(n_rows - keep.sum())
    full = Y[~gmiss]
    if n_dropped:
        Y = Y[keep]
    if group is None or gvals is None:
        return Prepared([Y], ["all"], n_dropped, n_rows, full)
    gvals = gvals[keep]
    labels: list[str] = []
    for v in gvals:  # order of first appearance, as lavaan
        if v not in labels:
            labels.append(str(v))
    if len(labels) < 2:
        raise StatsError(f"Grouping column '{group}' has fewer than two groups after removing missing values.")
    return Prepared([Y[gvals == lab] for lab in labels], labels, n_dropped, n_rows, full)


def deletion_note(missing: str, n_dropped: int, n_rows: int) -> str | None:
    """The warning when listwise deletion loses many rows (None when it does not)."""
    if missing != "listwise" or n_rows == 0 or n_dropped <= DROP_WARN * n_rows:
        return None
    return (f"Listwise deletion dropped {n_dropped} of {n_rows} rows ({100 * n_dropped / n_rows:.0f}%): only rows "
            "that answer every model item are analysed. With this much missing data the estimates may be "
            "biased unless answers are missing completely at random; consider --missing ml (full-information "
            "ML, which uses every answer) or --missing pairwise (WLSMV).")


def fit_cfa(data: Data, model: str, estimator: str = "ml", ordered: bool | list[str] = False,
            group: str | None = None, group_equal: tuple[str, ...] | list[str] = (),
            std_lv: bool = False, meanstructure: bool = False, missing: str = "listwise",
            modindices: bool = False, group_partial: tuple[str, ...] | list[str] = (),
            cluster: str | None = None) -> dict[str, Any]:
    """Fit a CFA and return a lavaan-like result dict.

    data: mapping column name -> sequence (numbers, or strings with '' for missing).
    model: lavaan syntax (see :mod:`flourish.stats.cfa.syntax`).
    estimator: "ml" (continuous items) or "wlsmv" (ordinal items; implies ordered).
    ordered: True (all indicators) for WLSMV; lists of names must cover all indicators.
    group / group_equal: multi-group fit; group_equal from {"loadings", "intercepts", "residuals"} (ML) or
    {"thresholds", "loadings", "intercepts"} (WLSMV, lavaan's delta parameterisation).
    std_lv / meanstructure: as in lavaan.
    modindices: add lavaan's modification indices with expected parameter changes (ML).
    missing: "listwise" (lavaan's default: rows with every model item answered) or "pairwise"
    (WLSMV only: thresholds and polychoric correlations from the rows observed on their items).
    cluster: a column naming each row's cluster (e.g. the leader rated): cluster-robust standard
    errors and a Yuan-Bentler scaled test, as lavaan's cluster = (ML; see :mod:`.cluster`), with
    ICC(1) and the design effect per item.

    Raises StatsError for bad input.  A fit that does not converge is returned with
    converged = False and no estimates or fit measures.
    """
    with single_threaded_blas():
        return _fit_cfa(data, model, estimator, ordered, group, group_equal, std_lv, meanstructure, missing,
                        modindices, tuple(group_partial), cluster)


def _checked_options(
    estimator: str | None, ordered: object, missing: str | None, group_equal: Sequence[str]
) -> tuple[str, str]:
    """The estimator and missing-data rule, lower-cased and defaulted; refuses unknown options."""
    estimator = (estimator or "ml").lower()
    if estimator not in ESTIMATORS:
        raise StatsError(f"Unknown estimator '{estimator}'; use 'ml', 'mlr' or 'wlsmv'.")
    if ordered and estimator == "mlr":
        raise StatsError("MLR (robust ML) is for continuous items; for ordinal items use WLSMV.")
    if ordered and estimator == "ml":
        estimator = "wlsmv"  # as lavaan: ordered indicators imply WLSMV
    missing = (missing or "listwise").lower()
    if missing not in MISSING:
        raise StatsError(f"Unknown missing-data rule '{missing}'; use 'listwise', 'pairwise' or 'ml'.")
    if missing == "pairwise" and estimator != "wlsmv":
        raise StatsError("Pairwise deletion is available for WLSMV (ordinal items) only, as in lavaan; "
                         "for ML use listwise deletion or --missing ml (full-information ML).")
    if missing == "ml" and estimator not in ("ml", "mlr"):
        raise StatsError("--missing ml (full-information ML) needs continuous items and the ML estimator, as "
                         "in lavaan; for ordinal items use --missing pairwise with WLSMV.")
    bad = set(group_equal) - {"loadings", "intercepts", "residuals", "thresholds"}
    if bad:
        raise StatsError("group_equal accepts 'loadings', 'intercepts', 'residuals' and 'thresholds', not "
                         f"{', '.join(sorted(bad))}.")
    return estimator, missing


def _analysed_rows(data: Data, model: str, estimator: str, ordered: bool | list[str], group: str | None,
                   missing: str) -> tuple[list[Statement], Model, Prepared, dict[str, Any]]:
    """The parsed model, its variable names (a probe model), the analysed rows and the result's
    descriptive part (sizes, groups, names, the deletion warning)."""
    statements = parse_model(model)
    probe = build_model(statements)  # variable names only
    names = probe.ov_names
    if isinstance(ordered, (list, tuple)) and set(ordered) != set(names):
        raise StatsError("Mixing ordinal and continuous indicators is not supported: list all indicators "
                         "as ordered, or none.")
    prep = _prepare(data, names, group, missing)
    groups, labels, n_dropped = prep.groups, prep.labels, prep.n_dropped
    p = len(names)
    for lab, Y in zip(labels, groups):
        if Y.shape[0] <= p:
            where = "" if group is None else f" in group '{lab}'"
            raise StatsError(f"Too few complete rows{where}: {Y.shape[0]} for {p} indicators "
                             "(need more rows than indicators; several hundred are advisable for a CFA).")
    n = int(sum(Y.shape[0] for Y in groups))
    info: dict[str, Any] = {"n": n, "n_dropped": n_dropped, "n_rows": prep.n_rows, "missing": missing,
            "estimator": estimator.upper(),
            "groups": [{"name": lab, "n": int(Y.shape[0])} for lab, Y in zip(labels, groups)],
            "ov_names": names, "lv_names": probe.lv_names, "warnings": []}
    note = deletion_note(missing, n_dropped, prep.n_rows)
    if note:
        info["warnings"].append(note)
    return statements, probe, prep, info


def ordinal_codes(prep: Prepared, names: list[str], group: str | None) -> tuple[list[np.ndarray], list[list[float]]]:
    """Category codes per group, the categories taken from all rows (as lavaan); refuses a category
    that is empty in a group, naming it, the item and the group, as lavaan does."""
    from .polychoric import encode_ordinal, ordinal_levels
    levels = ordinal_levels(prep.full, names)
    codes = [encode_ordinal(Y, names, levels, lab if group is not None else None)
             for lab, Y in zip(prep.labels, prep.groups)]
    return codes, levels


def prepare_ordinal(data: Data, model: str, group: str | None, missing: str = "listwise"
                    ) -> tuple[list[Statement], list[np.ndarray], list[list[float]], list[str], dict[str, Any]]:
    """What a WLSMV fit needs: (statements, codes per group, categories, item names, info)."""
    statements, probe, prep, info = _analysed_rows(data, model, "wlsmv", True, group, missing)
    codes, levels = ordinal_codes(prep, probe.ov_names, group)
    return statements, codes, levels, probe.ov_names, info


def _fit_cfa(data: Data, model: str, estimator: str, ordered: bool | list[str], group: str | None,
             group_equal: tuple[str, ...] | list[str], std_lv: bool, meanstructure: bool, missing: str,
             modindices: bool, group_partial: tuple[str, ...] = (), cluster: str | None = None) -> dict[str, Any]:
    estimator, missing = _checked_options(estimator, ordered, missing, group_equal)
    check_cluster_option(cluster, estimator, missing)
    statements, probe, prep, info = _analysed_rows(data, model, estimator, ordered, group, missing)
    names, groups, labels, p = probe.ov_names, prep.groups, prep.labels, probe.p
    if estimator == "wlsmv":
        from .wlsmv import fit_wlsmv
        codes, levels = ordinal_codes(prep, names, group)
        res = fit_wlsmv(statements, codes, levels, names, std_lv, info, tuple(group_equal), tuple(group_partial))
        if modindices and res["converged"]:
            res["warnings"].append("Modification indices are computed for ML fits only (not for WLSMV).")
        return res
    for lab, Y in zip(labels, groups):
        const = [names[i] for i in range(p) if not np.nanmax(Y[:, i], initial=-np.inf) > np.nanmin(
            Y[:, i], initial=np.inf)]
        if const:
            raise StatsError("Items with no variation" + (f" in group '{lab}'" if group else "") + ": "
                             + ", ".join(const) + ". They cannot be analysed.")
    clusters = attach_clusters(info, data, cluster, names, group, groups)
    # lavaan fits means with cluster = and with missing = "ml".
    meanstructure = meanstructure or clusters is not None or missing == "ml"
    mdl = build_model(statements, n_groups=len(groups), std_lv=std_lv, meanstructure=meanstructure,
                      group_equal=tuple(group_equal), group_partial=tuple(group_partial))
    ndat = mdl.n_groups * (p * (p + 1) // 2 + (p if mdl.meanstructure else 0))
    if mdl.n_free > ndat:
        raise StatsError(f"The model is not identified: it has {mdl.n_free} free parameters but the data "
                         f"provide only {ndat} variances, covariances{' and means' if mdl.meanstructure else ''} "
                         f"(df = {ndat - mdl.n_free}).")
    if missing == "ml":
        from .fiml import fiml_result
        return fiml_result(mdl, groups, dict(info, group_equal=list(group_equal), group_partial=list(group_partial)),
                           modindices)
    stats = ml.sample_stats(groups)
    est = ml.fit_ml(mdl, stats)
    result = dict(info)
    result.update({"converged": bool(est["converged"]), "iterations": int(est["iterations"]),
                   "meanstructure": mdl.meanstructure, "group_equal": list(group_equal),
                   "group_partial": list(group_partial)})
    if not est["converged"]:
        result.update({"parameters": [], "fit": {}})
        result["warnings"].append("The optimiser did not converge; no estimates are reported.")
        return result
    x = est["x"]
    result["fit"] = ml_fit_measures(mdl, stats, est["fmin"], mdl.implied(x))
    # With clusters the sandwich is over clusters (lavaan's robust.cluster, MLR-scaled test),
    # whether ML or MLR was asked for; MLR alone is the sandwich over rows.
    rob = clustered_vcov(result, mdl, x, stats, groups, clusters)
    vcov = est["vcov"] if rob is None else rob["vcov"]
    if rob is None and estimator == "mlr":
        from .robust import apply_mlr
        vcov = apply_mlr(result, mdl, x, groups)
    result["parameters"] = parameter_table(mdl, x, vcov)
    add_robust_fit(result, rob, mdl.n_groups)
    add_diagnostics(result, mdl, x, vcov, [s.cov for s in stats])
    if modindices:
        result["modindices"] = modification_indices(mdl, x, stats)
    check_admissible(result)
    return result

