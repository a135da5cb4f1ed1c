"""`flourish cfa` and `flourish reliability` run the statistics engine from the command line."""

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "stats" / "tests" / "data" / "holzinger_swineford_1939.csv"
HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


def flourish(*args):
    return subprocess.run([sys.executable, "-m", "flourish", *args], capture_output=True, text=True, check=False)


def test_flourish_cfa_prints_lavaan_shaped_json():
    result = flourish("cfa", str(DATA), "--model", HS_MODEL, "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["converged"] is True and out["n"] == 301
    assert round(out["fit"]["chisq"], 3) == 85.306 and out["fit"]["df"] == 24
    loading = next(p for p in out["parameters"] if (p["lhs"], p["op"], p["rhs"]) == ("visual", "=~", "x2"))
    assert round(loading["est"], 3) == 0.554 and {"se", "std_all"} <= set(loading)


def test_flourish_cfa_reports_bad_input_on_stderr_with_exit_one(tmp_path):
    result = flourish("cfa", str(DATA), "--model", "f =~ x1 + nothere", "--format", "json")
    assert result.returncode == 1
    assert "nothere" in result.stderr and "Traceback" not in result.stderr


def test_flourish_reliability_gives_alpha_per_scale():
    result = flourish("reliability", str(DATA), "--scale", "visual=x1,x2,x3", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "alpha" in result.stdout
