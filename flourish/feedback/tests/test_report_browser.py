"""The leader reads a released report in a real browser: bars by default, a radar on
request; every view passes axe-core and fits a 360 px phone."""

import pytest
from playwright.sync_api import expect

from flourish.feedback.tests.test_report_outputs import build_cycle, standard_specs
from flourish.jobs.testing import run_pending_jobs
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def released(leader, model_version):
    importance = {p["id"]: (5 if j % 2 == 0 else 2) for j, p in enumerate(model_version.processes)}
    return build_cycle(leader, model_version, standard_specs(model_version), via_links=False,
                       self_value=lambda j, m: 1 + (j + m) % 5, importance=importance)


def test_the_leader_reads_the_report_as_bars_and_as_a_radar(page, leader, released):
    first = released.report["processes"][0]
    sign_in(page, leader.email, personas.PASSWORD)
    page.goto(f"/feedback/{released.pk}/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text(released.title)
    expect(page.get_by_role("img", name=f"{first['name']}: bar chart of scores")).to_be_visible()
    table = page.get_by_role("region", name=f"{first['name']}: scores table")
    expect(table.get_by_role("row", name="All others")).to_contain_text(
        f"{first['others']['score']:.2f} (n = {first['others']['n']})"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Radar chart").click()
    expect(page.get_by_role("img", name="Radar chart: you and all others")).to_be_visible()
    expect(page.get_by_text("harder to read accurately than bars")).to_be_visible()
    assert page.get_by_role("img", name=f"{first['name']}: bar chart of scores").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Bar charts (easier to read)").click()
    expect(page.get_by_role("img", name=f"{first['name']}: bar chart of scores")).to_be_visible()
    # The PDF and JSON links work in the same signed-in session.
    data = page.context.request.get(page.get_by_role("link", name="JSON (data)").get_attribute("href"))
    assert data.ok and data.json() == released.report
    report_url = page.url
    page.get_by_role("button", name="PDF (printable)").click()  # a job lays it out
    run_pending_jobs()
    pdf = page.context.request.get(page.get_by_role("link", name="Open the PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    page.goto(report_url)


def test_the_report_fits_a_phone_and_its_tables_scroll_by_keyboard(phone, leader, released):
    sign_in(phone, leader.email, personas.PASSWORD)
    for view in ("", "?view=radar"):
        phone.goto(f"/feedback/{released.pk}/report/{view}")
        expect(phone.get_by_role("heading", level=1)).to_have_text(released.title)
        assert_fits_width(phone)
        assert_accessible(phone)
    region = phone.get_by_role("region", name="All processes: scores table")
    region.focus()
    expect(region).to_be_focused()
    phone.keyboard.press("ArrowRight")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
