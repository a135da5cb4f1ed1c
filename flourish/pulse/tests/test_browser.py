"""The pulse's pages in Chromium with axe-core: Hana answers on a 360 px phone (every section,
an error, the check page, thanks), and Amara reads her team's page and a wave's results at
desktop width and on a phone."""

import pytest
from playwright.sync_api import expect

from flourish.pulse import actions
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

from .helpers import answer_all, fresh_rate_limits, link, open_wave, team_with_roster  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def check(page):
    assert_accessible(page)
    assert_fits_width(page)


@pytest.fixture
def wave(leader, organisation):
    return open_wave(team_with_roster(leader, organisation))


def test_hana_answers_the_pulse_on_a_phone(phone, page, wave):
    hana = wave.invitations.get(member__name="Hana")
    token = link(hana)
    for section in ("", "section/team/", "section/roles/", "section/map/", "check/"):  # desktop too
        page.goto(f"/p/{token}/{section}")
        check(page)
    phone.goto(f"/p/{token}/")
    expect(phone.get_by_text("It takes under 5 minutes")).to_be_visible()
    check(phone)
    phone.get_by_role("button", name="Start now").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("How the team works")
    check(phone)
    phone.get_by_role("button", name="Save and continue").click()  # nothing chosen: every question named
    expect(phone.get_by_role("heading", name="There is a problem")).to_be_visible()
    check(phone)
    items = wave.instrument["items"]
    # Keyboard for the first question: focus its first radio, arrow along the scale.
    phone.locator(f"#id_item-{items[0]['id']}").focus()
    phone.keyboard.press("Space")
    phone.keyboard.press("ArrowDown")
    for item in items[1:]:
        phone.locator(f"input[name='item-{item['id']}'][value='4']").check()
    phone.get_by_role("button", name="Save and continue").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Working with each other profession")
    check(phone)
    for radio in phone.locator("input[type=radio][value='3']").all():
        radio.check()
    phone.get_by_role("button", name="Save and continue").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Who you work with")
    check(phone)
    for radio in phone.locator("input[type=radio][value='2']").all():
        radio.check()
    phone.get_by_role("button", name="Save and continue").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Check and send your answers")
    check(phone)
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you")
    check(phone)
    phone.goto(f"/p/{token}/section/team/")
    phone.get_by_role("button", name="Save and come back later").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your answers are saved")
    check(phone)
    phone.goto(f"/p/{token}/delete-my-answers/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Delete your answers?")
    check(phone)
    hana.refresh_from_db()
    assert hana.response.submitted_on is not None
    assert hana.response.answers[items[0]["id"]] == 2
    actions.close_wave(wave)
    phone.goto(f"/p/{token}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("This pulse has closed")
    check(phone)


def test_amara_reads_her_team_and_its_results_at_desktop_and_on_a_phone(page, phone, leader, organisation, wave):
    answer_all(wave)
    other = team_with_roster(personas.person("ben@riverside.test", "leader", organisation, "Ben", "Ade"),
                             organisation, "Northside team", domain="northside")
    other_wave = open_wave(other)
    answer_all(other_wave, level=2)
    actions.close_wave(other_wave)
    actions.close_wave(wave)
    for label, level in (("Autumn 2027", 2), ):  # a second wave, so the page shows change
        later = open_wave(other, label)
        answer_all(later, level=level)
        actions.close_wave(later)
    second = open_wave(wave.team, "Autumn 2027")
    answer_all(second, level=4)
    actions.close_wave(second)
    open_wave(wave.team, "Spring 2028")  # an open wave: its close and remind buttons
    for browser_page in (page, phone):
        sign_in(browser_page, leader.email, personas.PASSWORD)
        browser_page.goto(f"/pulse/{wave.team.pk}/")
        expect(browser_page.get_by_role("heading", level=1)).to_have_text("Riverside early help team")
        check(browser_page)
        browser_page.get_by_role("link", name="Results of Autumn 2027").click()
        expect(browser_page.get_by_role("heading", level=1)).to_have_text("Team pulse: Autumn 2027")
        expect(browser_page.get_by_role("columnheader", name="Change")).to_be_visible()
        check(browser_page)
        browser_page.goto("/pulse/new/")
        check(browser_page)
