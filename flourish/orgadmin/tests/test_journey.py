"""The whole journey of an organisation adopting Flourish, through the real commands,
views, browser and identity provider: create the organisation from the command line, the
admin sets a password from the emailed link, invites a leader and a researcher (the
researcher signs in through the organisation's OpenID provider), a .qdpx is imported, the
audit log is read and exported, a leader downloads their data and erases their account,
and retention runs with the clock moved forward — after which nothing that should have
gone remains, in the database or in any export."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from flourish.accounts.models import Membership, Organisation, Role, User
from flourish.audit.models import Entry
from flourish.feedback.models import Rater
from flourish.feedback.tests.test_report_outputs import build_cycle, standard_specs
from flourish.jobs.testing import sent_mail
from flourish.qualitative.models import Project
from flourish.qualitative.tests.helpers import make_project
from flourish.testing import personas

from .helpers import NEW_PASSWORD, flourish, last_mail_to, link_in, set_password_from
from .oidc_fixtures import CLIENT_ID, SECRET_ENV
from .test_oidc_browser import expect_signed_in, sign_in_through_provider

pytestmark = pytest.mark.django_db(transaction=True)

HUB = "Meadow Family Hub"
COMMENT = "Leila always brings the school nurse into planning"


def password_client(email, password=NEW_PASSWORD) -> Client:
    client = Client()
    response = client.post("/account/sign-in/", {"username": email, "password": password})
    assert response.status_code == 302, f"{email} could not sign in"
    return client


def invited(admin, hub, email, role) -> str:
    response = admin.post(f"/organisation/{hub.pk}/members/invite/", {"email": email, "roles": [role]})
    assert response.status_code == 302
    return link_in(last_mail_to(email))


def everything_in_the_database() -> str:
    out = StringIO()
    call_command("dumpdata", "--natural-foreign", stdout=out, exclude=["contenttypes", "auth.permission"])
    return out.getvalue()


def test_an_organisation_adopts_flourish_from_first_run_to_retention(page, oidc_provider, model_version, tmp_path,
                                                                    settings):
    # 1. The command line creates the organisation; the admin chooses a password from the email.
    assert "Queued an email to ada@meadow.test with a link to set their password (a worker sends it)." in flourish(
        "organisation", "create", HUB, "--admin", "ada@meadow.test")
    hub = Organisation.objects.get(name=HUB)
    set_password_from(Client(), link_in(sent_mail()[-1]))
    admin = password_client("ada@meadow.test")

    # 2. The admin invites a leader and a researcher and sets up the identity provider.
    set_password_from(Client(), invited(admin, hub, "leila@meadow.test", Role.LEADER))
    invited(admin, hub, "rhys@meadow.test", Role.RESEARCHER)
    assert admin.post(f"/organisation/{hub.pk}/sign-in/", {
        "issuer": oidc_provider, "client_id": CLIENT_ID, "client_secret_env": SECRET_ENV,
        "allowed_domain": "meadow.test", "enabled": "True"}).status_code == 302
    leila = User.objects.get(email="leila@meadow.test")
    password_client(leila.email)

    # 3. The researcher signs in through the organisation's provider, in Chromium.
    sign_in_through_provider(page, "rhys@meadow.test", "rhys")
    expect_signed_in(page)
    rhys = User.objects.get(email="rhys@meadow.test")
    assert Membership.objects.filter(user=rhys, organisation=hub, role=Role.RESEARCHER).exists()

    # 4. A .qdpx is imported on the command line.
    coder = personas.person("cai@meadow.test", Role.RESEARCHER, hub, "Cai", "Jones")
    project = make_project(rhys, coder, model_version)
    qdpx = tmp_path / "study.qdpx"
    call_command("coding", "export", str(project.pk), "--format", "qdpx", "--output", str(qdpx),
                 stdout=StringIO(), stderr=StringIO())
    flourish("coding", "import", str(qdpx), "--project", "Imported study", "--organisation", HUB,
             "--user", rhys.email)
    assert Project.objects.filter(name="Imported study", organisation=hub).exists()

    # 5. Two leaders' feedback closes with comments; one of them is Leila.
    ben = personas.person("ben@meadow.test", Role.LEADER, hub, "Ben", "Hughes")
    specs = standard_specs(model_version)
    for who in (leila, ben):
        build_cycle(who, model_version, specs, via_links=False, self_value=lambda j, m: 3)
    rater_emails = set(Rater.objects.values_list("email", flat=True)) - {""}
    assert rater_emails

    # 6. The admin reads and exports the audit log; the command line exports it too.
    log = admin.get(f"/organisation/{hub.pk}/audit/").content.decode()
    for verb in ("sign-in", "member-invited", "import", "settings-changed"):
        assert f"<strong>{verb}</strong>" in log, verb
    assert "identity provider" in log
    csv_download = admin.get(f"/organisation/{hub.pk}/audit/audit.csv").content.decode()
    assert "rhys@meadow.test" in csv_download and "import" in csv_download
    audit_file = tmp_path / "audit.csv"
    flourish("audit", "export", "--organisation", HUB, "--output", str(audit_file))
    assert "member-invited" in audit_file.read_text()

    # 7. Leila downloads her data, then erases her account.
    leila_client = password_client(leila.email)
    download = leila_client.get("/your-data/download.json").content.decode()
    assert json.loads(download)["account"]["email"] == leila.email
    assert not any(email in download for email in rater_emails)
    assert leila_client.post("/your-data/erase/", {"email": leila.email}).status_code == 302
    assert not User.objects.filter(email=leila.email).exists()

    # 8. Retention, with the clock moved forward past every period.
    later = (timezone.localdate() + timedelta(days=800)).isoformat()
    dry = StringIO()
    call_command("retention", "apply", "--dry-run", "--as-of", later, stdout=dry)
    assert "raters' names and emails to de-identify" in dry.getvalue()
    call_command("retention", "apply", "--as-of", later, stdout=StringIO())

    database = everything_in_the_database()
    assert not any(email in database for email in rater_emails)
    assert "leila@meadow.test" not in database.replace('"verb": "account-erased"', "")
    for exported in (Client(), ):
        exported.force_login(ben)
        ben_data = exported.get("/your-data/download.json").content.decode()
        assert not any(email in ben_data for email in rater_emails)
        assert json.loads(ben_data)["feedback_cycles"][0]["released_report"]["comments"] == {}
    after = tmp_path / "audit-after.csv"
    flourish("audit", "export", "--organisation", HUB, "--output", str(after))
    assert "member-invited" not in after.read_text()  # older than the audit period at that date
    assert Entry.objects.filter(verb="retention-applied", organisation_id=hub.pk).exists()
