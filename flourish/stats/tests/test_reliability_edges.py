"""The reliability report on small hand-computed scales: every field it publishes, the
refusals and the notes it gives, and the edges (3 complete cases, constant items, two items).
Written against the mutants of flourish/stats/reliability.py that the older tests let
through (`make mutation`)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from flourish.stats.errors import StatsError
from flourish.stats.reliability import cronbach_alpha, feldt_ci, missingness, missingness_by_group, scale_reliability

# Five respondents, three items on a 1..5 scale; the fourth misses item c.
DATA = {
    "a": [1, 2, 4, 5, 3],
    "b": [1, 2, 5, 4, 3],
    "c": [1, 3, 4, None, 3],
}
COMPLETE = np.array([[1, 1, 1], [2, 2, 3], [4, 5, 4], [3, 3, 3]], dtype=float)


def test_the_report_publishes_every_field_with_its_hand_computed_value():
    r = scale_reliability(DATA, ["a", "b", "c"], "think", scale_min=1, scale_max=5, level=0.9)
    alpha = cronbach_alpha(COMPLETE)
    low, high = feldt_ci(alpha, 4, 3, 0.9)
    score = COMPLETE.mean(axis=1)
    assert r["scale"] == "think" and r["items"] == ["a", "b", "c"] and r["k"] == 3
    assert (r["n_total"], r["n_complete"]) == (5, 4)
    assert r["mean"] == pytest.approx(score.mean()) and r["sd"] == pytest.approx(score.std(ddof=1))
    assert r["alpha"] == pytest.approx(alpha)
    assert (r["alpha_ci_lower"], r["alpha_ci_upper"]) == (pytest.approx(low), pytest.approx(high))
    assert r["alpha_ci_level"] == 0.9
    assert r["alpha_ci_method"] == "Feldt (1965) F-based, as psych::alpha.ci"
    assert r["omega_method"].startswith("one-factor ML CFA (std.lv)")
    assert (r["scale_min"], r["scale_max"]) == (1.0, 5.0)
    assert r["floor_pct"] == pytest.approx(25.0)  # the first complete respondent answered 1 throughout
    assert r["ceiling_pct"] == 0.0
    assert r["missing_handling"].startswith("item statistics: available cases")

    c = next(i for i in r["item_statistics"] if i["item"] == "c")
    values = np.array([1, 3, 4, 3], dtype=float)
    assert c == {
        "item": "c", "n": 4, "missing": 1, "missing_pct": pytest.approx(20.0),
        "mean": pytest.approx(values.mean()), "sd": pytest.approx(values.std(ddof=1)),
        "floor_pct": pytest.approx(25.0), "ceiling_pct": 0.0,
        "item_rest_r": pytest.approx(np.corrcoef(COMPLETE[:, 2], COMPLETE[:, 0] + COMPLETE[:, 1])[0, 1]),
        "alpha_if_deleted": pytest.approx(cronbach_alpha(COMPLETE[:, :2])),
    }


def test_floor_and_ceiling_use_the_given_scale_not_the_observed_range():
    given = scale_reliability(DATA, ["a", "b", "c"], scale_min=0, scale_max=6)
    observed = scale_reliability(DATA, ["a", "b", "c"])
    assert (given["scale_min"], given["scale_max"]) == (0.0, 6.0)
    assert (observed["scale_min"], observed["scale_max"]) == (1.0, 5.0)
    a_given = next(i for i in given["item_statistics"] if i["item"] == "a")
    a_observed = next(i for i in observed["item_statistics"] if i["item"] == "a")
    assert a_given["floor_pct"] == 0.0 and a_given["ceiling_pct"] == 0.0
    assert a_observed["floor_pct"] == pytest.approx(20.0) and a_observed["ceiling_pct"] == pytest.approx(20.0)


def test_three_complete_respondents_are_enough_and_two_are_not():
    three = {"a": [1, 2, 3], "b": [1, 3, 3]}
    assert scale_reliability(three, ["a", "b"])["n_complete"] == 3
    with pytest.raises(StatsError, match="Scale 'pair': only 2 respondents answered every item; at least 3"):
        scale_reliability({"a": [1, 2, None], "b": [1, 3, 3]}, ["a", "b"], "pair")


def test_each_refusal_names_the_scale_and_what_is_wrong():
    with pytest.raises(StatsError, match=r"^Scale 'think' needs at least 2 items \(got 1\)\.$"):
        scale_reliability(DATA, ["a"], "think")
    with pytest.raises(StatsError, match=r"^Scale 'think' lists an item twice\.$"):
        scale_reliability(DATA, ["a", "a"], "think")
    with pytest.raises(StatsError, match=r"^Scale 'think': every response is missing\.$"):
        scale_reliability({"a": [None, None], "b": [None, None]}, ["a", "b"], "think")


def test_a_two_item_scale_has_no_omega_and_says_why():
    r = scale_reliability(DATA, ["a", "b"])
    assert r["omega_total"] is None
    assert r["omega_note"] == "omega needs at least 3 items (a one-factor model with 2 items is not identified)"
    # Deleting one of two items leaves one: no alpha for it.
    assert [i["alpha_if_deleted"] for i in r["item_statistics"]] == [None, None]


def test_a_three_item_scale_gets_omega_and_no_note():
    r = scale_reliability(DATA, ["a", "b", "c"])
    assert r["omega_total"] is not None and 0 < r["omega_total"] <= 1
    assert "omega_note" not in r


def test_a_constant_item_has_no_item_rest_correlation_and_a_constant_scale_no_alpha():
    data = {"a": [3, 3, 3, 3], "b": [1, 2, 3, 4], "c": [2, 2, 4, 5]}
    r = scale_reliability(data, ["a", "b", "c"])
    a = next(i for i in r["item_statistics"] if i["item"] == "a")
    assert a["item_rest_r"] is None and a["sd"] == 0.0
    flat = scale_reliability({"a": [3, 3, 3], "b": [2, 2, 2]}, ["a", "b"])
    assert flat["alpha"] is None
    assert flat["alpha_ci_lower"] is None and flat["alpha_ci_upper"] is None


def test_an_item_nobody_answered_among_others_has_no_mean_sd_or_floor():
    data = {"a": [1, 2, 3, 4], "b": [2, 3, 4, 4], "c": [None, None, None, None]}
    r = missingness(data, ["a", "c"])
    assert r == [
        {"item": "a", "n": 4, "missing": 0, "missing_pct": 0.0},
        {"item": "c", "n": 0, "missing": 4, "missing_pct": 100.0},
    ]


def test_missingness_of_an_empty_table_is_zero_percent_not_a_division_error():
    assert missingness({"a": []}, ["a"]) == [{"item": "a", "n": 0, "missing": 0, "missing_pct": 0.0}]


def test_missingness_by_group_keeps_first_appearance_order_and_names_blank_groups():
    data = {"a": [1, None, 3, 4, None], "g": ["y", " x ", "y", None, "x"]}
    out = missingness_by_group(data, ["a"], "g")
    assert list(out) == ["y", "x", "(missing)"]
    assert out["x"] == [{"item": "a", "n": 0, "missing": 2, "missing_pct": 100.0}]
    assert out["(missing)"] == [{"item": "a", "n": 1, "missing": 0, "missing_pct": 0.0}]
    with pytest.raises(StatsError, match="^Grouping column 'team' is not in the data.$"):
        missingness_by_group(data, ["a"], "team")


def test_the_feldt_interval_widens_with_the_level_and_brackets_alpha():
    narrow, wide = feldt_ci(0.8, 50, 5, 0.8), feldt_ci(0.8, 50, 5, 0.99)
    assert wide[0] < narrow[0] < 0.8 < narrow[1] < wide[1]
    assert all(math.isfinite(v) for v in narrow + wide)


def test_the_feldt_interval_uses_n_minus_one_and_n_minus_one_times_k_minus_one_degrees_of_freedom():
    # 1 - (1 - alpha) * F quantiles on (n - 1, (n - 1)(k - 1)) df, as psych::alpha.ci.
    assert feldt_ci(0.8, 10, 3, 0.95) == (pytest.approx(0.41417750137534737, abs=1e-12),
                                          pytest.approx(0.9459675721275358, abs=1e-12))
    assert feldt_ci(0.6, 6, 4, 0.9) == (pytest.approx(-0.160517814494463, abs=1e-12),
                                        pytest.approx(0.9133966526682027, abs=1e-12))


def test_items_that_cancel_out_have_no_alpha_rather_than_minus_infinity():
    # The total is constant (4, 4, 4) although each item varies.
    assert math.isnan(cronbach_alpha(np.array([[1, 3], [2, 2], [3, 1]], dtype=float)))


def test_item_rest_correlations_are_computed_for_items_of_small_spread_too():
    data = {"a": [1, 1, 2, 2, 1], "b": [1, 2, 1, 2, 2], "c": [1, 1, 2, 2, 2]}
    r = scale_reliability(data, ["a", "b", "c"])
    X = np.array([data["a"], data["b"], data["c"]], dtype=float).T
    for j, item in enumerate(r["item_statistics"]):
        rest = X.sum(axis=1) - X[:, j]
        assert item["item_rest_r"] == pytest.approx(np.corrcoef(X[:, j], rest)[0, 1])


def test_an_unnamed_scale_is_called_scale_and_the_missing_handling_is_stated_in_full():
    r = scale_reliability(DATA, ["a", "b"])
    assert r["scale"] == "scale"
    assert r["missing_handling"] == ("item statistics: available cases; alpha, omega, item-rest r, scale score: "
                                     "complete cases (listwise)")
