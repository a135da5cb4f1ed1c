"""Raters nested in leaders: cluster-robust CFA against lavaan 0.6.14's ``cluster =``.

References: flourish/stats/tests/cluster_reference.py from ``Rscript bench/cluster_reference.R``
(data simulated there, set.seed(1414): 60 leaders with 10 to 20 raters each, 879 rows, about
15 % of the factor variance between leaders).  lavaan there uses ML with se = "robust.cluster"
and test = "yuan.bentler.mplus"; the exact calls are in ``R_CALLS``.
Tolerances: 1e-4 absolute on estimates, robust SEs, std_all, p-values and every scaled and
robust fit measure (z to 1e-3); ICC(1) and design effects to 1e-9 (closed form).
"""
from __future__ import annotations

import io
import json
import os

import numpy as np
import pytest

from flourish.stats.cfa import fit_cfa, invariance
from flourish.stats.cfa.cluster import difference_test, icc1, numerical_hessian, observed_information, score_meat
from flourish.stats.cli import main
from flourish.stats.errors import StatsError
from flourish.stats.io import read_csv
from flourish.stats.tests.cluster_reference import (
    ICC1,
    LAVAAN_VERSION,
    LRT,
    MEAN_CLUSTER_SIZE,
    N_CLUSTERS,
    OPTIONS,
    REFERENCE,
)
from flourish.stats.tests.conftest import DATA
from flourish.stats.tests.test_cfa_lavaan import ML_FIT_KEYS, _compare

PATH = os.path.join(DATA, "clustered_raters.csv")
MODEL = "f1 =~ y1 + y2 + y3 + y4\nf2 =~ y5 + y6 + y7 + y8"
ROBUST_FIT_KEYS = ML_FIT_KEYS + [
    "chisq_scaled", "df_scaled", "pvalue_scaled", "chisq_scaling_factor", "scaling_factor_h1",
    "scaling_factor_h0", "baseline_chisq_scaled", "baseline_pvalue_scaled", "baseline_chisq_scaling_factor",
    "cfi_scaled", "tli_scaled", "cfi_robust", "tli_robust", "nnfi_scaled", "rni_scaled", "nnfi_robust",
    "rni_robust", "rmsea_scaled", "rmsea_ci_lower_scaled", "rmsea_ci_upper_scaled", "rmsea_pvalue_scaled",
    "rmsea_robust", "rmsea_ci_lower_robust", "rmsea_ci_upper_robust", "rmsea_pvalue_robust"]


@pytest.fixture(scope="module")
def raters() -> dict[str, list[str]]:
    return read_csv(PATH)


def test_the_references_come_from_lavaan_0_6_14_with_its_cluster_defaults() -> None:
    assert LAVAAN_VERSION == "0.6.14"
    assert OPTIONS == {"estimator": "ML", "se": "robust.cluster", "test": "yuan.bentler.mplus",
                       "information": "observed"}


@pytest.mark.parametrize("case, options", [
    ("cluster_ml", {}),
    ("cluster_std_lv", {"std_lv": True}),
    ("cluster_groups", {"group": "profession"}),
])
def test_cluster_robust_estimates_errors_and_scaled_tests_match_lavaan(raters, case: str, options) -> None:
    res = fit_cfa(raters, MODEL, cluster="leader", **options)
    assert (res["se"], res["test"]) == ("robust.cluster", "yuan.bentler.mplus")
    _compare(res, REFERENCE[case], ROBUST_FIT_KEYS, 1e-4, 1e-3)


def test_with_estimator_mlr_named_lavaan_scales_the_test_with_the_hessian_and_so_can_we(raters) -> None:
    # lavaan's cfa(..., cluster =, estimator = "MLR") keeps observed.information = "hessian" for the test
    # too; robust_ml(test_information="hessian") is that variant (for the MLR estimator to call).
    from flourish.stats.cfa import ml
    from flourish.stats.cfa.api import _prepare
    from flourish.stats.cfa.cluster import cluster_labels, robust_fit_measures, robust_ml
    from flourish.stats.cfa.fitmeasures import ml_fit_measures
    from flourish.stats.cfa.model import build_model
    from flourish.stats.cfa.syntax import parse_model

    statements = parse_model(MODEL)
    names = build_model(statements).ov_names
    groups = _prepare(raters, names, None).groups
    model = build_model(statements, meanstructure=True)
    stats = ml.sample_stats(groups)
    est = ml.fit_ml(model, stats)
    rob = robust_ml(model, est["x"], stats, groups, cluster_labels(raters, "leader", names, None),
                    test_information="hessian")
    fit = ml_fit_measures(model, stats, est["fmin"], model.implied(est["x"]))
    fit.update(robust_fit_measures(fit, rob, 1))
    want = REFERENCE["cluster_mlr"]["fit"]
    for k in ("chisq_scaled", "chisq_scaling_factor", "cfi_robust", "rmsea_robust", "baseline_chisq_scaled"):
        assert fit[k] == pytest.approx(want[k], abs=1e-4), k
    assert fit["chisq_scaled"] != pytest.approx(REFERENCE["cluster_ml"]["fit"]["chisq_scaled"], abs=1e-3)


