"""The invariance section says which parameters differ, not only whether a step fails:
on the demo's data with one item planted to run higher among health raters, the run page
names that item's intercept, between Health and the other groups, with its score test."""

import csv
import io

import pytest
from django.urls import reverse

from .scenarios import plant_an_intercept_difference, run_the_tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(demo_data, organisation, model_version):
    process = model_version.processes[1]
    item = process["items"][2]
    plant_an_intercept_difference(organisation, item["id"])
    return {"item": item, "process": process}


def test_the_failing_step_lists_the_planted_intercept_with_its_score_test(researcher_client, researcher, planted):
    run = run_the_tests(researcher_client, researcher)
    inv = run.results["invariance"]
    assert inv["first_failing"] == "scalar", [(t["model"], t.get("fails")) for t in inv["table"]]
    scalar = next(t for t in inv["table"] if t["model"] == "scalar")
    top = scalar["differs"][0]
    item = planted["item"]
    assert (top["kind"], top["item"]) == ("intercept", item["id"]) and "Health" in top["groups"]
    assert top["X2"] > 10 and top["pvalue"] < 0.001
    text = researcher_client.get(reverse("research:run", args=[run.pk])).content.decode()
    assert "Which parameters differ at the scalar step" in text
    assert f"Intercept of item {item['id']}" in text
    first_row = text.split("Parameters that differ between groups at the scalar step")[1]
    assert first_row.index(f"Intercept of item {item['id']}") < first_row.index("</tr>", first_row.index("<tbody"))
    assert item["other"].replace("'", "&#x27;") in text
    assert f"{top['X2']:.2f}" in text and ("Health and " in text or " and Health" in text)


def test_the_results_csv_carries_the_score_tests(researcher_client, researcher, planted):
    run = run_the_tests(researcher_client, researcher)
    rows = list(csv.reader(io.StringIO(
        researcher_client.get(reverse("research:run_csv", args=[run.pk])).content.decode())))
    scores = [r for r in rows if r[0] == "invariance_score" and r[1] == "scalar"]
    planted_rows = [r for r in scores if r[4] == planted["item"]["id"] and r[5] == "intercept X2"]
    assert planted_rows and "Health" in planted_rows[0][2]
    assert max(float(r[6]) for r in scores if r[5].endswith("X2")) == float(planted_rows[0][6])


def test_on_the_demos_own_data_no_step_fails_and_the_page_says_so(researcher_client, researcher, demo_data):
    run = run_the_tests(researcher_client, researcher)
    inv = run.results["invariance"]
    assert inv["first_failing"] is None and not any(t.get("fails") for t in inv["table"])
    assert all("score_tests" not in t for t in inv["table"])  # the full lists are kept for a failing step only
    text = researcher_client.get(reverse("research:run", args=[run.pk])).content.decode()
    assert "No step fails" in text and "Which parameters differ" not in text
