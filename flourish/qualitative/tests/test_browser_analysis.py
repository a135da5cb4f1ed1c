"""Agreement, disagreements, synthesis and the model check in a real browser: every page
passes axe-core on a desktop and on a 360 px phone without scrolling sideways, and a lead
settles a disagreement."""

import re

import pytest
from playwright.sync_api import expect

from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

from .analysis_helpers import coded_project

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["agreement", "adjudication", "synthesis", "model-check"]


def test_the_analysis_pages_are_accessible_on_desktop_and_phone(page, phone, researcher, second_researcher,
                                                               model_version):
    project = coded_project(researcher, second_researcher, model_version)
    for browser, person in ((page, researcher), (phone, second_researcher)):
        sign_in(browser, person.email, personas.PASSWORD)
        # still coding blind: asked first, on an accessible page, and the choice is a button
        browser.goto(f"/coding/{project.pk}/agreement/")
        expect(browser.get_by_role("heading", level=1)).to_have_text("You are coding blind")
        assert_accessible(browser)
        if browser is phone:
            assert_fits_width(browser)
        browser.get_by_role("button", name="Compare with the other coders").click()
        expect(browser).to_have_url(re.compile(rf"/coding/{project.pk}/agreement/$"))
        for name in PAGES:
            browser.goto(f"/coding/{project.pk}/{name}/")
            expect(browser.get_by_role("heading", level=1)).to_be_visible()
            assert_accessible(browser)
            if browser is phone:
                assert_fits_width(browser)
    # the agreement form, opened, is accessible too
    page.goto(f"/coding/{project.pk}/agreement/")
    page.get_by_text("Choose what to compare").click()
    page.get_by_label("Sentence").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text("Sentences", exact=True)).to_be_visible()
    assert_accessible(page)


def test_a_lead_settles_a_disagreement_and_accepts_agreements(page, researcher, second_researcher, model_version):
    project = coded_project(researcher, second_researcher, model_version)
    sign_in(page, researcher.email, personas.PASSWORD)
    page.goto(f"/coding/{project.pk}/adjudication/")
    page.get_by_role("button", name="Compare with the other coders").click()
    expect(page.get_by_text("1 disagreement between Mei Chen and Tomasz Nowak")).to_be_visible()
    page.get_by_label("Note on this decision (optional)").fill("Ringing ahead is planning across services.")
    page.get_by_role("button", name="Apply Thinking Systematically to this passage", exact=True).click()
    expect(page.get_by_text("The consensus layer says the same.")).to_be_visible()
    expect(page.get_by_text("Ringing ahead is planning across services.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Accept agreed units into the consensus").click()
    expect(page.get_by_text("Added 2 agreed codings to the consensus layer.")).to_be_visible()
    assert_accessible(page)
    assert sorted(project.consensus().codings.values_list("start", "end")) == [(60, 129), (60, 129), (174, 259)]


def test_a_coder_on_a_phone_reads_the_synthesis_of_their_own_layer(phone, researcher, second_researcher,
                                                                   model_version):
    project = coded_project(researcher, second_researcher, model_version)
    sign_in(phone, second_researcher.email, personas.PASSWORD)
    phone.goto(f"/coding/{project.pk}/synthesis/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Synthesis: Tomasz Nowak")
    phone.get_by_text("Building and re-building relationships (2)").click()
    expect(phone.get_by_text("We meet every week", exact=False).first).to_be_visible()
    assert_accessible(phone)
    assert_fits_width(phone)
