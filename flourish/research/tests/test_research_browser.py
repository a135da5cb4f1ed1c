"""A researcher runs the model's tests on the demo's consented data and downloads the
results; every page passes axe-core."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from flourish.jobs.testing import run_pending_jobs
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in
from flourish.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_researcher_runs_the_models_tests_and_downloads_the_results(page, demo_data, researcher):
    sign_in(page, researcher.email, PASSWORD)
    page.goto("/research/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Research data")
    assert_accessible(page)
    page.get_by_role("button", name="Go to the model's tests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The model's tests")
    assert_accessible(page)
    page.get_by_role("button", name="Run the model's tests").click()
    # The tests run in the background (a minute on a busy machine): the progress page waits.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Testing the model")
    run_pending_jobs()
    page.get_by_role("link", name="Read the results").click(timeout=30_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Results of the model's tests")
    expect(page.get_by_role("img", name="Standardised loadings: The framework's structure")).to_be_visible()
    expect(page.get_by_role("cell", name="Did not converge")).to_have_count(0)
    expect(page.locator("#clustering-note")).to_contain_text("cluster-robust by leader")
    expect(page.get_by_role("table", name="ICC(1) and design effect per item")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the results as JSON").click()
    results = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert results["status"] == "ok" and len(results["models"]) >= 3
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the results as CSV").click()
    with open(download.value.path(), encoding="utf-8") as csv_file:
        assert csv_file.readline().startswith("section,model")


def test_a_rater_and_a_leader_make_their_choices_accessibly(page, leader, model_version):
    from flourish.feedback import actions
    from flourish.research.tests.scenarios import open_cycle, token_for

    cycle, raters = open_cycle(leader, model_version)
    page.goto(f"/research/consent/r/{token_for(raters[0])}/")
    assert_accessible(page)
    page.get_by_label("Yes, my answers may be used for de-identified research").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_text("Thank you. Your answers may be used for research.")).to_be_visible()
    assert_accessible(page)
    cycle = actions.close(cycle)
    page.reload()
    expect(page.get_by_text("This feedback has closed.")).to_be_visible()
    expect(page.get_by_role("button", name="Save my choice")).to_have_count(0)
    assert_accessible(page)
    sign_in(page, leader.email, PASSWORD)
    page.goto("/research/consent/")
    assert_accessible(page)
    page.get_by_role("button", name=f"Share {cycle.title}").click()
    expect(page.get_by_text("Shared for research")).to_have_count(1)
    assert_accessible(page)


def test_the_parameters_that_differ_are_listed_accessibly_on_desktop_and_phone(page, phone, demo_data, researcher,
                                                                                organisation, model_version):
    from flourish.research import actions, dataset, modeltests
    from flourish.research.tests.scenarios import plant_an_intercept_difference

    item = model_version.processes[1]["items"][2]
    plant_an_intercept_difference(organisation, item["id"])
    run = actions.record_run(researcher, modeltests.run(dataset.build([organisation], reader=researcher),
                                                        model_version))
    for browser in (page, phone):
        sign_in(browser, researcher.email, PASSWORD)
        browser.goto(f"/research/model/{run.pk}/")
        expect(browser.get_by_role("heading", name="Which parameters differ at the scalar step")).to_be_visible()
        table = browser.get_by_role("table", name="Parameters that differ between groups at the scalar step")
        # The demo's own data may differ elsewhere too (its raters depend on row ids): the planted
        # intercept must be among the differences, whatever else is.
        expect(table.get_by_role("rowheader", name=f"Intercept of item {item['id']}", exact=True).first).to_be_visible()
        browser.locator("summary", has_text="score tests of the scalar step").click()  # open the full list too
        expect(browser.get_by_role("table", name="All score tests of the scalar step")).to_be_visible()
        # The ordinal step's pointers: its table when some constraint differs, else the sentence saying none does.
        # (Whether the planted shift reaches p < .05 there depends on which sparse categories the demo's rows
        # merge, which varies with their order; the ML table above is where the planted intercept is asserted.)
        ordinal = browser.get_by_role("table", name="Thresholds and loadings that differ between groups (score test "
                                                    "p < .05), largest first")
        if ordinal.count():
            expect(ordinal.get_by_role("rowheader").first).to_have_text(re.compile(r"^(Threshold \d|Loading) of item "))
        else:
            expect(browser.get_by_text("No single constraint differs on its own")).to_be_visible()
        assert_accessible(browser)
        if browser is phone:
            assert_fits_width(browser)
