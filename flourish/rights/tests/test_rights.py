"""A leader's data-protection rights through the real views: one download of everything
held about them that never says which rater said what; taking back a shared report (the
reader loses it at once and is emailed, on share and on un-share); public pages filled in
from settings. Only the leader can un-share: everyone else gets 404."""

import json
from datetime import date

import pytest
from django.test import Client

from flourish.audit.models import Entry
from flourish.development import actions as development
from flourish.feedback.models import Rater
from flourish.feedback.tests.test_report_outputs import build_cycle, standard_specs
from flourish.jobs.testing import sent_mail
from flourish.rights import actions
from flourish.testing import personas

pytestmark = pytest.mark.django_db(transaction=True)  # mail is sent on commit


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coach(organisation):
    return personas.person("chris@coaching.test", "facilitator", organisation, "Chris", "Coach")


@pytest.fixture
def released(leader, model_version):
    return build_cycle(leader, model_version, standard_specs(model_version), via_links=False,
                       self_value=lambda j, m: 3)


def test_the_download_holds_the_leaders_work_and_never_who_answered(leader, released, organisation, model_version,
                                                                    outsider):
    development.write_entry(leader, organisation, model_version, title="After the away day",
                            text="I spoke less and listened more.", written_on=date(2026, 3, 1))
    development.write_entry(outsider, outsider.memberships.first().organisation, model_version,
                            title="Not Amara's", text="Someone else's private thoughts.", written_on=date(2026, 3, 1))
    response = signed_in(leader).get("/your-data/download.json")

    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == leader.email
    assert [c["title"] for c in data["feedback_cycles"]] == [released.title]
    cycle = data["feedback_cycles"][0]
    assert cycle["released_report"] == json.loads(json.dumps(released.report))
    answered = Rater.objects.filter(cycle=released, response__submitted_at__isnull=False)
    assert cycle["raters_answered"] == answered.count()
    assert [e["title"] for e in data["journal"]] == ["After the away day"]
    assert data["self_assessments"]
    text = response.content.decode()
    for rater in Rater.objects.filter(cycle=released):
        assert rater.email not in text and f'"{rater.name}"' not in text
    assert "Someone else's private thoughts" not in text
    assert "report_salt" not in text and "token" not in text
    assert Entry.objects.filter(verb="subject-access-downloaded", actor_id=leader.pk).exists()


def test_a_shared_report_is_taken_back_and_the_reader_is_emailed_both_times(leader, released, coach):
    actions.share(leader, released, coach)
    assert "shared a feedback report with you" in sent_mail()[-1].subject and sent_mail()[-1].to == [coach.email]
    reader = signed_in(coach)
    assert reader.get(f"/feedback/{released.pk}/report/").status_code == 200

    owner = signed_in(leader)
    page = owner.get(f"/your-data/reports/{released.pk}/sharing/").content.decode()
    assert "Chris Coach" in page
    url = f"/your-data/reports/{released.pk}/sharing/{coach.pk}/remove/"
    assert "Stop sharing" in owner.get(url).content.decode()
    assert released.shared_with.filter(pk=coach.pk).exists()  # the GET changed nothing
    assert owner.post(url).status_code == 302

    assert reader.get(f"/feedback/{released.pk}/report/").status_code == 404
    assert reader.get(f"/feedback/{released.pk}/report.json").status_code == 404
    assert "stopped sharing" in sent_mail()[-1].subject and sent_mail()[-1].to == [coach.email]
    assert [e.verb for e in Entry.objects.filter(verb__in=["report-shared", "report-unshared"]).order_by("pk")] == [
        "report-shared", "report-unshared"]


@pytest.mark.parametrize("persona", ["coach", "org_admin", "facilitator", "outsider"])
def test_only_the_leader_can_see_or_change_who_reads_their_report(request, persona, leader, released, coach):
    actions.share(leader, released, coach)
    client = signed_in(request.getfixturevalue(persona))
    assert client.get(f"/your-data/reports/{released.pk}/sharing/").status_code == 404
    url = f"/your-data/reports/{released.pk}/sharing/{coach.pk}/remove/"
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    assert released.shared_with.filter(pk=coach.pk).exists()


def test_un_sharing_someone_it_was_never_shared_with_is_404(leader, released, outsider):
    assert signed_in(leader).post(f"/your-data/reports/{released.pk}/sharing/{outsider.pk}/remove/").status_code == 404


def test_the_public_pages_are_filled_in_from_settings(client, settings, db):
    settings.FLOURISH_OPERATOR_NAME = "Riverside Council"
    settings.FLOURISH_PRIVACY_CONTACT = "dpo@riverside.example"
    settings.FLOURISH_ACCESSIBILITY_REVIEWED = "1 December 2026"
    privacy = client.get("/privacy/").content.decode()
    assert "run by Riverside Council" in privacy and "mailto:dpo@riverside.example" in privacy
    assert "365 days after the feedback closes" in privacy
    accessibility = client.get("/accessibility/").content.decode()
    assert "last reviewed on 1 December 2026" in accessibility and "dpo@riverside.example" in accessibility


def test_another_organisations_report_ids_are_404_on_every_rights_page(leader, outsider, model_version):
    theirs = build_cycle(outsider, model_version, standard_specs(model_version), via_links=False,
                         self_value=lambda j, m: 3)
    client = signed_in(leader)
    assert client.get(f"/your-data/reports/{theirs.pk}/sharing/").status_code == 404
    assert client.post(f"/your-data/reports/{theirs.pk}/sharing/", {"email": leader.email}).status_code == 404
    remove = f"/your-data/reports/{theirs.pk}/sharing/{outsider.pk}/remove/"
    assert client.get(remove).status_code == 404 and client.post(remove).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in_from_every_rights_page(leader, released):
    for url in ("/your-data/", "/your-data/download.json", "/your-data/erase/",
                f"/your-data/reports/{released.pk}/sharing/",
                f"/your-data/reports/{released.pk}/sharing/{leader.pk}/remove/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/account/sign-in/" in response.url, url
