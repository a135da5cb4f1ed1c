"""Diagnostics against lavaan 0.6.14: standardizedSolution() with SEs, R-square, residual
correlations, modindices() with EPC, and the messages for Heywood cases, formative indicators
and (empirical) under-identification.

References: flourish/stats/tests/diagnostics_reference.py from ``Rscript
bench/diagnostics_reference.R`` (the R calls are in its R_CALLS).
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest

from flourish.stats.cfa import fit_cfa
from flourish.stats.errors import StatsError
from flourish.stats.io import read_csv
from flourish.stats.tests.conftest import DATA, HS_MODEL
from flourish.stats.tests.diagnostics_reference import DIAGNOSTICS, LAVAAN_VERSION, UNDERIDENTIFIED_WARNING
from flourish.stats.tests.test_cfa_lavaan import MODEL2

CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "hs_ml": (HS_MODEL, {}),
    "hs_custom": (MODEL2, {}),
    "hs_configural": (HS_MODEL, {"group": "school"}),
}


def _key(r: dict[str, Any]) -> tuple[str, str, str, int]:
    return (r["lhs"], r["op"], r["rhs"], r["group"])


def test_the_references_come_from_lavaan_0_6_14() -> None:
    assert LAVAAN_VERSION == "0.6.14"


def _check_standardized(res: dict[str, Any], ref: dict[str, Any], tol: float) -> None:
    mine = {_key(r): r for r in res["parameters"]}
    checked = 0
    for r in ref["standardized"]:
        if r["op"] == "~*~":
            continue
        q = mine[_key(r)]
        assert abs(q["std_all"] - r["est_std"]) < tol, r
        if r["se"] is None or r["se"] < 1e-8:
            assert q["std_se"] is None, (r, q)
            continue
        assert abs(q["std_se"] - r["se"]) < tol, (r, q["std_se"])
        assert abs(q["std_pvalue"] - r["pvalue"]) < tol
        checked += 1
    assert checked > 10


def _check_r2_and_residuals(res: dict[str, Any], ref: dict[str, Any], tol: float) -> None:
    for mine, theirs in zip(res["r2"], ref["r2"]):
        assert set(mine) == set(theirs)
        for k, v in theirs.items():
            assert (mine[k] is None) if v is None else abs(mine[k] - v) < tol, (k, mine[k], v)
    assert len(res["residual_correlations"]) == len(ref["residual_cor"])
    for mine, theirs in zip(res["residual_correlations"], ref["residual_cor"]):
        assert np.max(np.abs(np.array(mine) - np.array(theirs))) < tol


@pytest.mark.parametrize("case", list(CASES))
def test_ml_standardized_solution_r2_and_residual_correlations_match_lavaan(hs, case: str) -> None:
    model, kw = CASES[case]
    res = fit_cfa(hs, model, **kw)
    _check_standardized(res, DIAGNOSTICS[case], 1e-4)
    _check_r2_and_residuals(res, DIAGNOSTICS[case], 1e-5)


@pytest.mark.parametrize("case", list(CASES))
def test_modification_indices_and_epc_match_lavaan(hs, case: str) -> None:
    model, kw = CASES[case]
    res = fit_cfa(hs, model, modindices=True, **kw)
    ref = {_key(r): r for r in DIAGNOSTICS[case]["modindices"]}
    mine = {_key(r): r for r in res["modindices"]}
    assert set(mine) == set(ref)  # the same candidates, including fixed loadings and covariances
    for k, r in ref.items():
        for col in ("mi", "epc", "sepc_all"):
            assert abs(mine[k][col] - r[col]) < 1e-3 * max(1.0, abs(r[col])), (k, col, mine[k][col], r[col])
    mis = [r["mi"] for r in res["modindices"]]
    assert mis == sorted(mis, reverse=True)


def test_the_largest_modification_index_of_holzinger_swineford_is_visual_by_x9(hs) -> None:
    res = fit_cfa(hs, HS_MODEL, modindices=True)
    top = res["modindices"][0]
    assert (top["lhs"], top["op"], top["rhs"]) == ("visual", "=~", "x9") and abs(top["mi"] - 36.411) < 1e-3


def test_wlsmv_standardized_solution_r2_and_residual_correlations_match_lavaan(hs_ordinal) -> None:
    res = fit_cfa(hs_ordinal, HS_MODEL, estimator="wlsmv")
    _check_standardized(res, DIAGNOSTICS["hs_wlsmv"], 1e-3)
    _check_r2_and_residuals(res, DIAGNOSTICS["hs_wlsmv"], 1e-3)


def test_a_heywood_case_is_named(hs) -> None:
    res = fit_cfa(hs, MODEL2)
    assert any(w.startswith("Negative variance for x9 (a Heywood case: x9 ~~ x9 = ") for w in res["warnings"])
    assert res["r2"][0]["x9"] is None  # lavaan gives NA too


def test_formative_indicators_are_refused_as_such(hs) -> None:
    with pytest.raises(StatsError, match=r"formative indicators \('<~'\) are not supported"):
        fit_cfa(hs, "f =~ x1 + x2 + x3\ng <~ x4 + x5")


def test_a_structurally_unidentified_parameter_is_named() -> None:
    data = read_csv(os.path.join(DATA, "underidentified.csv"))
    with pytest.raises(StatsError, match="the information matrix is singular; parameter f2 =~ x5 is not identified"):
        fit_cfa(data, "f1 =~ x1 + x2 + x3\nf2 =~ x4 + x5\nf1 ~~ 0*f2")


def test_empirical_under_identification_is_not_reported_as_non_convergence() -> None:
    # f2 has two indicators and (in these data) no correlation with f1: lavaan finds no solution
    assert "solution has NOT been found" in UNDERIDENTIFIED_WARNING
    data = read_csv(os.path.join(DATA, "underidentified.csv"))
    with pytest.raises(StatsError, match=r"empirical under-identification\).*parameter f2 =~ x5 is not identified"):
        fit_cfa(data, "f1 =~ x1 + x2 + x3\nf2 =~ x4 + x5")
