"""The paged coding page and the paged, filtered adjudication page of a long transcript in a
real browser: axe-core finds nothing on a desktop and on a 360 px phone, and the pages are
reached by keyboard from the pager."""

import pytest
from playwright.sync_api import expect

from flourish.qualitative import actions, selectors
from flourish.qualitative.models import Coding, text_hash
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

from .helpers import make_project
from .test_scale_web import long_transcript

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_paged_pages_are_accessible_and_keyboard_usable(page, phone, researcher, second_researcher,
                                                           model_version):
    project = make_project(researcher, second_researcher, model_version)
    (source,) = actions.import_sources(project, researcher, [("long.txt", long_transcript(260))])
    mei, tomasz = selectors.person_layer(project, researcher), selectors.person_layer(project, second_researcher)
    first, second = project.codes.order_by("pk")[:2]
    spans = [actions.turn_span(source, i) for i in range(len(source.turns))]
    Coding.objects.bulk_create([Coding(source=source, code=first, coder=mei, start=a, end=b,
                                       text_hash=text_hash(source.text[a:b])) for a, b in spans])
    actions.add_code_to_turn(tomasz, source, 0, [second])
    for layer in (mei, tomasz):
        actions.choose_to_compare(layer)
    for browser in (page, phone):
        sign_in(browser, researcher.email, personas.PASSWORD)
        for url in (f"/coding/{project.pk}/sources/{source.pk}/coding/", f"/coding/{project.pk}/adjudication/"):
            browser.goto(url)
            expect(browser.get_by_role("heading", level=1)).to_be_visible()
            assert_accessible(browser)
            if browser is phone:
                assert_fits_width(browser)
    page.goto(f"/coding/{project.pk}/adjudication/")
    pager = page.get_by_role("navigation", name="Pages of disagreements")
    pager.get_by_role("link", name="Page 2").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Showing 201 to 261 of 261.")).to_be_visible()
    page.get_by_label("Only the code").select_option(label=second.name)
    page.get_by_role("button", name="Show disagreements").click()
    expect(page.get_by_text("1 match the chosen code and source.")).to_be_visible()
    assert_accessible(page)
