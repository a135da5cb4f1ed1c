"""The organisation admin's pages in Chromium: an admin invites a colleague, changes a
role, uploads a broken framework file and saves settings; every page passes axe-core on
a desktop and at 360 px, and none scrolls sideways."""

import pytest
from playwright.sync_api import expect

from flourish.audit.actions import record
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_first_run_page_passes_axe_on_desktop_and_phone(page, phone, db):
    for view in (page, phone):
        view.goto("/")
        expect(view.get_by_text("This Flourish has no organisation yet")).to_be_visible()
        assert_accessible(view)
    assert_fits_width(phone)


def test_an_admin_works_through_every_page(page, phone, org_admin, leader, organisation, tmp_path):
    sign_in(page, org_admin.email, personas.PASSWORD)
    page.get_by_role("link", name="Your organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(organisation.name)
    assert_accessible(page)

    page.get_by_role("link", name="Members", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Send invitation").click()  # nothing filled in
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("bethan@riverside.test")
    page.get_by_label("First name").fill("Bethan")
    page.get_by_label("Last name").fill("Rees")
    page.get_by_label("Researcher", exact=False).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to bethan@riverside.test.")).to_be_visible()

    page.get_by_role("link", name="Amara Okafor").click()
    assert_accessible(page)
    page.get_by_label("Facilitator", exact=False).check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_text("Roles saved for amara@riverside.test.")).to_be_visible()
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("is deactivated and can no longer sign in")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Remove from").click()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="Frameworks").first.click()
    assert_accessible(page)
    broken = tmp_path / "ours.yaml"
    broken.write_text("slug: ours\nname: Ours\nversion: 1\nprocesses: nope\n")
    page.get_by_label("Framework file (YAML)").set_input_files(str(broken))
    page.get_by_role("button", name="Check and upload").click()
    expect(page.get_by_text("nothing was stored").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Settings").first.click()
    assert_accessible(page)
    page.get_by_label("Comment minimum").fill("2")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Comment minimum").fill("5")
    page.get_by_label("Sender name for emails").fill("Riverside Children's Centre")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()

    page.get_by_role("link", name="Audit log").first.click()
    expect(page.locator("td strong", has_text="roles-changed")).to_be_visible()
    assert_accessible(page)

    record(org_admin, "report-viewed", organisation)
    sign_in(phone, org_admin.email, personas.PASSWORD)
    org = f"/organisation/{organisation.pk}"
    for path in (f"{org}/", f"{org}/members/", f"{org}/members/{leader.pk}/", f"{org}/members/{leader.pk}/remove/",
                 f"{org}/frameworks/", f"{org}/settings/", f"{org}/sign-in/", f"{org}/audit/"):
        phone.goto(path)
        assert_accessible(phone)
        assert_fits_width(phone)


def test_uploading_a_logo_and_filtering_the_audit_log_pass_axe_on_desktop_and_phone(
        page, phone, org_admin, organisation, tmp_path):
    from .helpers import image

    good, bad = tmp_path / "logo.png", tmp_path / "logo.svg"
    good.write_bytes(image())
    bad.write_text("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    org = f"/organisation/{organisation.pk}"
    sign_in(page, org_admin.email, personas.PASSWORD)
    page.goto(f"{org}/settings/")
    page.get_by_label("Logo (PNG or JPEG)").set_input_files(str(bad))
    page.get_by_role("button", name="Upload the logo").click()
    expect(page.get_by_text("must be a PNG or JPEG image").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Logo (PNG or JPEG)").set_input_files(str(good))
    page.get_by_role("button", name="Upload the logo").click()
    expect(page.get_by_text("Logo saved.")).to_be_visible()
    expect(page.get_by_role("img", name=f"{organisation.name} logo")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{org}/audit/?since=not-a-date")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    sign_in(phone, org_admin.email, personas.PASSWORD)
    for path in (f"{org}/settings/", f"{org}/audit/?verb=settings-changed", f"{org}/audit/?since=not-a-date"):
        phone.goto(path)
        assert_accessible(phone)
        assert_fits_width(phone)
