"""Ordinal invariance across professions on the run page: the items as ordered categories, in
lavaan's sequence (configural; thresholds and loadings; intercepts).  On the demo's data some
professions never used an item's lowest category, which lavaan refuses; the page merges those
categories with their neighbour, says which, and runs the steps.  With one item planted to run
a point higher among Health raters, the largest score test of the thresholds-and-loadings step
is a threshold of that item, between Health and another group."""

import csv
import io

import pytest
from django.urls import reverse

from .scenarios import plant_an_intercept_difference, run_the_tests

pytestmark = pytest.mark.django_db


def test_on_the_demos_data_the_ordinal_steps_run_after_merging_unused_categories(
        researcher_client, researcher, demo_data):
    run = run_the_tests(researcher_client, researcher)
    inv = run.results["ordinal_invariance"]
    assert inv["ran"] and inv["estimator"] == "WLSMV", inv.get("message")
    steps = {t["model"]: t for t in inv["table"]}
    assert list(steps) == ["configural", "thresholds_loadings", "intercepts"]
    assert all(t["converged"] for t in steps.values())
    constrained = steps["thresholds_loadings"]
    assert constrained["df"] > steps["configural"]["df"] and constrained["delta_df"] == (
        constrained["df"] - steps["configural"]["df"])
    assert 0 <= constrained["delta_pvalue"] <= 1 and steps["intercepts"]["delta_df"] == 0
    assert inv["merged"] and all(m["empty_in"] for m in inv["merged"])
    first = inv["merged"][0]
    n_items = len({m["item"] for m in inv["merged"]})
    note = run.results["method_note"]
    assert "lavaan's sequence for ordinal data" in note and "Satorra (2000)" in note
    assert f"merged with their neighbour in every group first ({n_items} items)" in note
    text = researcher_client.get(reverse("research:run", args=[run.pk])).content.decode()
    assert "The same question with the items as ordered categories" in text
    assert "Thresholds and loadings" in text and "Satorra 2000" in text
    assert f"item {first['item']} {first['category']} into {first['into']}" in text
    assert f"{constrained['chisq_scaled']:.2f}" in text
    rows = list(csv.reader(io.StringIO(
        researcher_client.get(reverse("research:run_csv", args=[run.pk])).content.decode())))
    assert any(r[0] == "ordinal_invariance" and r[1] == "thresholds_loadings" and r[5] == "delta_pvalue" for r in rows)
    assert any(r[0] == "ordinal_invariance_merged" and r[4] == first["item"] for r in rows)


def test_a_planted_difference_is_the_largest_score_test_and_names_the_items_threshold(
        researcher_client, researcher, demo_data, organisation, model_version):
    item = model_version.processes[1]["items"][2]
    plant_an_intercept_difference(organisation, item["id"])
    run = run_the_tests(researcher_client, researcher)
    inv = run.results["ordinal_invariance"]
    assert inv["ran"], inv.get("message")
    step = next(t for t in inv["table"] if t["model"] == "thresholds_loadings")
    top = step["differs"][0]
    assert (top["kind"], top["item"]) == ("threshold", item["id"]) and "Health" in top["groups"]
    assert top["X2"] > 10 and top["pvalue"] < 0.01
    text = researcher_client.get(reverse("research:run", args=[run.pk])).content.decode()
    assert "Which thresholds or loadings differ at the thresholds and loadings step" in text
    table = text.split("Thresholds and loadings that differ between groups")[1]
    first_row = table[table.index("<tbody"):table.index("</tr>", table.index("<tbody"))]
    assert f"{top['text']}" in first_row and f"{top['X2']:.2f}" in first_row