def test_ignoring_the_leaders_gives_standard_errors_that_are_too_small(raters) -> None:
    naive = fit_cfa(raters, MODEL, meanstructure=True)
    _compare(naive, REFERENCE["naive_ml"], ML_FIT_KEYS, 1e-4, 1e-3)
    robust = fit_cfa(raters, MODEL, cluster="leader")
    se = {(p["lhs"], p["op"], p["rhs"]): p["se"] for p in robust["parameters"] if p["free"]}
    naive_se = {(p["lhs"], p["op"], p["rhs"]): p["se"] for p in naive["parameters"] if p["free"]}
    # an item's mean is where the leader effect shows: its variance grows by about the design effect
    deff = {it["item"]: it["design_effect"] for it in robust["clustering"]["items"]}
    for i in range(1, 9):
        ratio = (se[(f"y{i}", "~1", "")] / naive_se[(f"y{i}", "~1", "")]) ** 2
        assert ratio > 1.6 and ratio == pytest.approx(deff[f"y{i}"], rel=0.15)
    assert robust["fit"]["chisq"] == pytest.approx(naive["fit"]["chisq"], abs=1e-8)  # same ML estimates


def test_icc1_and_the_design_effect_per_item_match_the_anova_estimates(raters) -> None:
    res = fit_cfa(raters, MODEL, cluster="leader")
    info = res["clustering"]
    assert (info["cluster"], info["n_clusters"]) == ("leader", N_CLUSTERS)
    assert info["mean_cluster_size"] == pytest.approx(MEAN_CLUSTER_SIZE, abs=1e-12)
    assert [it["item"] for it in info["items"]] == [f"y{i}" for i in range(1, 9)]
    for it in info["items"]:
        assert it["icc1"] == pytest.approx(ICC1[it["item"]]["icc1"], abs=1e-9)
        assert it["design_effect"] == pytest.approx(ICC1[it["item"]]["design_effect"], abs=1e-9)
    assert min(it["icc1"] for it in info["items"]) > 0.04  # a real ICC, as on Flourish's demo data


def test_a_leader_with_no_spread_between_leaders_has_icc_near_zero_and_identical_leaders_one() -> None:
    rng = np.random.default_rng(3)
    clusters = np.repeat(np.arange(40), 10)
    assert abs(icc1(rng.normal(size=400), clusters)) < 0.05
    assert icc1(np.repeat(rng.normal(size=40), 10), clusters) == pytest.approx(1.0)


def test_the_meat_sums_scores_within_clusters_with_lavaans_small_sample_factor() -> None:
    scores = np.array([[1.0, 0.0], [1.0, 1.0], [-1.0, 2.0], [0.0, -3.0]])
    plain = score_meat(scores, None)
    assert plain == pytest.approx(scores.T @ scores / 4)
    summed = np.array([[2.0, 1.0], [-1.0, -1.0]])  # clusters a = rows 0, 1 and b = rows 2, 3
    assert score_meat(scores, np.array(["a", "a", "b", "b"])) == pytest.approx(summed.T @ summed / 4 * 2)


def test_the_cli_prints_cluster_robust_results_with_iccs_and_json_has_them(raters) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["cfa", PATH, "--model", MODEL, "--cluster", "leader"], out, err) == 0, err.getvalue()
    text = out.getvalue()
    assert "Clusters: 60 values of 'leader'" in text and "cluster-robust" in text
    assert "ICC(1)" in text and "design effect" in text and "chisq_scaled" in text
    out = io.StringIO()
    assert main(["cfa", PATH, "--model", MODEL, "--cluster", "leader", "--format", "json"], out, err) == 0
    res = json.loads(out.getvalue())
    assert res["fit"]["chisq_scaled"] == pytest.approx(REFERENCE["cluster_ml"]["fit"]["chisq_scaled"], abs=1e-4)
    assert len(res["clustering"]["items"]) == 8


