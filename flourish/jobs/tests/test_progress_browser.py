"""The job progress page in Chromium: an accessible <progress> bar with text that updates
itself when the worker finishes (no reload), then shows the result link; axe-core passes
before and after, on a desktop and a 360 px phone. And the cycle page's "not yet
delivered" warning, with the mail server down, passes axe-core too."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from flourish.feedback import actions
from flourish.feedback.tests.helpers import add_raters, answer, new_cycle
from flourish.jobs.testing import run_pending_jobs
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

from .smtp import free_port, smtp_settings

pytestmark = pytest.mark.django_db(transaction=True)


def closed_by_the_page(browser_page, leader, model_version, title):
    cycle = new_cycle(leader, model_version, title=title)
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    for rater in raters:
        answer(rater)
    browser_page.goto(reverse("feedback:detail", args=[cycle.pk]))
    browser_page.get_by_role("link", name="Close now and make the report").click()
    browser_page.get_by_role("button", name="Yes, close it now").click()  # the confirmation page
    return cycle


@pytest.mark.parametrize("device", ["page", "phone"])
def test_the_progress_page_updates_itself_and_passes_axe(request, device, leader, model_version):
    browser_page = request.getfixturevalue(device)
    sign_in(browser_page, leader.email, personas.PASSWORD)
    closed_by_the_page(browser_page, leader, model_version, f"Round on {device}")
    expect(browser_page.get_by_role("heading", level=1)).to_contain_text("preparing its report")
    bar = browser_page.locator("progress")
    expect(bar).to_have_accessible_name("Progress")
    expect(browser_page.get_by_role("status")).to_have_text("Waiting for a worker to start it.")
    assert_accessible(browser_page)
    assert_fits_width(browser_page)

    browser_page.evaluate("window.notReloaded = true")
    run_pending_jobs()  # the worker finishes; the page notices by itself
    expect(browser_page.get_by_role("link", name="Read the report")).to_be_visible(timeout=15_000)
    expect(browser_page.get_by_role("status")).to_have_text("Closed. The report is ready.")
    assert bar.get_attribute("value") == "100"
    assert browser_page.evaluate("window.notReloaded === true")
    expect(browser_page.get_by_role("link", name="Refresh")).to_be_hidden()
    assert_accessible(browser_page)
    assert_fits_width(browser_page)
    browser_page.get_by_role("link", name="Read the report").click()
    expect(browser_page.get_by_role("heading", level=1)).to_be_visible()


def test_without_javascript_the_refresh_link_shows_the_same(chromium, live_server, leader, model_version):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    browser_page = context.new_page()
    try:
        sign_in(browser_page, leader.email, personas.PASSWORD)
        closed_by_the_page(browser_page, leader, model_version, "Round without scripts")
        run_pending_jobs()
        expect(browser_page.get_by_role("link", name="Read the report")).to_be_hidden()
        browser_page.get_by_role("link", name="Refresh").click()
        expect(browser_page.get_by_role("link", name="Read the report")).to_be_visible()
    finally:
        context.close()


def test_the_undelivered_warning_passes_axe(page, phone, leader, model_version, settings):
    smtp_settings(settings, free_port())  # nothing listens there: the mail server is down
    cycle = new_cycle(leader, model_version)
    add_raters(cycle)
    actions.send_invitations(cycle)
    run_pending_jobs()
    for browser_page in (page, phone):
        sign_in(browser_page, leader.email, personas.PASSWORD)
        browser_page.goto(reverse("feedback:detail", args=[cycle.pk]))
        expect(browser_page.get_by_text("8 invitations not yet delivered: retrying")).to_be_visible()
        expect(browser_page.get_by_role("cell", name="Not delivered yet").first).to_be_visible()
        assert_accessible(browser_page)
        assert_fits_width(browser_page)


@pytest.mark.parametrize("device", ["page", "phone"])
def test_the_make_the_pdf_page_passes_axe_and_its_button_queues_the_job(request, device, leader, model_version):
    from flourish.development.tests.helpers import released_cycle

    browser_page = request.getfixturevalue(device)
    cycle = released_cycle(leader, model_version)
    sign_in(browser_page, leader.email, personas.PASSWORD)
    browser_page.goto(reverse("feedback:report_pdf", args=[cycle.pk]))  # the old address of the PDF
    expect(browser_page.get_by_role("heading", level=1)).to_contain_text("The PDF of the report")
    assert_accessible(browser_page)
    assert_fits_width(browser_page)
    browser_page.get_by_role("button", name="Make the PDF").focus()
    browser_page.keyboard.press("Enter")
    expect(browser_page.get_by_role("status")).to_have_text("Waiting for a worker to start it.")
    run_pending_jobs()
    expect(browser_page.get_by_role("link", name="Open the PDF")).to_be_visible(timeout=15_000)
