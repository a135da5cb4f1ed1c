"""Ordinal (WLSMV) estimation on ordinary questionnaire data, against lavaan 0.6.14.

Reference values: flourish/stats/tests/ordinal_reference.py, from ``Rscript
bench/ordinal_reference.R`` (data simulated there with set.seed(1401); the demo's rater data
from ``bench/demo_raters.py``, the demo's own simulator and seeds).  Each entry's R call is in
``R_CALLS`` there.  Tolerance 1e-3, as for the other WLSMV comparisons.
"""
from __future__ import annotations

import os

import pytest

from flourish.stats.cfa import fit_cfa
from flourish.stats.errors import StatsError
from flourish.stats.io import read_csv
from flourish.stats.tests.conftest import DATA
from flourish.stats.tests.ordinal_reference import LAVAAN_VERSION, REFERENCE, REFUSED
from flourish.stats.tests.test_cfa_lavaan import WLSMV_FIT_KEYS, _compare

MIXED = "f1 =~ y1 + y2 + y3\nf2 =~ y4 + y5 + y6\nf3 =~ y7 + y8 + y9"
MIXED_MISSING = "f1 =~ y1m + y2m + y3m\nf2 =~ y4m + y5m + y6m\nf3 =~ y7m + y8m + y9m"
DEMO_HEALTH = "ts =~ ts1 + ts2 + ts3 + ts4\nbr =~ br1 + br2 + br3 + br4"


@pytest.fixture(scope="module")
def mixed() -> dict[str, list[str]]:
    return read_csv(os.path.join(DATA, "mixed_ordinal.csv"))


@pytest.fixture(scope="module")
def demo_raters() -> dict[str, list[str]]:
    return read_csv(os.path.join(DATA, "demo_raters.csv"))


def _rows_of(data: dict[str, list[str]], profession: str) -> dict[str, list[str]]:
    keep = [i for i, p in enumerate(data["profession"]) if p == profession]
    return {k: [v[i] for i in keep] for k, v in data.items()}


def test_the_references_come_from_lavaan_0_6_14() -> None:
    assert LAVAAN_VERSION == "0.6.14"


@pytest.mark.parametrize("case,kw", [("mixed_wlsmv", {}), ("mixed_wlsmv_stdlv", {"std_lv": True})])
def test_items_with_three_four_and_five_categories_match_lavaan(mixed, case, kw) -> None:
    res = fit_cfa(mixed, MIXED, estimator="wlsmv", **kw)
    assert [len(res["categories"][f"y{i}"]) for i in range(1, 10)] == [3, 4, 5, 5, 3, 4, 4, 5, 5]
    _compare(res, REFERENCE[case], WLSMV_FIT_KEYS, 1e-3, 1e-3)


def test_the_demo_health_raters_fit_although_br2_uses_four_categories(demo_raters) -> None:
    # The regression case of issue 14: one item with a category nobody used made the weight
    # matrix NaN ("did not converge" and overflow warnings).  lavaan: chisq.scaled 27.670, df 19.
    health = _rows_of(demo_raters, "Health")
    res = fit_cfa(health, DEMO_HEALTH, ordered=True)
    assert len(res["categories"]["br2"]) == 4 and len(res["categories"]["br1"]) == 5
    assert res["n"] == REFERENCE["demo_health_wlsmv"]["nobs"][0] == 104
    _compare(res, REFERENCE["demo_health_wlsmv"], WLSMV_FIT_KEYS, 1e-3, 1e-3)


def test_pairwise_deletion_matches_lavaan(mixed) -> None:
    res = fit_cfa(mixed, MIXED_MISSING, estimator="wlsmv", missing="pairwise")
    assert res["n"] == REFERENCE["mixed_wlsmv_pairwise"]["nobs"][0] == 600
    assert res["missing"] == "pairwise" and not res["warnings"]
    _compare(res, REFERENCE["mixed_wlsmv_pairwise"], WLSMV_FIT_KEYS, 1e-3, 1e-3)


def test_listwise_deletion_of_most_rows_matches_lavaan_and_says_so(mixed) -> None:
    res = fit_cfa(mixed, MIXED_MISSING, estimator="wlsmv")
    assert res["n"] == REFERENCE["mixed_wlsmv_listwise"]["nobs"][0] == 242
    _compare(res, REFERENCE["mixed_wlsmv_listwise"], WLSMV_FIT_KEYS, 1e-3, 1e-3)
    assert any("Listwise deletion dropped 358 of 600 rows (60%)" in w for w in res["warnings"])


def test_a_category_empty_in_one_group_is_refused_naming_category_item_and_group(mixed) -> None:
    assert "some categories of variable `y9' are empty in group 2" in REFUSED["mixed_wlsmv_groups"]
    with pytest.raises(StatsError, match=r"Category 1 of y9 is empty in group 'Health' \(frequencies 1: 0, "):
        fit_cfa(mixed, MIXED, estimator="wlsmv", group="group")


def test_a_category_seen_only_in_dropped_rows_is_refused_as_lavaan_does(demo_raters) -> None:
    # Education raters used br2 = 1 only in rows that listwise deletion drops.
    assert "some categories of variable `br2' are empty" in REFUSED["demo_education_wlsmv"]
    with pytest.raises(StatsError, match="Category 1 of br2 is empty among the rows analysed"):
        fit_cfa(_rows_of(demo_raters, "Education and early years"), DEMO_HEALTH, ordered=True)


def test_pairwise_deletion_is_refused_for_ml(mixed) -> None:
    with pytest.raises(StatsError, match="Pairwise deletion is available for WLSMV"):
        fit_cfa(mixed, MIXED_MISSING, estimator="ml", missing="pairwise")
