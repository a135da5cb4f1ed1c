"""Multi-group WLSMV and lavaan's ordinal invariance sequence, against lavaan 0.6.14.

Reference values: flourish/stats/tests/ordinal_groups_reference.py, from ``Rscript
bench/ordinal_groups_reference.R`` (two professions, 450 Health and 350 Social care raters,
eight items with 3, 4 and 5 categories mixed, simulated with set.seed(1415); item y3's latent
response runs 0.4 higher in Social care).  Each entry's R call is in ``R_CALLS`` there.
Flourish matches these fits to about 1e-6; the tolerance below is 1e-4.
"""
from __future__ import annotations

import os

import pytest

from flourish.stats.cfa import fit_cfa
from flourish.stats.io import read_csv
from flourish.stats.tests.conftest import DATA
from flourish.stats.tests.ordinal_groups_reference import LAVAAN_VERSION, PARAMETERIZATION, REFERENCE
from flourish.stats.tests.test_cfa_lavaan import WLSMV_FIT_KEYS, _close, _compare

MODEL = "f1 =~ y1 + y2 + y3 + y4\nf2 =~ y5 + y6 + y7 + y8"
TOL = 1e-4
STEPS = {"ord_configural": (), "ord_thresholds_loadings": ("thresholds", "loadings"),
         "ord_intercepts": ("thresholds", "loadings", "intercepts")}


@pytest.fixture(scope="module")
def professions() -> dict[str, list[str]]:
    return read_csv(os.path.join(DATA, "ordinal_groups.csv"))


@pytest.fixture(scope="module")
def fits(professions) -> dict[str, dict]:
    return {case: fit_cfa(professions, MODEL, ordered=True, group="profession", group_equal=eq)
            for case, eq in STEPS.items()}


def test_the_references_come_from_lavaan_0_6_14_in_its_delta_parameterisation() -> None:
    assert LAVAAN_VERSION == "0.6.14" and PARAMETERIZATION == "delta"


@pytest.mark.parametrize("case", list(STEPS))
def test_each_step_of_the_ordinal_sequence_matches_lavaan(fits, case) -> None:
    res = fits[case]
    assert res["estimator"] == "WLSMV" and res["parameterization"] == PARAMETERIZATION
    assert [g["n"] for g in res["groups"]] == REFERENCE[case]["nobs"] == [450, 350]
    _compare(res, REFERENCE[case], WLSMV_FIT_KEYS, TOL, TOL)


def test_the_configural_model_is_each_profession_fitted_alone(fits, professions) -> None:
    # lavaan's single-group fit of the Health raters: the configural model's group 1 has its
    # estimates; the standard errors differ by the factor sqrt(N (n1 - 1) / (n1 (N - G))) that
    # lavaan's multi-group weighting brings (1.000139 here).
    health = {k: [v for v, p in zip(col, professions["profession"]) if p == "Health"] for k, col in professions.items()}
    alone = fit_cfa(health, MODEL, ordered=True)
    _compare(alone, REFERENCE["ord_single_health"], WLSMV_FIT_KEYS, TOL, TOL)
    grouped = {(r["lhs"], r["op"], r["rhs"]): r for r in fits["ord_configural"]["parameters"] if r["group"] == 1}
    factor = (800 * 449 / (450 * 798)) ** 0.5
    for r in alone["parameters"]:
        g = grouped[(r["lhs"], r["op"], r["rhs"])]
        assert _close(g["est"], r["est"], 1e-6)
        if r["free"]:
            assert _close(g["se"], r["se"] * factor, 1e-6)


def test_equal_thresholds_free_the_scale_factors_and_latent_means_of_the_second_group(fits) -> None:
    ref = {(p["lhs"], p["op"], p["rhs"], p["group"]): p for p in REFERENCE["ord_thresholds_loadings"]["parameters"]}
    rows = fits["ord_thresholds_loadings"]["parameters"]
    scales = [r for r in rows if r["op"] == "~*~"]
    assert len(scales) == 16 and all(not r["free"] and r["est"] == 1.0 for r in scales if r["group"] == 1)
    for r in scales + [r for r in rows if r["op"] == "~1" and r["lhs"] in ("f1", "f2")]:
        want = ref[(r["lhs"], r["op"], r["rhs"], r["group"])]
        assert r["free"] == (want["se"] != 0), r
        assert _close(r["est"], want["est"], TOL) and _close(r["se"], want["se"], TOL), (r, want)


def test_intercepts_add_nothing_for_ordered_items_as_in_lavaan(fits) -> None:
    a, b = fits["ord_thresholds_loadings"]["fit"], fits["ord_intercepts"]["fit"]
    assert a["npar"] == b["npar"] == 45 and a["chisq"] == pytest.approx(b["chisq"], abs=1e-9)
