"""Reliability against psych 2.2.9 / semTools 0.5.6 / lavaan 0.6.14 (issue 14, item 6).

References: flourish/stats/tests/reliability_reference.py from ``Rscript
bench/reliability_reference.R`` (data simulated there, set.seed(1406): scale A with a5 worded
the other way round, scale B, two professions).
"""
from __future__ import annotations

import io
import json
import os

import pytest

from flourish.stats.cli import main
from flourish.stats.io import read_csv
from flourish.stats.reliability import model_omegas, reliability_by_group, scale_reliability
from flourish.stats.tests.conftest import DATA
from flourish.stats.tests.reliability_reference import PSYCH_WARNING
from flourish.stats.tests.reliability_reference import RELIABILITY as REF

PATH = os.path.join(DATA, "reverse_keyed.csv")
A = ["a1", "a2", "a3", "a4", "a5"]
B = ["b1", "b2", "b3", "b4"]


@pytest.fixture(scope="module")
def keyed() -> dict[str, list[str]]:
    return read_csv(PATH)


def test_a_reverse_keyed_item_is_warned_about_with_the_numbers_psych_and_semtools_give(keyed) -> None:
    assert "negatively correlated with the total scale" in PSYCH_WARNING
    r = scale_reliability(keyed, A, "A")
    assert r["alpha"] == pytest.approx(REF["alpha_raw"], abs=1e-9)
    assert r["omega_total"] == pytest.approx(REF["omega_raw"], abs=1e-6)
    assert r["loadings"]["a5"] < 0
    assert any(w.startswith("a5 loads negatively on the scale's factor") and "--reverse a5" in w
               for w in r["warnings"])


def test_reversing_the_item_gives_psych_alpha_and_semtools_omega(keyed) -> None:
    r = scale_reliability(keyed, A, "A", reverse=["a5"])
    assert r["reversed"] == ["a5"] and not r["warnings"]
    assert r["alpha"] == pytest.approx(REF["alpha_reversed"], abs=1e-9)
    assert r["omega_total"] == pytest.approx(REF["omega_reversed"], abs=1e-6)


def test_ordinal_alpha_and_omegas_match_lavaan_polychorics_and_semtools(keyed) -> None:
    r = scale_reliability(keyed, A, "A", reverse=["a5"], ordinal=True)
    assert r["ordinal_alpha"] == pytest.approx(REF["ordinal_alpha_reversed"], abs=1e-6)
    assert r["ordinal_alpha"] == pytest.approx(REF["psych_polychoric_alpha_reversed"], abs=1e-4)
    assert r["ordinal_omega_latent"] == pytest.approx(REF["ordinal_omega_latent_reversed"], abs=1e-5)
    assert r["ordinal_omega_categorical"] == pytest.approx(REF["ordinal_omega_categorical_reversed"], abs=1e-5)


def test_omega_of_the_multi_factor_model_sits_next_to_the_per_scale_one(keyed) -> None:
    multi = model_omegas(keyed, [("A", A), ("B", B)], reverse=["a5"])
    assert multi["omega"]["A"] == pytest.approx(REF["multi_omega_A"], abs=1e-6)
    assert multi["omega"]["B"] == pytest.approx(REF["multi_omega_B"], abs=1e-6)
    alone = scale_reliability(keyed, B, "B")
    assert alone["omega_total"] == pytest.approx(REF["omega_B"], abs=1e-6)
    assert alone["omega_total"] != pytest.approx(multi["omega"]["B"], abs=1e-4)


def test_reliability_per_profession_matches_psych_and_semtools(keyed) -> None:
    per = reliability_by_group(keyed, A, "A", "profession", reverse=["a5"])
    for label, key in (("Health", "health"), ("Social care", "social_care")):
        assert per[label]["alpha"] == pytest.approx(REF[f"alpha_reversed_{key}"], abs=1e-9)
        assert per[label]["omega_total"] == pytest.approx(REF[f"omega_reversed_{key}"], abs=1e-6)


def test_the_command_line_reverses_reports_groups_and_labels_both_omegas() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["reliability", PATH, "--scale", "A=" + ",".join(A), "--scale", "B=" + ",".join(B),
                 "--reverse", "a5", "--group", "profession", "--format", "json"], out, err)
    assert code == 0, err.getvalue()
    res = json.loads(out.getvalue())
    assert res["scales"][0]["alpha"] == pytest.approx(REF["alpha_reversed"], abs=1e-9)
    assert res["multi_factor_omega"]["omega"]["A"] == pytest.approx(REF["multi_omega_A"], abs=1e-6)
    assert res["by_group"]["A"]["Health"]["alpha"] == pytest.approx(REF["alpha_reversed_health"], abs=1e-9)
    out = io.StringIO()
    assert main(["reliability", PATH, "--scale", "A=" + ",".join(A), "--scale", "B=" + ",".join(B),
                 "--reverse", "a5"], out, err) == 0
    text = out.getvalue()
    assert "omega total (this scale alone) 0.783" in text and "A: omega (multi-factor model) 0.781" in text


def test_reversing_an_item_in_no_scale_is_refused() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["reliability", PATH, "--scale", "A=" + ",".join(A), "--reverse", "b9"], out, err) == 1
    assert "--reverse names items that are in no --scale: b9" in err.getvalue()
