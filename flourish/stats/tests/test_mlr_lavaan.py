"""Robust ML (``--estimator mlr``) against lavaan's ``estimator = "MLR"``.

Reference values: flourish/stats/tests/fiml_reference.py (``Rscript bench/fiml_reference.R``,
lavaan 0.6.14): Holzinger-Swineford, one group and the two schools.  MLR keeps the ML estimates
and changes the standard errors (sandwich with the observed information as bread) and the test
(Yuan-Bentler scaled chi-square, lavaan's "yuan.bentler.mplus").  Achieved agreement: SEs to
2e-5, scaled chi-square to 1e-6 relative, scaling factors and scaled/robust CFI, TLI and RMSEA
to 1e-6 (the remainder is lavaan's optimiser tolerance on the estimates).  Tests use 1e-4
(relative 1e-6 for the chi-squares) and 1e-3 on z.
"""
import io
import json

import pytest

from flourish.stats.cfa import fit_cfa
from flourish.stats.cli import main
from flourish.stats.errors import StatsError
from flourish.stats.tests.conftest import HS_MODEL
from flourish.stats.tests.fiml_reference import REFERENCE
from flourish.stats.tests.test_cli import HS

SCALED_KEYS = ["chisq", "df", "chisq_scaled", "df_scaled", "pvalue_scaled", "chisq_scaling_factor",
               "baseline_chisq_scaled", "baseline_chisq_scaling_factor", "scaling_factor_h1", "scaling_factor_h0",
               "cfi", "tli", "cfi_scaled", "tli_scaled", "nfi_scaled", "rfi_scaled", "ifi_scaled", "rni_scaled",
               "cfi_robust", "tli_robust", "rmsea", "rmsea_scaled", "rmsea_ci_lower_scaled", "rmsea_ci_upper_scaled",
               "rmsea_pvalue_scaled", "rmsea_robust", "rmsea_ci_lower_robust", "rmsea_ci_upper_robust",
               "rmsea_pvalue_robust", "srmr", "logl", "aic", "bic"]


def compare(res, ref, keys, tol=1e-4, z_tol=1e-3):
    assert res["converged"] is True
    for k in keys:
        want, got = ref["fit"][k], res["fit"][k]
        assert abs(got - want) <= max(tol, 1e-6 * abs(want)), f"fit {k}: {got} vs lavaan {want}"
    mine = {(p["lhs"], p["op"], p["rhs"], p["group"]): p for p in res["parameters"]}
    for p in ref["parameters"]:
        q = mine[(p["lhs"], p["op"], p["rhs"], p["group"])]
        for col in ("est", "se", "std_all", "pvalue"):
            if p[col] is not None:
                assert abs(q[col] - p[col]) <= tol, f"{p['lhs']} {p['op']} {p['rhs']} {col}: {q[col]} vs {p[col]}"
        if p["z"] is not None:
            assert abs(q["z"] - p["z"]) <= z_tol, (p, q)


@pytest.mark.parametrize("case,kw", [("mlr", {}), ("mlr_configural", {"group": "school"})])
def test_robust_ml_matches_lavaans_mlr(hs, case, kw):
    res = fit_cfa(hs, HS_MODEL, estimator="mlr", **kw)
    assert res["estimator"] == "MLR"
    compare(res, REFERENCE[case], SCALED_KEYS)


def test_mlr_changes_the_standard_errors_and_the_test_but_not_the_estimates(hs):
    ml = fit_cfa(hs, HS_MODEL)
    mlr = fit_cfa(hs, HS_MODEL, estimator="mlr")
    pairs = [(a, b) for a, b in zip(ml["parameters"], mlr["parameters"]) if a["free"]]
    assert all(abs(a["est"] - b["est"]) < 1e-9 for a, b in pairs)
    # speed =~ x9: ML se .151, robust .266 (lavaan: 0.26637589667)
    x9 = next(b for a, b in pairs if b["lhs"] == "speed" and b["rhs"] == "x9")
    assert abs(x9["se"] - 0.26637589667) < 1e-4
    assert abs(mlr["fit"]["chisq_scaled"] - ml["fit"]["chisq"] / mlr["fit"]["chisq_scaling_factor"]) < 1e-9
    assert "chisq_scaled" not in ml["fit"]


def test_mlr_is_refused_for_ordinal_items(hs):
    with pytest.raises(StatsError, match="MLR .* continuous items"):
        fit_cfa(hs, HS_MODEL, estimator="mlr", ordered=True)


def test_the_command_line_reports_the_scaled_test():
    out, err = io.StringIO(), io.StringIO()
    assert main(["cfa", HS, "--model", HS_MODEL, "--estimator", "mlr", "--format", "json"], out, err) == 0
    res = json.loads(out.getvalue())
    assert res["estimator"] == "MLR"
    assert abs(res["fit"]["chisq_scaled"] - REFERENCE["mlr"]["fit"]["chisq_scaled"]) < 1e-3
    out = io.StringIO()
    assert main(["cfa", HS, "--model", HS_MODEL, "--estimator", "mlr"], out, err) == 0
    text = out.getvalue()
    assert "Flourish CFA (MLR)" in text and "chisq_scaled" in text and "Yuan-Bentler" in text


def test_robust_ml_with_missing_answers_matches_lavaans_mlr_with_fiml():
    from flourish.stats.io import read_csv
    from flourish.stats.tests.test_fiml_lavaan import MCAR
    res = fit_cfa(read_csv(MCAR), HS_MODEL, estimator="mlr", missing="ml")
    assert res["estimator"] == "MLR" and res["missing"] == "ml" and res["n"] == 301
    robust = {"cfi_robust", "tli_robust", "rmsea_robust", "rmsea_ci_lower_robust", "rmsea_ci_upper_robust",
              "rmsea_pvalue_robust"}
    assert robust <= set(SCALED_KEYS)
    # the "robust" indices are lavaan's FIML-corrected ones (Zhang & Savalei 2022), not the complete-data formula
    compare(res, REFERENCE["fiml_mlr"], SCALED_KEYS)
