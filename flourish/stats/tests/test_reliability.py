import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flourish.stats.errors import StatsError
from flourish.stats.reliability import cronbach_alpha, feldt_ci, missingness, missingness_by_group, scale_reliability


def test_alpha_hand_computed():
    X = np.array([[1, 2, 3], [2, 3, 3], [3, 3, 4], [4, 5, 5], [5, 4, 5]], dtype=float)
    k = 3
    want = k / (k - 1) * (1 - X.var(axis=0, ddof=1).sum() / X.sum(axis=1).var(ddof=1))
    assert cronbach_alpha(X) == pytest.approx(want)
    # from the covariance matrix: k/(k-1) * (1 - tr(C)/sum(C))
    C = np.cov(X.T)
    assert cronbach_alpha(X) == pytest.approx(k / (k - 1) * (1 - np.trace(C) / C.sum()))


def test_feldt_ci_known_value():
    # psych::alpha.ci(0.8, n.obs = 100, n.var = 10): 0.74, 0.85
    lo, hi = feldt_ci(0.8, 100, 10)
    assert round(lo, 2) == 0.74 and round(hi, 2) == 0.85
    assert lo < 0.8 < hi


def test_hs_visual_scale(hs):
    r = scale_reliability(hs, ["x1", "x2", "x3"], "visual")
    X = np.column_stack([[float(v) for v in hs[c]] for c in ("x1", "x2", "x3")])
    assert r["alpha"] == pytest.approx(cronbach_alpha(X))
    assert r["n_complete"] == 301 and r["k"] == 3
    assert r["alpha_ci_lower"] < r["alpha"] < r["alpha_ci_upper"]
    # omega from the one-factor CFA (lavaan: cfa('F =~ x1 + x2 + x3', std.lv = TRUE) is just-identified)
    assert 0.5 < r["omega_total"] < 0.8
    it = {i["item"]: i for i in r["item_statistics"]}
    rest = X[:, 1] + X[:, 2]
    assert it["x1"]["item_rest_r"] == pytest.approx(np.corrcoef(X[:, 0], rest)[0, 1])
    assert it["x1"]["alpha_if_deleted"] == pytest.approx(cronbach_alpha(X[:, 1:]))
    assert it["x2"]["mean"] == pytest.approx(X[:, 1].mean())
    assert it["x2"]["sd"] == pytest.approx(X[:, 1].std(ddof=1))


def test_omega_formula_on_simulated_one_factor():
    rng = np.random.default_rng(11)
    lam = np.array([0.8, 0.7, 0.6, 0.5])
    theta = 1 - lam ** 2
    f = rng.normal(size=20000)
    X = f[:, None] * lam + rng.normal(size=(20000, 4)) * np.sqrt(theta)
    r = scale_reliability({f"i{j}": X[:, j] for j in range(4)}, [f"i{j}" for j in range(4)])
    want = lam.sum() ** 2 / (lam.sum() ** 2 + theta.sum())
    assert r["omega_total"] == pytest.approx(want, abs=0.01)


def test_missing_handling_and_floor_ceiling():
    data = {"a": [1, 5, 3, np.nan, 5, 1], "b": [1, 5, 2, 4, 5, 2], "c": [1, 5, 4, 4, np.nan, 1]}
    r = scale_reliability(data, ["a", "b", "c"], "s", scale_min=1, scale_max=5)
    assert r["n_total"] == 6 and r["n_complete"] == 4
    items = {i["item"]: i for i in r["item_statistics"]}
    assert items["a"]["n"] == 5 and items["a"]["missing"] == 1
    assert items["a"]["floor_pct"] == pytest.approx(40.0) and items["a"]["ceiling_pct"] == pytest.approx(40.0)
    assert r["floor_pct"] == pytest.approx(25.0)  # 1 of 4 complete cases at the minimum
    assert r["ceiling_pct"] == pytest.approx(25.0)
    assert r["omega_total"] is None or math.isfinite(r["omega_total"])
    m = missingness(data, ["a", "b", "c"])
    assert [x["missing"] for x in m] == [1, 0, 1]


def test_missingness_by_group():
    data = {"a": [1, "", 3, 4], "g": ["x", "x", "y", "y"]}
    out = missingness_by_group(data, ["a"], "g")
    assert out["x"][0]["missing"] == 1 and out["y"][0]["missing"] == 0


def test_errors():
    with pytest.raises(StatsError, match="at least 2 items"):
        scale_reliability({"a": [1, 2]}, ["a"])
    with pytest.raises(StatsError, match="not in the data"):
        scale_reliability({"a": [1, 2]}, ["a", "b"])
    with pytest.raises(StatsError, match="only 1 respondents"):
        scale_reliability({"a": [1, np.nan], "b": [2, 3]}, ["a", "b"])


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.floats(min_value=-50, max_value=50),
       st.floats(min_value=0.1, max_value=10))
def test_alpha_invariant_to_linear_rescaling(seed, shift, scale):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, 4)) + rng.normal(size=(30, 1))
    assert cronbach_alpha(X * scale + shift) == pytest.approx(cronbach_alpha(X), abs=1e-9)
    assert cronbach_alpha(X) <= 1.0
