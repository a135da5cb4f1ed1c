"""Measurement invariance against lavaan 0.6.14: strict invariance, partial invariance
(group.partial) and lavTestScore() locating a planted intercept difference.

References: flourish/stats/tests/invariance_reference.py from ``Rscript
bench/invariance_reference.R`` (data simulated there, set.seed(1407); y3 is 0.45 higher in
"Social care").
"""
from __future__ import annotations

import os

import pytest

from flourish.stats.cfa import fit_cfa, invariance
from flourish.stats.cfa.invariance import score_tests
from flourish.stats.errors import StatsError
from flourish.stats.io import read_csv
from flourish.stats.tests.conftest import DATA
from flourish.stats.tests.invariance_reference import LAVAAN_VERSION, REFERENCE, SCORE_TOTAL, SCORE_UNIVARIATE
from flourish.stats.tests.test_cfa_lavaan import ML_FIT_KEYS, _compare

MODEL = "f1 =~ y1 + y2 + y3 + y4\nf2 =~ y5 + y6 + y7 + y8"
STEPS = {
    "inv_configural": {},
    "inv_metric": {"group_equal": ["loadings"]},
    "inv_scalar": {"group_equal": ["loadings", "intercepts"]},
    "inv_strict": {"group_equal": ["loadings", "intercepts", "residuals"]},
    "inv_partial": {"group_equal": ["loadings", "intercepts"], "group_partial": ["y3 ~ 1"]},
}


@pytest.fixture(scope="module")
def professions() -> dict[str, list[str]]:
    return read_csv(os.path.join(DATA, "invariance_groups.csv"))


def test_the_references_come_from_lavaan_0_6_14() -> None:
    assert LAVAAN_VERSION == "0.6.14"


@pytest.mark.parametrize("case", list(STEPS))
def test_every_invariance_step_matches_lavaan(professions, case: str) -> None:
    res = fit_cfa(professions, MODEL, group="profession", **STEPS[case])
    _compare(res, REFERENCE[case], ML_FIT_KEYS, 1e-4, 1e-3)


def test_the_score_test_finds_the_planted_intercept_difference(professions) -> None:
    tests = score_tests(professions, MODEL, "profession", ("loadings", "intercepts"))
    assert tests["total"]["df"] == SCORE_TOTAL["df"] == 14
    assert tests["total"]["X2"] == pytest.approx(SCORE_TOTAL["X2"], abs=1e-3)
    ref = {(u["lhs"], u["op"], u["rhs"]): u for u in SCORE_UNIVARIATE}
    assert len(tests["univariate"]) == len(ref)
    for u in tests["univariate"]:
        want = ref[(u["lhs"], u["op"], u["rhs"])]
        assert u["groups"] == want["groups"] and u["X2"] == pytest.approx(want["X2"], abs=1e-3)
    top = tests["univariate"][0]
    assert (top["lhs"], top["op"], top["group_names"]) == ("y3", "~1", ["Health", "Social care"])


def test_the_invariance_table_names_what_differs_and_freeing_it_restores_fit(professions) -> None:
    res = invariance(professions, MODEL, group="profession")
    rows = {r["model"]: r for r in res["table"]}
    assert list(rows) == ["configural", "metric", "scalar", "strict"]
    assert rows["strict"]["chisq"] == pytest.approx(REFERENCE["inv_strict"]["fit"]["chisq"], abs=1e-4)
    assert rows["scalar"]["differs"][0]["lhs"] == "y3" and rows["scalar"]["differs"][0]["op"] == "~1"
    partial = invariance(professions, MODEL, group="profession", group_partial=["y3 ~ 1"])
    prow = {r["model"]: r for r in partial["table"]}["scalar"]
    assert prow["chisq"] == pytest.approx(REFERENCE["inv_partial"]["fit"]["chisq"], abs=1e-4)
    assert all(u["lhs"] != "y3" or u["op"] != "~1" for u in prow["score_tests"])


def test_an_unreadable_group_partial_is_refused(professions) -> None:
    with pytest.raises(StatsError, match="group.partial: cannot read 'y3'"):
        fit_cfa(professions, MODEL, group="profession", group_equal=["loadings"], group_partial=["y3"])