def test_a_missing_cluster_column_or_cluster_value_is_refused_with_where(raters) -> None:
    with pytest.raises(StatsError, match="Cluster column 'rater_of' is not in the data"):
        fit_cfa(raters, MODEL, cluster="rater_of")
    broken = dict(raters)
    broken["leader"] = list(raters["leader"])
    broken["leader"][4] = ""
    with pytest.raises(StatsError, match=r"empty in 1 analysed row\(s\) \(first at line 6"):
        fit_cfa(broken, MODEL, cluster="leader")


def test_clustering_is_refused_for_wlsmv_and_for_one_cluster(raters) -> None:
    with pytest.raises(StatsError, match="ML and MLR only, not yet for WLSMV"):
        fit_cfa(raters, MODEL, estimator="wlsmv", cluster="leader")
    with pytest.raises(StatsError, match="--cluster with --missing ml is not available yet"):
        fit_cfa(raters, MODEL, cluster="leader", missing="ml")
    one = dict(raters)
    one["leader"] = ["same"] * len(raters["leader"])
    with pytest.raises(StatsError, match="at least 2 clusters"):
        fit_cfa(one, MODEL, cluster="leader")


def test_mlr_with_clusters_is_the_same_cluster_sandwich_as_ml_with_clusters(raters) -> None:
    # lavaan: cluster = turns ML into MLR with robust.cluster SEs, so asking for MLR changes nothing.
    as_ml = fit_cfa(raters, MODEL, cluster="leader")
    as_mlr = fit_cfa(raters, MODEL, estimator="mlr", cluster="leader")
    assert [p["se"] for p in as_mlr["parameters"]] == [p["se"] for p in as_ml["parameters"]]


def test_clustered_invariance_steps_are_compared_by_lavaans_scaled_difference_test(raters) -> None:
    res = invariance(raters, MODEL, group="profession", cluster="leader")
    assert res["cluster"] == "leader"
    rows = {r["model"]: r for r in res["table"]}
    _compare(res["fits"]["configural"], REFERENCE["cluster_groups"], ROBUST_FIT_KEYS, 1e-4, 1e-3)
    for step, want in zip(("metric", "scalar"), LRT["configural_metric_scalar"]):
        got = rows[step]
        assert got["delta_method"] == "Satorra-Bentler 2001 scaled difference"
        assert got["delta_df"] == want["df_diff"]
        assert got["delta_chisq"] == pytest.approx(want["chisq_diff"], abs=1e-4)
        assert got["delta_pvalue"] == pytest.approx(want["pvalue"], abs=1e-4)
        assert "cfi_robust" in got and "delta_cfi_robust" in got


def test_a_scaled_difference_with_a_negative_scaling_factor_is_not_available_as_in_lavaan(raters) -> None:
    two = fit_cfa(raters, MODEL, cluster="leader")
    one = fit_cfa(raters, "g =~ y1 + y2 + y3 + y4 + y5 + y6 + y7 + y8", cluster="leader")
    assert LRT["two_factors_vs_one"][0]["chisq_diff"] is None  # lavaan: "scaling factor is negative"
    test = difference_test(one["fit"], two["fit"])
    assert test["delta_chisq"] is None and test["delta_pvalue"] is None and test["delta_df"] == 1
    assert "scaling factor is negative" in test["delta_note"]
    plain = difference_test({"chisq": 12.0, "df": 10}, {"chisq": 2.0, "df": 8})
    assert plain["delta_method"] == "likelihood ratio" and plain["delta_chisq"] == 10.0


def test_the_cli_runs_clustered_invariance_and_says_how_steps_are_compared() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["cfa", PATH, "--model", MODEL, "--group", "profession", "--invariance", "--cluster", "leader"],
                out, err)
    assert code == 0, err.getvalue()
    assert "Satorra-Bentler (2001) scaled difference" in out.getvalue() and "5.207" in out.getvalue()


@pytest.mark.parametrize("group, equal", [(None, ()), ("profession", ("loadings", "intercepts"))])
def test_the_analytic_hessian_equals_lavaans_differenced_gradient(raters, group, equal) -> None:
    from flourish.stats.cfa import ml
    from flourish.stats.cfa.api import _prepare
    from flourish.stats.cfa.model import build_model
    from flourish.stats.cfa.syntax import parse_model

    statements = parse_model(MODEL + "\ny1 ~~ y5")
    groups = _prepare(raters, build_model(statements).ov_names, group).groups
    model = build_model(statements, n_groups=len(groups), meanstructure=True, group_equal=equal)
    stats = ml.sample_stats(groups)
    x = ml.fit_ml(model, stats)["x"]
    objective = ml.MLObjective(model, stats)
    differenced = numerical_hessian(lambda v: objective.gradient_information(v)[0], x)
    assert np.abs(observed_information(model, x, stats) - differenced).max() < 1e-7
