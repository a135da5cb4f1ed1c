"""Frameworks and settings through the admin's real pages: an invalid framework file is
refused with every problem at its place and nothing stored; settings keep their floors;
the logo is checked by its content; and admins never see who answered."""

from pathlib import Path

import pytest
import yaml

from flourish.audit.models import Entry
from flourish.feedback import actions as feedback_actions
from flourish.feedback.tests.helpers import add_raters, answer, new_cycle
from flourish.frameworks.models import Framework
from flourish.jobs.testing import sent_mail
from flourish.orgadmin.models import OrganisationSettings

from .helpers import image, signed_in

pytestmark = pytest.mark.django_db

BUILTIN = Path(__file__).resolve().parents[2] / "frameworks" / "data" / "vaggers-anderson.yaml"
PNG = image("PNG")


def own_framework_file(**changes) -> bytes:
    document = yaml.safe_load(BUILTIN.read_text())
    document.update({"slug": "riverside-own", "name": "Riverside's own framework", "version": 1, **changes})
    return yaml.safe_dump(document).encode()


def upload(client, organisation, data, name="framework.yaml"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/organisation/{organisation.pk}/frameworks/upload/",
                       {"file": SimpleUploadedFile(name, data, content_type="application/x-yaml")})


def test_an_invalid_framework_file_names_every_problem_and_stores_nothing(org_admin, organisation):
    document = yaml.safe_load(own_framework_file())
    document["processes"][0]["items"][0]["other"] = 7
    del document["processes"][1]["name"]
    response = upload(signed_in(org_admin), organisation, yaml.safe_dump(document).encode())

    assert response.status_code == 400
    page = response.content.decode()
    assert "nothing was stored" in page
    assert "processes[0].items[0].other" in page and "processes[1]" in page
    assert not Framework.objects.filter(slug="riverside-own").exists()


def test_a_valid_framework_file_becomes_the_organisations_own_and_can_be_the_default(org_admin, organisation):
    admin = signed_in(org_admin)
    assert upload(admin, organisation, own_framework_file()).status_code == 302
    own = Framework.objects.get(slug="riverside-own")
    assert own.organisation == organisation
    assert admin.post(f"/organisation/{organisation.pk}/frameworks/default/",
                      {"framework": own.pk}).status_code == 302
    assert OrganisationSettings.objects.get(organisation=organisation).default_framework == own
    page = admin.get(f"/organisation/{organisation.pk}/frameworks/").content.decode()
    assert "Riverside&#x27;s own framework" in page and "Your own" in page
    assert Entry.objects.filter(verb="framework-uploaded", organisation_id=organisation.pk).exists()


def test_another_organisations_framework_cannot_be_the_default(org_admin, organisation, outsider):
    from flourish.frameworks.actions import load_framework

    theirs, _ = load_framework(yaml.safe_load(own_framework_file(slug="hilltop-own")),
                               organisation=outsider.memberships.first().organisation)
    response = signed_in(org_admin).post(f"/organisation/{organisation.pk}/frameworks/default/",
                                         {"framework": theirs.framework.pk})
    assert response.status_code == 400
    assert OrganisationSettings.objects.get(organisation=organisation).default_framework is None


def test_frameworks_in_use_are_counted(org_admin, leader, organisation, model_version):
    new_cycle(leader, model_version)  # a cycle and its self-assessment
    page = signed_in(org_admin).get(f"/organisation/{organisation.pk}/frameworks/").content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in page


def settings_data(**changes):
    data = {"report_name": "", "sender_name": "Riverside Children's Centre", "comment_minimum": "4",
            "password_sign_in": "True", "retain_rater_contacts_days": "365", "retain_comments_days": "730",
            "retain_sign_in_logs_days": "90", "retain_audit_days": "730", "show_line_manager_separately": "False",
            "rater_lists_need_approval": "True"}
    data.update(changes)
    return data


def test_settings_are_saved_and_logged(org_admin, organisation):
    response = signed_in(org_admin).post(f"/organisation/{organisation.pk}/settings/",
                                         settings_data(show_line_manager_separately="True"))
    assert response.status_code == 302
    saved = OrganisationSettings.objects.get(organisation=organisation)
    assert (saved.comment_minimum, saved.sender_name) == (4, "Riverside Children's Centre")
    organisation.refresh_from_db()
    assert organisation.show_line_manager_separately is True
    entry = Entry.objects.get(verb="settings-changed")
    assert entry.details["comment_minimum"] == 4 and entry.details["show_line_manager_separately"] is True


