"""Multi-group WLSMV and lavaan's ordinal invariance sequence, against lavaan 0.6.14.

Reference values: flourish/stats/tests/ordinal_groups_reference.py, from ``Rscript
bench/ordinal_groups_reference.R`` (two professions, 450 Health and 350 Social care raters,
eight items with 3, 4 and 5 categories mixed, simulated with set.seed(1415); item y3's latent
response runs 0.4 higher in Social care).  Each entry's R call is in ``R_CALLS`` there.
Flourish matches these fits to about 1e-6; the tolerance below is 1e-4.
"""
from __future__ import annotations

import io
import os

import pytest

from flourish.stats.cfa import fit_cfa, invariance
from flourish.stats.cli import main
from flourish.stats.errors import StatsError
from flourish.stats.io import read_csv
from flourish.stats.tests.conftest import DATA
from flourish.stats.tests.ordinal_groups_reference import (
    LAVAAN_VERSION,
    LRT_THRESHOLDS_LOADINGS,
    PARAMETERIZATION,
    REFERENCE,
    REFUSED,
    SCORE_THRESHOLDS_LOADINGS,
)
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


@pytest.fixture(scope="module")
def sequence(professions) -> dict:
    return invariance(professions, MODEL, group="profession", estimator="wlsmv")


def test_the_ordinal_sequence_is_lavaans_with_its_steps_fits(sequence) -> None:
    assert sequence["estimator"] == "WLSMV" and sequence["parameterization"] == "delta"
    rows = {r["model"]: r for r in sequence["table"]}
    assert list(rows) == ["configural", "thresholds_loadings", "intercepts"]
    for name, case in (("configural", "ord_configural"), ("thresholds_loadings", "ord_thresholds_loadings"),
                       ("intercepts", "ord_intercepts")):
        for k in ("chisq", "df", "chisq_scaled", "pvalue_scaled", "cfi_scaled", "rmsea_scaled", "srmr"):
            assert _close(rows[name][k], REFERENCE[case]["fit"][k], TOL, 1e-9), (name, k)


def test_thresholds_and_loadings_are_compared_by_lavaans_satorra_2000_difference_test(sequence) -> None:
    step = sequence["table"][1]
    assert step["delta_df"] == LRT_THRESHOLDS_LOADINGS["df_diff"] == 19
    assert LRT_THRESHOLDS_LOADINGS["method"] == "satorra.2000"
    assert _close(step["delta_chisq"], LRT_THRESHOLDS_LOADINGS["chisq_diff"], TOL)
    assert _close(step["delta_pvalue"], LRT_THRESHOLDS_LOADINGS["pvalue"], 1e-9, 1e-4)
    # the naive difference of the scaled statistics is something else (62.29 here)
    naive = step["chisq_scaled"] - sequence["table"][0]["chisq_scaled"]
    assert abs(naive - step["delta_chisq"]) > 1
    assert step["delta_cfi"] == pytest.approx(
        REFERENCE["ord_thresholds_loadings"]["fit"]["cfi_scaled"] - REFERENCE["ord_configural"]["fit"]["cfi_scaled"],
        abs=TOL)


def test_the_intercepts_step_is_reported_as_adding_no_constraint(sequence) -> None:
    step = sequence["table"][2]
    assert step["delta_df"] == 0 and step["delta_pvalue"] is None and "no constraint" in step["delta_note"]
    assert "score_tests" not in step


def test_score_tests_find_the_planted_threshold_difference_of_y3_as_lavaan(sequence) -> None:
    step = sequence["table"][1]
    assert step["score_total"]["df"] == SCORE_THRESHOLDS_LOADINGS["total"]["df"] == 29
    assert _close(step["score_total"]["X2"], SCORE_THRESHOLDS_LOADINGS["total"]["X2"], TOL)
    mine = {(u["lhs"], u["op"], u["rhs"]): u for u in step["score_tests"]}
    assert len(mine) == len(SCORE_THRESHOLDS_LOADINGS["univariate"])
    for u in SCORE_THRESHOLDS_LOADINGS["univariate"]:
        assert _close(mine[(u["lhs"], u["op"], u["rhs"])]["X2"], u["X2"], TOL), u
    differs = [(u["lhs"], u["rhs"]) for u in step["differs"]]
    assert {("y3", "t2"), ("y3", "t3"), ("y3", "t4")} <= set(differs)
    assert all(u["group_names"] == ["Health", "Social care"] for u in step["differs"])


