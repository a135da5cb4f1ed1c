import io
import json
import os

import numpy as np

from flourish.stats.cfa import ml as ml_module
from flourish.stats.cli import main
from flourish.stats.tests.conftest import DATA, HS_MODEL

HS = os.path.join(DATA, "holzinger_swineford_1939.csv")
HSO = os.path.join(DATA, "hs_ordinal5.csv")


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def test_cfa_json():
    code, out, err = run(["cfa", HS, "--model", HS_MODEL, "--format", "json"])
    assert code == 0, err
    res = json.loads(out)
    assert res["converged"] is True and res["n"] == 301 and res["estimator"] == "ML"
    assert abs(res["fit"]["chisq"] - 85.3055) < 1e-3
    assert {"lhs", "op", "rhs", "est", "se", "z", "pvalue", "std_all"} <= set(res["parameters"][0])


def test_cfa_text_and_model_file(tmp_path):
    spec = tmp_path / "hs.lav"
    spec.write_text(HS_MODEL)
    code, out, _ = run(["cfa", HS, "--model", str(spec), "--format", "text"])
    assert code == 0
    assert "converged: yes" in out and "visual" in out and "rmsea" in out


def test_cfa_wlsmv_cli():
    code, out, _ = run(["cfa", HSO, "--model", HS_MODEL, "--ordered", "--format", "json"])
    assert code == 0
    res = json.loads(out)
    assert res["estimator"] == "WLSMV" and "chisq_scaled" in res["fit"]


def test_invariance_cli():
    code, out, _ = run(["cfa", HS, "--model", HS_MODEL, "--group", "school", "--invariance", "--format", "text"])
    assert code == 0
    assert "configural" in out and "metric" in out and "scalar" in out
    code, out, _ = run(["cfa", HS, "--model", HS_MODEL, "--group", "school", "--invariance", "--format", "json"])
    assert [r["model"] for r in json.loads(out)["table"]] == ["configural", "metric", "scalar", "strict"]


def test_errors_go_to_stderr_with_exit_1(tmp_path):
    for argv in (["cfa", "missing.csv", "--model", HS_MODEL],
                 ["cfa", HS, "--model", "f =~ x1 + x2 + nope"],
                 ["cfa", HS, "--model", "f =~ x1 + x2 + school"],
                 ["cfa", HS, "--model", "no/such/file.lav"],
                 ["cfa", HS, "--model", HS_MODEL, "--invariance"],
                 ["cfa"], [], ["reliability", HS, "--scale", "bad"],
                 ["reliability", HS, "--scale", "s=x1"]):
        code, out, err = run(argv)
        assert code == 1, argv
        assert err.startswith("error:") and "Traceback" not in err
    bad = tmp_path / "ragged.csv"
    bad.write_text("a,b\n1,2\n3\n")
    code, _, err = run(["reliability", str(bad), "--scale", "s=a,b"])
    assert code == 1 and "line 3" in err


def test_nonconvergence_exit_nonzero(monkeypatch):
    def never(value, grad_info, x0, max_iter=500, tol=1e-10):
        return np.asarray(x0), value(x0), False, max_iter
    monkeypatch.setattr(ml_module, "fisher_scoring", never)
    code, out, err = run(["cfa", HS, "--model", HS_MODEL, "--format", "text"])
    assert code == 2
    assert "did not converge" in err and "NO" in out


def test_reliability_cli(tmp_path):
    code, out, _ = run(["reliability", HS, "--scale", "visual=x1,x2,x3", "--scale", "speed=x7,x8,x9",
                        "--format", "json", "--group", "school"])
    assert code == 0
    res = json.loads(out)
    assert [s["scale"] for s in res["scales"]] == ["visual", "speed"]
    assert set(res["missingness_by_group"]["visual"]) == {"Pasteur", "Grant-White"}
    code, out, _ = run(["reliability", HS, "--scale", "visual=x1,x2,x3"])
    assert code == 0 and "alpha" in out


def test_cfa_pairwise_deletion_from_the_command_line_says_which_rule_it_used():
    mixed = os.path.join(DATA, "mixed_ordinal.csv")
    code, out, err = run(["cfa", mixed, "--model", "f1 =~ y1m + y2m + y3m\nf2 =~ y4m + y5m + y6m",
                          "--ordered", "--missing", "pairwise"])
    assert code == 0, err
    assert "Number of observations: 600" in out and "Missing answers: pairwise deletion" in out
    code, out, err = run(["cfa", mixed, "--model", "f1 =~ y1m + y2m + y3m\nf2 =~ y4m + y5m + y6m", "--ordered"])
    assert code == 0, err
    assert "Missing answers: listwise deletion" in out and "Warning: Listwise deletion dropped" in out


def test_cfa_help_states_the_deletion_rule(capsys):
    code, _, _ = run(["cfa", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert code == 0
    assert "listwise (default, as lavaan) analyses only rows that answer every model item" in shown
