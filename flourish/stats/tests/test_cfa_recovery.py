"""Recovery of known parameters from data simulated (seeded) inside the tests."""
import numpy as np
import pytest

from flourish.stats.cfa import fit_cfa
from flourish.stats.cfa.polychoric import bvn_cdf
from flourish.stats.cfa.syntax import parse_model

LAMBDA = np.array([[1.0, 0], [0.8, 0], [1.2, 0], [0.9, 0], [0, 1.0], [0, 0.7], [0, 1.1], [0, 0.6]])
PSI = np.array([[0.6, 0.25], [0.25, 0.9]])
THETA = np.array([0.5, 0.4, 0.7, 0.3, 0.6, 0.5, 0.4, 0.8])
NAMES = [f"y{i}" for i in range(1, 9)]
MODEL = "f1 =~ y1 + y2 + y3 + y4\nf2 =~ y5 + y6 + y7 + y8"


def simulate(n, seed):
    rng = np.random.default_rng(seed)
    eta = rng.multivariate_normal([0, 0], PSI, size=n)
    return eta @ LAMBDA.T + rng.normal(size=(n, 8)) * np.sqrt(THETA) + 3.0


def est(result, lhs, op, rhs):
    return next(p for p in result["parameters"] if (p["lhs"], p["op"], p["rhs"]) == (lhs, op, rhs))


def test_ml_recovers_parameters():
    Y = simulate(20000, 1)
    res = fit_cfa({n: Y[:, i] for i, n in enumerate(NAMES)}, MODEL)
    assert res["converged"]
    for i, n in enumerate(NAMES):
        f = "f1" if i < 4 else "f2"
        assert est(res, f, "=~", n)["est"] == pytest.approx(LAMBDA[i].sum(), abs=0.05)
        assert est(res, n, "~~", n)["est"] == pytest.approx(THETA[i], abs=0.05)
    assert est(res, "f1", "~~", "f2")["est"] == pytest.approx(0.25, abs=0.03)
    # correct model: chi-square is about df
    assert res["fit"]["df"] == 19
    assert res["fit"]["pvalue"] > 0.001
    assert res["fit"]["cfi"] > 0.99 and res["fit"]["rmsea"] < 0.02


def test_se_matches_sampling_variability():
    # the ML standard error of a loading should match its spread over replications
    ests, ses = [], []
    for seed in range(40):
        Y = simulate(400, 100 + seed)
        r = fit_cfa({n: Y[:, i] for i, n in enumerate(NAMES)}, MODEL)
        p = est(r, "f1", "=~", "y2")
        ests.append(p["est"])
        ses.append(p["se"])
    assert np.std(ests, ddof=1) == pytest.approx(np.mean(ses), rel=0.3)


def test_wlsmv_recovers_standardised_loadings():
    rng = np.random.default_rng(7)
    n = 4000
    std_load = np.array([0.8, 0.7, 0.6, 0.75, 0.65, 0.7])
    phi = 0.4
    eta = rng.multivariate_normal([0, 0], [[1, phi], [phi, 1]], size=n)
    L = np.zeros((6, 2))
    L[:3, 0] = std_load[:3]
    L[3:, 1] = std_load[3:]
    ystar = eta @ L.T + rng.normal(size=(n, 6)) * np.sqrt(1 - std_load ** 2)
    cuts = np.array([-1.0, 0.0, 0.8])
    Y = (ystar[:, :, None] > cuts).sum(axis=2) + 1
    data = {f"o{i + 1}": Y[:, i] for i in range(6)}
    res = fit_cfa(data, "a =~ o1 + o2 + o3\nb =~ o4 + o5 + o6", estimator="wlsmv")
    assert res["converged"]
    for i in range(6):
        p = est(res, "a" if i < 3 else "b", "=~", f"o{i + 1}")
        assert p["std_all"] == pytest.approx(std_load[i], abs=0.05)
    assert est(res, "a", "~~", "b")["std_all"] == pytest.approx(phi, abs=0.05)
    th = [p["est"] for p in res["parameters"] if p["op"] == "|" and p["lhs"] == "o1"]
    assert th == pytest.approx(list(cuts), abs=0.08)
    assert res["fit"]["pvalue_scaled"] > 0.001


def test_bivariate_normal_cdf_against_scipy():
    from scipy.stats import multivariate_normal
    rng = np.random.default_rng(3)
    h, k = rng.normal(size=40) * 1.5, rng.normal(size=40) * 1.5
    r = rng.uniform(-0.99, 0.99, size=40)
    got = bvn_cdf(h, k, r)
    want = [multivariate_normal([0, 0], [[1, c], [c, 1]]).cdf([a, b]) for a, b, c in zip(h, k, r)]
    assert np.max(np.abs(got - np.array(want))) < 1e-7


def test_syntax_features():
    st = parse_model("""
        f1 =~ NA*x1 + a*x2   # comment
           + 0.5*x3
        f1 ~~ 1*f1; x1 ~~ x2
    """)
    assert [s.op for s in st] == ["=~", "~~", "~~"]
    t = st[0].terms
    assert t[0].free and t[1].label == "a" and t[2].fixed == 0.5 and len(t) == 3


def test_fixed_values_and_labels_are_respected():
    Y = simulate(2000, 5)
    data = {n: Y[:, i] for i, n in enumerate(NAMES)}
    res = fit_cfa(data, "f1 =~ y1 + a*y2 + a*y3 + y4\nf2 =~ y5 + y6 + y7 + y8\nf1 ~~ 0*f2")
    assert est(res, "f1", "~~", "f2")["est"] == 0.0 and est(res, "f1", "~~", "f2")["se"] == 0.0
    assert est(res, "f1", "=~", "y2")["est"] == est(res, "f1", "=~", "y3")["est"]
    assert res["fit"]["df"] == 21  # 19 + 1 (equal loadings) + 1 (zero covariance)