@pytest.mark.parametrize("field, value, message", [
    ("comment_minimum", "2", "greater than or equal to 3"),
    ("retain_comments_days", "5", "greater than or equal to 30"),
    ("password_sign_in", "False", "Set up your identity provider before switching password sign-in off"),
])
def test_settings_below_their_floor_are_refused(org_admin, organisation, field, value, message):
    response = signed_in(org_admin).post(f"/organisation/{organisation.pk}/settings/", settings_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    saved = OrganisationSettings.objects.get(organisation=organisation)
    assert (saved.comment_minimum, saved.retain_comments_days, saved.password_sign_in) == (3, 730, True)


@pytest.mark.django_db(transaction=True)  # mail goes out on commit
def test_the_sender_name_is_used_for_emails(org_admin, organisation, settings):

    settings.DEFAULT_FROM_EMAIL = "Flourish <flourish@riverside.test>"
    admin = signed_in(org_admin)
    admin.post(f"/organisation/{organisation.pk}/settings/", settings_data())
    admin.post(f"/organisation/{organisation.pk}/members/invite/", {"email": "new@riverside.test", "roles": ["leader"]})
    assert sent_mail()[-1].from_email == "Riverside Children's Centre <flourish@riverside.test>"


def logo(client, organisation, data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/organisation/{organisation.pk}/settings/logo/", {"logo": SimpleUploadedFile(name, data)})


def test_a_png_logo_is_stored_and_shown_only_to_members(org_admin, leader, organisation, outsider):
    assert logo(signed_in(org_admin), organisation, PNG, "logo.png").status_code == 302
    response = signed_in(leader).get(f"/organisation/{organisation.pk}/logo")
    assert response.status_code == 200 and response["Content-Type"] == "image/png" and response.content == PNG
    assert signed_in(outsider).get(f"/organisation/{organisation.pk}/logo").status_code == 404


def test_a_jpeg_logo_is_recognised_by_its_content_whatever_its_name(org_admin, organisation):
    jpeg = image("JPEG")
    assert logo(signed_in(org_admin), organisation, jpeg, "logo.png").status_code == 302
    stored = OrganisationSettings.objects.get(organisation=organisation)
    assert (bytes(stored.logo), stored.logo_type) == (jpeg, "image/jpeg")


@pytest.mark.parametrize("data, name, message", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "logo.png", "must be a PNG or JPEG"),
    (b"GIF89a" + b"\x00" * 20, "logo.gif", "must be a PNG or JPEG"),
    (PNG + b"\x00" * 300_000, "big.png", "must be at most 200 KB"),
    (PNG[:len(PNG) // 2], "cut-off.png", "could not be read as a PNG image"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "fake.png", "could not be read as a PNG image"),
    (image("PNG", size=(2400, 10)), "wide.png", "is 2400 × 10 pixels; it must be at most 2000 × 2000"),
    (b"", "empty.png", "The submitted file is empty"),
])
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(org_admin, organisation, data, name, message):
    response = logo(signed_in(org_admin), organisation, data, name)
    assert response.status_code == 400 and message in response.content.decode()
    assert not OrganisationSettings.objects.filter(organisation=organisation, logo__isnull=False).exists()


def test_admin_pages_never_show_who_answered(org_admin, leader, organisation, model_version):
    cycle = new_cycle(leader, model_version)
    raters = add_raters(cycle)
    feedback_actions.send_invitations(cycle)
    for rater in raters[:5]:
        answer(rater, comment="Amara listens to everyone at the table")
    admin = signed_in(org_admin)
    org = f"/organisation/{organisation.pk}"
    for url in (f"{org}/", f"{org}/members/", f"{org}/members/?q=example.org", f"{org}/frameworks/",
                f"{org}/settings/", f"{org}/audit/", f"{org}/audit/audit.csv"):
        page = admin.get(url).content.decode()
        for rater in raters:
            assert rater.email not in page, (url, rater.email)
        assert "listens to everyone" not in page, url


def test_queued_invitations_go_out_under_the_organisations_sender_name(org_admin, organisation, leader,
                                                                       model_version, settings):
    from django.core import mail

    from flourish.feedback import actions as feedback_actions
    from flourish.feedback.tests.helpers import add_raters, new_cycle
    from flourish.jobs.testing import run_pending_jobs

    settings.DEFAULT_FROM_EMAIL = "Flourish <flourish@riverside.test>"
    signed_in(org_admin).post(f"/organisation/{organisation.pk}/settings/", settings_data())
    cycle = new_cycle(leader, model_version)
    add_raters(cycle)
    feedback_actions.send_invitations(cycle)
    mail.outbox.clear()
    run_pending_jobs()
    assert sent_mail() and {m.from_email for m in sent_mail()} == {
        "Riverside Children's Centre <flourish@riverside.test>"}
