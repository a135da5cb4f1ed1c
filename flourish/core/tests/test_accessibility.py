"""Every page a person can reach passes axe-core (WCAG 2.2 AA) in Chromium, on a
desktop and on a 360 px phone, and never scrolls sideways."""

import pytest
from playwright.sync_api import expect

from flourish.selfassess.models import SelfAssessment
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def public_pages(model_version):
    slug = model_version.slug
    return [
        "/", "/model/" + slug + "/", "/model/about/", "/account/sign-in/",
        "/account/password-reset/", "/account/password-reset/sent/", "/api/docs",
        "/no-such-page/",
        *(f"/model/{slug}/{p['id']}/" for p in model_version.processes),
    ]


def completed_assessment(leader, model_version):
    answers = {i["id"]: 3 for p in model_version.processes for i in p["items"]}
    importance = {p["id"]: 4 for p in model_version.processes}
    a = SelfAssessment.objects.create(
        leader=leader, organisation=leader.memberships.first().organisation,
        framework_version=model_version, answers=answers, importance=importance,
        focus=[model_version.processes[0]["id"]],
    )
    SelfAssessment.objects.filter(pk=a.pk).update(completed=a.started)
    return a


def test_every_public_page_passes_axe_on_desktop_and_phone(page, phone, model_version):
    for browser_page in (page, phone):
        for url in public_pages(model_version):
            browser_page.goto(url)
            assert_accessible(browser_page)
            if browser_page is phone:
                assert_fits_width(browser_page)


def test_every_signed_in_page_passes_axe_on_desktop_and_phone(page, phone, leader, model_version):
    assessment = completed_assessment(leader, model_version)
    SelfAssessment.objects.create(leader=leader, organisation=assessment.organisation,
                                  framework_version=model_version)  # the home page offers to continue it
    for browser_page in (page, phone):
        sign_in(browser_page, leader.email, personas.PASSWORD)
        for url in ["/", "/account/", "/self-assessment/", f"/self-assessment/{assessment.pk}/"]:
            browser_page.goto(url)
            assert_accessible(browser_page)
            if browser_page is phone:
                assert_fits_width(browser_page)


def test_the_menu_and_skip_link_work_by_keyboard(phone, model_version):
    phone.goto("/")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    phone.keyboard.press("Enter")
    assert phone.evaluate("location.hash") == "#main-content"
    menu = phone.get_by_role("button", name="Menu")
    menu.focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("link", name="The model", exact=True)).to_be_visible()


def test_the_password_reset_and_lock_out_pages_pass_axe(page, leader):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(leader.pk))
    page.goto(f"/account/password-reset/{uid}/{default_token_generator.make_token(leader)}/")
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/account/password-reset/{uid}/not-a-token/")
    expect(page.get_by_role("heading", name="This link has expired")).to_be_visible()
    assert_accessible(page)
    page.goto("/account/password-reset/done/")
    assert_accessible(page)
    for _ in range(5):
        sign_in(page, leader.email, "wrong password")
    expect(page.get_by_role("heading", name="Too many failed sign-in attempts")).to_be_visible()
    assert_accessible(page)
