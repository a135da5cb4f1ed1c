"""A leader runs a cycle's set-up in Chromium; every leader and facilitator page passes
axe-core on a desktop and fits a 360 px phone."""

import pytest
from playwright.sync_api import expect

from flourish.feedback import actions
from flourish.feedback.models import Cycle
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

from .helpers import add_raters, answer, new_cycle

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_leader_sets_up_a_cycle_and_adds_people(page, leader, facilitator, model_version):
    sign_in(page, leader.email, personas.PASSWORD)
    page.get_by_role("link", name="360° feedback").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Start a feedback round").click()
    assert_accessible(page)
    page.get_by_label("Name this feedback round").fill("Spring round")
    page.get_by_label("Closing date").fill("2001-01-01")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Closing date").fill("2099-03-31")
    page.get_by_label("Who approves the list of people to ask").select_option(str(facilitator.pk))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Spring round")).to_be_visible()
    assert_accessible(page)

    page.get_by_text("Add a person").click()
    page.get_by_label("Name", exact=True).fill("Hannah Price")
    page.get_by_label("Email address").fill("hannah@nhs.example")
    page.get_by_label("Professional group").select_option("Health")
    page.get_by_label("Relationship to the leader").select_option("team member")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("cell", name="Hannah Price", exact=False).first).to_be_visible()
    assert_accessible(page)
    # Her own address is refused, with a message that says why.
    page.get_by_text("Add a person").click()
    page.get_by_label("Name", exact=True).fill("Me again")
    page.get_by_label("Email address").fill(leader.email)
    page.get_by_label("Professional group").select_option("Health")
    page.get_by_label("Relationship to the leader").select_option("peer")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("the leader receiving the feedback", exact=False)).to_be_visible()
    assert_accessible(page)

    page.get_by_text("Add many people from a file").click()
    page.get_by_label("Upload a CSV file").set_input_files(files=[{
        "name": "people.csv", "mimeType": "text/csv",
        "buffer": b"name,email,group,employer,relationship\nNo Email,,Health,NHS,peer\n"}])
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("nobody from it is on the list")).to_be_visible()
    assert_accessible(page)
    assert Cycle.objects.get(title="Spring round").raters.count() == 1


def test_the_running_and_closed_dashboards_and_approval_page_are_accessible(
    page, phone, leader, facilitator, model_version
):
    running = new_cycle(leader, model_version, title="Running round")
    raters = add_raters(running)
    actions.send_invitations(running)
    answer(raters[0])
    closed = new_cycle(leader, model_version, title="Closed round")
    closed_raters = add_raters(closed)
    actions.send_invitations(closed)
    for rater in closed_raters:
        answer(rater)
    actions.close(closed)
    pending = new_cycle(leader, model_version, title="Needs approval", approver=facilitator)
    add_raters(pending)
    actions.nominate(pending, name="Sam Friend", email="amara.okafor@gmail.com", profession="Health",
                     relationship="peer")
    actions.request_approval(pending)

    for browser_page in (page, phone):
        sign_in(browser_page, leader.email, personas.PASSWORD)
        for cycle in (running, closed, pending):
            browser_page.goto(f"/feedback/{cycle.pk}/")
            expect(browser_page.get_by_role("heading", name=cycle.title)).to_be_visible()
            assert_accessible(browser_page)
            if browser_page is phone:
                assert_fits_width(browser_page)
    expect(page.get_by_text(f"Waiting for {facilitator.display_name} to approve", exact=False)).to_be_visible()

    # The confirmations and the closing-date page (issue 17), on both screens.
    for browser_page in (page, phone):
        browser_page.goto(f"/feedback/{running.pk}/")
        browser_page.get_by_role("link", name="Close now and make the report").click()
        expect(browser_page.get_by_role("heading", name="Close the round now?")).to_be_visible()
        assert_accessible(browser_page)
        browser_page.get_by_role("link", name="No, keep it open").click()
        browser_page.get_by_role("link", name=f"Withdraw {raters[1].name}'s link").click()
        expect(browser_page.get_by_role("heading", name=f"Withdraw {raters[1].name}?")).to_be_visible()
        assert_accessible(browser_page)
        browser_page.goto(f"/feedback/{running.pk}/closing-date/")
        assert_accessible(browser_page)
        if browser_page is phone:
            assert_fits_width(browser_page)
    assert Cycle.objects.get(pk=running.pk).is_open

    page.goto(f"/feedback/{running.pk}/")
    expect(page.get_by_role("heading", name="Answers so far")).to_be_visible()
    expect(page.get_by_text("never told how many people have answered", exact=False)).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, facilitator.email, personas.PASSWORD)
    page.goto(f"/feedback/{pending.pk}/approve/")
    expect(page.get_by_text("A personal mail address (gmail.com)", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send back with this comment").click()  # no comment: an error
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    phone.context.clear_cookies()
    sign_in(phone, facilitator.email, personas.PASSWORD)
    phone.goto("/feedback/")
    phone.get_by_role("link", name="Needs approval", exact=False).click()
    assert_accessible(phone)
    assert_fits_width(phone)
    phone.get_by_role("button", name="Approve and send the invitations").click()
    expect(phone.get_by_text("Approved")).to_be_visible()
    pending.refresh_from_db()
    assert pending.is_open


def test_the_add_a_person_form_says_live_whether_their_group_can_be_shown(phone, leader, model_version):
    cycle = new_cycle(leader, model_version, title="Autumn round")
    add_raters(cycle)  # Education and early years: 2 people so far
    sign_in(phone, leader.email, personas.PASSWORD)
    phone.goto(f"/feedback/{cycle.pk}/")
    phone.get_by_text("Add a person").click()
    phone.get_by_label("Professional group").select_option("Social care")
    hint = phone.locator("#group-check")
    expect(hint).to_contain_text("4 asked in the professional group “Social care”: it can be shown")
    phone.get_by_label("Relationship to the leader").select_option("partner agency")
    expect(hint).to_contain_text("“Partner agency”: fewer than 3, so it cannot be shown")
    assert_accessible(phone)
    assert_fits_width(phone)
