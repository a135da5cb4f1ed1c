"""Every bad input gives a StatsError with a readable message; failures are never silent."""
import numpy as np
import pytest

from flourish.stats.cfa import fit_cfa
from flourish.stats.cfa import ml as ml_module
from flourish.stats.errors import StatsError
from flourish.stats.tests.conftest import HS_MODEL


def test_variables_not_in_data(hs):
    with pytest.raises(StatsError, match="not in the data: zz"):
        fit_cfa(hs, "f =~ x1 + x2 + zz")


def test_non_numeric_column(hs):
    with pytest.raises(StatsError, match="'school' is not numeric"):
        fit_cfa(hs, "f =~ x1 + x2 + school")


def test_too_few_rows():
    data = {f"x{i}": [1.0, 2.0, 3.0, 2.0] for i in range(1, 7)}
    with pytest.raises(StatsError, match="Too few complete rows"):
        fit_cfa(data, "f =~ x1 + x2 + x3\ng =~ x4 + x5 + x6")


def test_unidentified_df_negative(hs):
    with pytest.raises(StatsError, match="not identified"):
        fit_cfa(hs, "f =~ x1 + x2")


def test_unidentified_no_scale(hs):
    with pytest.raises(StatsError, match="has no scale"):
        fit_cfa(hs, "f =~ NA*x1 + x2 + x3")


def test_unidentified_singular_information(hs):
    # two factors measured by the same two items: df >= 0 but not identified
    with pytest.raises(StatsError, match="not identified"):
        fit_cfa(hs, "f =~ x1 + x2 + x3 + x4\ng =~ x1 + x2 + x3 + x4")


@pytest.mark.parametrize("syntax,msg", [
    ("f ~ x1 + x2", "regressions"),
    ("f =~ x1 + + x2", "empty term"),
    ("f =~ x1 + 2*3*x2", "more than one"),
    ("", "empty"),
    ("x1 ~~ x2", "no factor"),
    ("f =~ x1 + x2 + x3\nf := 2", "not supported"),
    ("f =~ x1 + x2 + x3\nx9 ~~ x1", "not an indicator"),
])
def test_syntax_errors(hs, syntax, msg):
    with pytest.raises(StatsError, match=msg):
        fit_cfa(hs, syntax)


def test_unknown_estimator(hs):
    with pytest.raises(StatsError, match="Unknown estimator"):
        fit_cfa(hs, HS_MODEL, estimator="gls")


def test_constant_item(hs):
    data = dict(hs)
    data["x1"] = ["3"] * len(hs["x1"])
    with pytest.raises(StatsError, match="no variation"):
        fit_cfa(data, HS_MODEL)


def test_ordinal_with_too_many_values(hs):
    with pytest.raises(StatsError, match="not an ordinal"):
        fit_cfa(hs, HS_MODEL, estimator="wlsmv")


def test_nonconvergence_is_reported_not_hidden(hs, monkeypatch):
    def never(value, grad_info, x0, max_iter=500, tol=1e-10):
        return np.asarray(x0), value(x0), False, max_iter
    monkeypatch.setattr(ml_module, "fisher_scoring", never)
    res = fit_cfa(hs, HS_MODEL)
    assert res["converged"] is False
    assert res["parameters"] == [] and res["fit"] == {}
    assert any("did not converge" in w for w in res["warnings"])


def test_missing_values_listwise(hs):
    data = {k: list(v) for k, v in hs.items()}
    for i in range(10):
        data["x1"][i] = ""
    data["x5"][20] = "NA"
    res = fit_cfa(data, HS_MODEL)
    assert res["n"] == 290 and res["n_dropped"] == 11


def test_group_column_problems(hs):
    with pytest.raises(StatsError, match="Grouping column"):
        fit_cfa(hs, HS_MODEL, group="nope")
    data = dict(hs)
    data["one"] = ["a"] * len(hs["x1"])
    with pytest.raises(StatsError, match="fewer than two groups"):
        fit_cfa(data, HS_MODEL, group="one")
