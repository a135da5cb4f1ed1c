"""A facilitator runs one PAR cycle end to end in a real browser; every page passes axe-core."""

import pytest
from playwright.sync_api import expect

from flourish.sets.models import LearningSet, ParCycle, Stage
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

from .helpers import a_leader, join

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_facilitator_runs_one_cycle_end_to_end(page, phone, facilitator, model_version):
    names = [p["name"] for p in model_version.processes]
    sign_in(page, facilitator.email, personas.PASSWORD)
    page.goto("/sets/")
    assert_accessible(page)
    page.get_by_label("Name of the set").fill("North locality leaders")
    page.get_by_role("button", name="Start the set").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("North locality leaders")
    assert_accessible(page)
    page.get_by_label("Leader's email address").fill("bethan@hillside.test")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent")).to_be_visible()
    member = join(LearningSet.objects.get(), a_leader(0))  # (joining is tested apart)

    page.get_by_label("What question about integrated working").fill("How can we agree one plan with a family?")
    page.get_by_label(names[0]).check()
    page.get_by_label(names[1]).check()
    page.get_by_role("button", name="Start the cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How can we agree one plan with a family?")
    assert_accessible(page)

    page.get_by_text("Add a session").click()
    page.get_by_label("Date of the session").fill("2026-03-04")
    page.get_by_label("Agenda").fill("Map who plans what with a family")
    page.get_by_label("Shared notes").fill("Most families have three plans.")
    page.get_by_role("button", name="Add the session").click()
    expect(page.get_by_text("Session added")).to_be_visible()
    page.get_by_text("Add an action").click()
    page.get_by_label("Action", exact=True).fill("Invite the health visiting lead")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Action added")).to_be_visible()
    assert_accessible(page)

    for stage in ("act", "observe", "reflect"):
        page.get_by_role("button", name=f"Move to {stage}").click()
        expect(page.get_by_text(f"The cycle has moved to {stage}")).to_be_visible()
        assert_accessible(page)

    page.get_by_role("button", name="Close the cycle").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What changed in practice?").fill("Joint planning meetings in two centres.")
    page.get_by_label("What did the set learn?").fill("Relationships come before the template.")
    page.get_by_role("group", name="Which processes did the learning bear on?").get_by_label(names[1]).check()
    page.get_by_role("button", name="Close the cycle").click()
    expect(page.get_by_text("The cycle is closed")).to_be_visible()
    assert_accessible(page)
    assert ParCycle.objects.get().stage == Stage.CLOSED

    page.get_by_role("link", name="North locality leaders").first.click()
    page.get_by_role("link", name="Read the set's story").click()
    expect(page.get_by_role("heading", name="Cycle 1: How can we agree one plan with a family?")).to_be_visible()
    expect(page.get_by_text("Bethan Rees undertook to invite the health visiting lead")).to_be_visible()
    expect(page.get_by_text("Relationships come before the template.")).to_be_visible()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Cohort view").click()
    expect(page.get_by_role("heading", name="Cohort view")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Release the cohort view").click()
    expect(page.get_by_text("The cohort view is released")).to_be_visible()
    assert_accessible(page)

    sign_in(phone, member.user.email, personas.PASSWORD)
    for path in ("/sets/", f"/sets/{member.learning_set_id}/", f"/sets/{member.learning_set_id}/story/",
                 f"/sets/{member.learning_set_id}/cycles/1/"):
        phone.goto(path)
        assert_accessible(phone)
        assert_fits_width(phone)

    from flourish.sets import actions  # the invitation page, on a phone, for a newly invited leader
    token = actions.invite(member.learning_set, a_leader(1).email)
    phone.context.clear_cookies()
    sign_in(phone, a_leader(1).email, personas.PASSWORD)
    phone.goto(f"/sets/join/{token}/")
    expect(phone.get_by_role("heading", name="What the facilitator will see")).to_be_visible()
    assert_accessible(phone)
    assert_fits_width(phone)
    phone.get_by_role("button", name="Join the set").click()
    expect(phone.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("I understand and agree").check()
    phone.get_by_role("button", name="Join the set").click()
    expect(phone.get_by_text("You have joined")).to_be_visible()
    assert_accessible(phone)