def test_freeing_y3s_thresholds_matches_lavaans_group_partial(professions, sequence) -> None:
    freed = ["y3 | t1", "y3 | t2", "y3 | t3", "y3 | t4"]
    partial = invariance(professions, MODEL, group="profession", estimator="wlsmv", group_partial=freed)
    _compare(partial["fits"]["thresholds_loadings"], REFERENCE["ord_partial_y3"], WLSMV_FIT_KEYS, TOL, TOL)
    step = partial["table"][1]
    assert step["df"] == sequence["table"][1]["df"] - 4 and step["delta_df"] == 15
    assert step["delta_pvalue"] > 0.05 and not any(u["lhs"] == "y3" and u["op"] == "|" for u in step["score_tests"])


def test_a_category_empty_in_one_profession_is_refused_as_lavaan_does(professions) -> None:
    assert "some categories of variable `y4' are empty in group 2" in REFUSED["ord_empty_in_group"]
    data = {k: list(v) for k, v in professions.items()}
    for i, p in enumerate(data["profession"]):
        if p == "Social care" and data["y4"][i] == "3":
            data["y4"][i] = "2"
    with pytest.raises(StatsError, match=r"Category 3 of y4 is empty in group 'Social care' \(frequencies 1: 141, "
                                         r"2: 209, 3: 0\)"):
        invariance(data, MODEL, group="profession", estimator="wlsmv")


def test_the_command_line_runs_the_ordinal_sequence() -> None:
    out = io.StringIO()
    code = main(["cfa", os.path.join(DATA, "ordinal_groups.csv"), "--model", MODEL, "--ordered",
                 "--group", "profession", "--invariance", "--format", "text"], out, io.StringIO())
    text = out.getvalue()
    assert code == 0
    assert "delta parameterisation" in text and "Satorra (2000)" in text
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("thresholds_loadings "))
    assert f"{LRT_THRESHOLDS_LOADINGS['chisq_diff']:.3f}" in line and "99.320" in line
    assert "y3 | t3  (Health vs Social care)" in text


def test_merging_a_category_a_group_never_used_lets_the_steps_run_and_says_what_was_merged(professions) -> None:
    import numpy as np

    from flourish.stats.cfa.polychoric import merge_empty_categories

    data = {k: list(v) for k, v in professions.items()}
    for i, p in enumerate(data["profession"]):
        if p == "Social care" and data["y4"][i] == "3":
            data["y4"][i] = "2"
    names = [f"y{i}" for i in range(1, 9)]
    Y = np.column_stack([np.array(data[n], dtype=float) for n in names])
    recoded, merges = merge_empty_categories(Y, data["profession"], names)
    assert merges == [{"item": "y4", "category": "3", "into": "2", "empty_in": ["Social care"]}]
    assert set(recoded[:, 3]) == {1.0, 2.0} and (recoded[:, [0, 1, 2, 4, 5, 6, 7]] == Y[:, [0, 1, 2, 4, 5, 6, 7]]).all()
    merged = {**{n: recoded[:, j] for j, n in enumerate(names)}, "profession": data["profession"]}
    res = invariance(merged, MODEL, group="profession", estimator="wlsmv")
    assert res["converged"] and res["fits"]["configural"]["categories"]["y4"] == [1.0, 2.0]


def test_the_command_line_fits_both_professions_and_names_the_parameterisation() -> None:
    out = io.StringIO()
    code = main(["cfa", os.path.join(DATA, "ordinal_groups.csv"), "--model", MODEL, "--ordered",
                 "--group", "profession"], out, io.StringIO())
    text = out.getvalue()
    assert code == 0 and "Groups: Health (n=450), Social care (n=350)" in text
    assert "lavaan's delta parameterisation" in text
    assert f"{REFERENCE['ord_configural']['fit']['chisq_scaled']:.4f}" in text
