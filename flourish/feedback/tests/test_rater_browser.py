"""A rater answers from their personal link on a 360 px phone; every page of the flow,
including errors and the closed and withdrawn pages, passes axe-core and fits the width."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from flourish.feedback import actions
from flourish.feedback.models import RaterLink, Relationship, Response
from flourish.testing.browser import assert_accessible, assert_fits_width

from .helpers import fresh_rate_limits, without_list_approval  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cycle(leader, organisation, model_version):
    without_list_approval(organisation)
    organisation.show_line_manager_separately = True
    organisation.save()
    cycle = actions.create_cycle(
        leader, organisation, model_version, "Spring feedback", timezone.localdate() + timedelta(days=14)
    )
    actions.nominate(cycle, name="Bea Jones", email="bea@nhs.test", profession="Health",
                     relationship=Relationship.PEER)
    actions.nominate(cycle, name="Carl Smith", email="carl@council.test", profession="Social care",
                     relationship=Relationship.PARTNER)
    actions.nominate(cycle, name="Lin Hale", email="lin@riverside.test", profession="Family support",
                     relationship=Relationship.LINE_MANAGER)
    return actions.send_invitations(cycle)


def check(page):
    assert_accessible(page)
    assert_fits_width(page)


def test_a_rater_completes_the_questionnaire_on_a_phone(phone, cycle, leader, model_version):
    rater = cycle.raters.get(email="lin@riverside.test")
    token = RaterLink.issue(rater)
    scale = model_version.document["scale"]
    processes = model_version.processes

    phone.goto(f"/r/{token}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Feedback for {leader.display_name}")
    expect(phone.get_by_text("but only if you agree", exact=False)).to_be_visible()
    expect(phone.get_by_role("heading", name="What is not protected")).to_be_visible()
    check(phone)
    phone.get_by_role("button", name="Start now").click()

    for number, process in enumerate(processes, start=1):
        expect(phone.get_by_text(f"Part {number} of {len(processes)}")).to_be_visible()
        expect(phone.get_by_role("heading", level=1)).to_have_text(process["name"])
        check(phone)
        items = process["items"]
        if number == 1:
            # Keyboard only for the first answer: arrow keys move along the scale.
            first = phone.get_by_role("group", name=items[0]["other"])
            first.get_by_role("radio").first.focus()
            phone.keyboard.press("ArrowDown")
            expect(first.get_by_role("radio").nth(1)).to_be_checked()
            # Leave the rest unanswered: the error state.
            phone.get_by_role("button", name="Save and continue").focus()
            phone.keyboard.press("Enter")
            expect(phone.get_by_text("There is a problem")).to_be_visible()
            expect(phone).to_have_title(f"Error: {process['name']} – feedback for {leader.display_name} – Flourish")
            check(phone)
            expect(first.get_by_role("radio").nth(1)).to_be_checked()
        for index, item in enumerate(items):
            if number == 1 and index == 0:
                continue
            group = phone.get_by_role("group", name=item["other"])
            if index == 1:
                group.get_by_label(scale["not_observed"]).check()
            else:
                group.get_by_label(f"{(number + index) % 5 + 1} –", exact=False).check()
        if number == 2:
            phone.get_by_label(f"Comments on “{process['name']}” (optional)").fill("Always makes time to listen.")
        if number == 3:
            phone.get_by_role("button", name="Save and come back later").click()
            expect(phone.get_by_role("heading", name="Your answers are saved")).to_be_visible()
            check(phone)
            phone.goto(f"/r/{token}/")  # later, from the email
            phone.get_by_role("button", name="Carry on").click()
            expect(phone.get_by_text(f"Part {number + 1} of {len(processes)}")).to_be_visible()
            continue
        phone.get_by_role("button", name="Save and continue").click()

    expect(phone.get_by_role("heading", name="Check your answers")).to_be_visible()
    # The review is one closed part per process (a phone screen, not ten); each says what it holds.
    parts = phone.locator("details.flourish-review-part")
    expect(parts).to_have_count(len(processes))
    commented = parts.filter(has_text="answered, with a comment")
    expect(commented).to_have_count(1)
    expect(phone.get_by_text("Always makes time to listen.").first).to_be_hidden()
    commented.locator("summary").click()
    expect(phone.get_by_text("Always makes time to listen.").first).to_be_visible()
    check(phone)
    phone.get_by_label("Yes, my ratings may be shown separately as the line manager’s").check()
    phone.get_by_role("button", name="Send your feedback").click()

    expect(phone.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    check(phone)
    response = Response.objects.get(rater=rater)
    assert response.submitted_at is not None
    assert response.answers[processes[0]["items"][0]["id"]] == 2  # chosen by keyboard
    assert response.answers[processes[0]["items"][1]["id"]] is None
    assert len(response.answers) == model_version.item_count
    assert response.line_manager_consented

    # Coming back while open: the answers can still be changed.
    phone.get_by_role("link", name="Change your answers").click()
    expect(phone.get_by_text("You have sent your feedback; you can change it until")).to_be_visible()
    check(phone)

    # Another rater deletes their own draft answers: a confirmation page, then done.
    deleting = cycle.raters.get(email="bea@nhs.test")
    deleting_token = RaterLink.issue(deleting)
    actions.save_page(deleting, processes[0]["id"], {}, "Second thoughts")
    phone.goto(f"/r/{deleting_token}/delete-my-answers/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Delete your answers?")
    check(phone)
    phone.get_by_role("button", name="Yes, delete my answers").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your answers have been deleted")
    check(phone)
    assert not Response.objects.filter(rater=deleting).exists()

    # Another rater's link is withdrawn.
    withdrawn = cycle.raters.get(email="carl@council.test")
    withdrawn_token = RaterLink.issue(withdrawn)
    actions.revoke(withdrawn)
    phone.goto(f"/r/{withdrawn_token}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("This link has been withdrawn")
    check(phone)

    # After closing, every link gets the same page: answers are no longer linked to anyone.
    not_sent_token = RaterLink.issue(cycle.raters.get(email="bea@nhs.test"))
    actions.close(cycle)
    phone.goto(f"/r/{token}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("This feedback has closed")
    expect(phone.get_by_text("no longer linked to you", exact=False)).to_be_visible()
    check(phone)
    phone.goto(f"/r/{not_sent_token}/process/1/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("This feedback has closed")
    check(phone)


def test_the_too_many_requests_page_is_accessible_on_a_phone(phone, cycle, settings):
    settings.RATER_LINK_READ_RATE = "10/m"
    token = RaterLink.issue(cycle.raters.first())
    # Windows are fixed, so a boundary may fall inside the run: 3 x the limit always
    # overfills one window.
    for _ in range(30):
        if phone.request.get(f"/r/{token}/").status == 429:
            break
    reply = phone.goto(f"/r/{token}/")
    assert reply.status == 429
    expect(phone.get_by_role("heading", level=1)).to_have_text("Too many requests")
    check(phone)
