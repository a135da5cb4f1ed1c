"""A leader, in a real browser, goes from their self-assessment profile to a development
plan, adds an action with progress, and writes a journal entry with suggested tags.
Every page reached passes axe-core; the main pages fit a 360 px phone."""

import pytest
from playwright.sync_api import expect

from flourish.development import actions
from flourish.development.models import Action, JournalEntry, Plan
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

from .helpers import SUGGESTED_POSITIONS, self_assessment

pytestmark = pytest.mark.django_db(transaction=True)


def open_plan_from_profile(page, own):
    page.goto(f"/self-assessment/{own.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Make a development plan from this").click()


def test_a_leader_makes_a_plan_adds_an_action_and_keeps_a_journal(page, leader, model_version):
    own = self_assessment(leader, model_version)
    first, fourth = (model_version.processes[i] for i in SUGGESTED_POSITIONS)
    sign_in(page, leader.email, personas.PASSWORD)

    open_plan_from_profile(page, own)
    expect(page.get_by_role("heading", name="Make a development plan")).to_be_visible()
    assert_accessible(page)
    choices = page.get_by_role("group", name="Which processes will you work on?")
    expect(choices.get_by_label(first["name"])).to_be_checked()
    expect(choices.get_by_label(fourth["name"])).to_be_checked()
    expect(choices.get_by_label(model_version.processes[1]["name"])).not_to_be_checked()
    choices.get_by_label(model_version.processes[1]["name"]).check()
    choices.get_by_label(model_version.processes[2]["name"]).check()
    page.get_by_role("button", name="Make my plan").click()
    expect(page.get_by_text("Choose at most 3 processes").first).to_be_visible()
    assert_accessible(page)
    choices = page.get_by_role("group", name="Which processes will you work on?")
    choices.get_by_label(model_version.processes[1]["name"]).uncheck()
    choices.get_by_label(model_version.processes[2]["name"]).uncheck()
    page.get_by_role("button", name="Make my plan").click()

    expect(page.get_by_role("heading", name="Your development plan")).to_be_visible()
    assert_accessible(page)
    section = page.get_by_role("region", name=first["name"])
    section.get_by_label(f"Your goal for {first['name']}").fill("Plan new work with partners from the start.")
    section.get_by_role("button", name="Save goal").click()
    expect(page.get_by_text("Your goal is saved")).to_be_visible()
    assert_accessible(page)
    section = page.get_by_role("region", name=first["name"])
    section.get_by_label("Choose a practice to try").select_option(first["practices"][0])
    section.get_by_role("button", name="Add action").click()
    expect(page.get_by_text("Your action is added")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=first["practices"][0]).click()
    assert_accessible(page)
    page.get_by_label("What happened, and what shows your progress?").fill(
        "Mapped one family's services with the team."
    )
    page.get_by_role("button", name="Save progress note").click()
    expect(page.get_by_text("Mapped one family's services with the team.")).to_be_visible()
    page.get_by_role("group", name="Status").get_by_label("Done").check()
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_text("The action's status is saved")).to_be_visible()
    assert_accessible(page)
    action = Action.objects.get()
    assert action.is_done and action.notes.count() == 1
    assert Plan.objects.get().processes == [first["id"], fourth["id"]]

    page.goto("/development/journal/")
    assert_accessible(page)
    page.get_by_role("link", name="Write an entry").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Talking to Jo")
    page.get_by_label("Your reflection").fill(
        "After last week's disagreement I went back to repair our working relationship.")
    page.get_by_role("button", name="Suggest tags").click()
    tags = page.get_by_role("group", name="Which processes is this about?")
    expect(tags.get_by_label("Building and re-building relationships")).to_be_checked()
    expect(page.get_by_label("Title")).to_have_value("Talking to Jo")
    assert_accessible(page)
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("heading", name="Talking to Jo")).to_be_visible()
    expect(page.get_by_text("Building and re-building relationships")).to_be_visible()
    assert_accessible(page)
    assert JournalEntry.objects.get().processes == ["building-relationships"]

    page.get_by_role("link", name="Back to your journal").click()
    page.get_by_label("Search your journal").fill("repair")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Talking to Jo")).to_be_visible()
    assert_accessible(page)


def test_plan_and_journal_pages_fit_a_phone(phone, leader, model_version):
    own = self_assessment(leader, model_version)
    plan = actions.create_plan(leader, own, [model_version.processes[0]["id"]])
    actions.set_goal(plan, plan.processes[0], "Goal")
    actions.add_action(plan, plan.processes[0], practice=model_version.processes[0]["practices"][0],
                       due_on=own.completed.date())
    actions.write_entry(leader, own.organisation, model_version, title="Entry", text="Text", processes=["flow"])
    sign_in(phone, leader.email, personas.PASSWORD)
    for url in (f"/development/new/?from=selfassessment:{own.pk}", f"/development/plans/{plan.pk}/",
                "/development/journal/", "/development/journal/new/", "/development/"):
        phone.goto(url)
        assert_fits_width(phone)
        assert_accessible(phone)
