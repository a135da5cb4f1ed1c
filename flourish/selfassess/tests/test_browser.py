"""A leader completes a self-assessment in a real browser; every page passes axe-core."""

import pytest
from playwright.sync_api import expect

from flourish.selfassess.models import SelfAssessment
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_leader_signs_in_and_completes_a_self_assessment(page, leader, model_version):
    sign_in(page, leader.email, personas.PASSWORD)
    page.get_by_role("link", name="Self-assessment").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Start a new self-assessment").click()

    processes = model_version.processes
    for number, process in enumerate(processes, start=1):
        expect(page.get_by_text(f"Process {number} of {len(processes)}")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text(process["name"])
        assert_accessible(page)
        for index, item in enumerate(process["items"]):
            group = page.get_by_role("group", name=item["self"])
            if index == 0 and number == 2:
                group.get_by_label(model_version.document["scale"]["not_observed"]).check()
            else:
                group.get_by_label(f"{(number + index) % 5 + 1} –", exact=False).check()
        page.get_by_role("group", name="How important").get_by_label("4 –", exact=False).check()
        onwards = "Check your answers" if number == len(processes) else "Save and continue"
        page.get_by_role("button", name=onwards).click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Finish and see your profile").click()

    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    assert_accessible(page)
    assessment = SelfAssessment.objects.get(leader=leader)
    assert assessment.is_complete
    first = processes[0]
    expected = sum((1 + i) % 5 + 1 for i in range(len(first["items"]))) / len(first["items"])
    expect(page.get_by_role("row", name=first["name"])).to_contain_text(f"{expected:.2f}")

    page.get_by_label(processes[2]["name"]).check()
    page.get_by_role("button", name="Show questions and practices").click()
    expect(page.get_by_role("heading", name=processes[2]["name"], level=3)).to_be_visible()
    expect(page.get_by_text(processes[2]["practices"][0])).to_be_visible()
    assert_accessible(page)


def test_a_leader_can_stop_and_carry_on_later(page, leader, model_version):
    sign_in(page, leader.email, personas.PASSWORD)
    page.goto("/self-assessment/")
    page.get_by_role("button", name="Start a new self-assessment").click()
    first_item = model_version.processes[0]["items"][0]
    page.get_by_role("group", name=first_item["self"]).get_by_label("3 –", exact=False).check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers are saved")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="carry on").click()
    group = page.get_by_role("group", name=first_item["self"])
    expect(group.get_by_label("3 –", exact=False)).to_be_checked()


def test_the_questionnaire_works_on_a_phone_and_by_keyboard(phone, leader, model_version):
    sign_in(phone, leader.email, personas.PASSWORD)
    phone.goto("/self-assessment/")
    phone.get_by_role("button", name="Start a new self-assessment").click()
    assert_fits_width(phone)
    assert_accessible(phone)
    # Keyboard only: Tab into the first radio group, arrow keys choose, Enter submits.
    first = phone.get_by_role("group", name=model_version.processes[0]["items"][0]["self"])
    first.get_by_role("radio").first.focus()
    phone.keyboard.press("ArrowDown")
    expect(first.get_by_role("radio").nth(1)).to_be_checked()
    phone.get_by_role("button", name="Save and continue").focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(phone)
