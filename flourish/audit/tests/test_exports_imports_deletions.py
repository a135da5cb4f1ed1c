"""Qualitative exports, web imports, deletions, API report reads, PDFs made by a worker and
command-line exports go into the audit log: who, which object, when and from where — and
never the words of a memo, a journal entry, a transcript or a comment."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from flourish.api import actions as api_actions
from flourish.audit.models import Entry
from flourish.development import actions as development_actions
from flourish.feedback.tests.test_report_outputs import build_cycle, standard_specs
from flourish.jobs.models import Job
from flourish.jobs.testing import run_pending_jobs
from flourish.qualitative import actions, exchange, selectors
from flourish.qualitative.models import Project
from flourish.qualitative.tests.analysis_helpers import coded_project
from flourish.qualitative.tests.helpers import INTERVIEW, make_project
from flourish.sets.tests.helpers import new_set

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.23"


def signed_in(user) -> Client:
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(user)
    return client


def entries(verb):
    return list(Entry.objects.filter(verb=verb).order_by("pk"))


def whole_log() -> str:
    return str(list(Entry.objects.values_list("object_label", "details")))


@pytest.fixture
def project(researcher, second_researcher, model_version):
    """Mei's and Tomasz's coded project; both have chosen to compare."""
    project = coded_project(researcher, second_researcher, model_version)
    for user in (researcher, second_researcher):
        actions.choose_to_compare(selectors.person_layer(project, user))
    return project


def test_every_qualitative_download_is_recorded_with_who_what_and_where(project, researcher):
    client = signed_in(researcher)
    for url in [reverse("qualitative:export_qdpx", args=[project.pk]),
                reverse("qualitative:export_qdc", args=[project.pk]),
                reverse("qualitative:quotations_export", args=[project.pk, "csv"]),
                reverse("qualitative:quotations_export", args=[project.pk, "md"]),
                reverse("qualitative:agreement_download", args=[project.pk, "csv"])]:
        assert client.get(url).status_code == 200, url

    recorded = [(e.verb, e.details.get("format")) for e in Entry.objects.order_by("pk")
                if e.verb.endswith("-exported")]
    assert recorded == [("coding-exported", "qdpx"), ("coding-exported", "qdc"), ("quotations-exported", "csv"),
                        ("quotations-exported", "md"), ("agreement-exported", "csv")]
    for entry in Entry.objects.filter(verb__endswith="-exported"):
        assert (entry.actor_email, entry.object_type, entry.object_id, entry.address, entry.organisation_id) == (
            researcher.email, "qualitative.project", str(project.pk), ADDRESS, project.organisation_id)
    assert "We meet every week" not in whole_log()


def test_a_blind_coders_refused_download_is_not_recorded_as_a_download(project, researcher, second_researcher):
    other = make_project(researcher, second_researcher, project.framework_version, name="Blind study")
    assert signed_in(second_researcher).get(reverse("qualitative:export_qdpx", args=[other.pk])).status_code == 404
    assert entries("coding-exported") == []


def test_web_imports_of_a_project_a_codebook_and_transcripts_are_recorded(project, researcher, organisation):
    client = signed_in(researcher)
    response = client.post(reverse("qualitative:import_qdpx"), {
        "organisation": organisation.pk, "name": "Copy of the study",
        "file": SimpleUploadedFile("study.qdpx", exchange.export_qdpx(project))})
    assert response.status_code == 200
    copy = Project.objects.get(name="Copy of the study")
    empty = actions.create_project(researcher, organisation, "Empty study", project.framework_version)
    assert client.post(reverse("qualitative:import_qdc", args=[empty.pk]), {
        "file": SimpleUploadedFile("codes.qdc", exchange.export_qdc(project))}).status_code == 200
    assert client.post(reverse("qualitative:sources", args=[empty.pk]), {
        "files": [SimpleUploadedFile("interview-bo.txt", INTERVIEW.encode())]}).status_code == 302

    recorded = [(e.object_id, e.details["kind"], e.details["file"], e.actor_email, e.address)
                for e in entries("import") if e.address]
    assert recorded == [(str(copy.pk), "qdpx", "study.qdpx", researcher.email, ADDRESS),
                        (str(empty.pk), "qdc", "codes.qdc", researcher.email, ADDRESS),
                        (str(empty.pk), "transcripts", "interview-bo.txt", researcher.email, ADDRESS)]
    assert "ring them before any change" not in whole_log()


def test_a_large_project_imported_by_a_worker_is_recorded_with_the_uploaders_address(
        monkeypatch, project, researcher, organisation):
    from flourish.qualitative import jobs as qualitative_jobs

    monkeypatch.setattr(qualitative_jobs, "IMPORT_IN_BACKGROUND", 0)
    signed_in(researcher).post(reverse("qualitative:import_qdpx"), {
        "organisation": organisation.pk, "name": "Background copy",
        "file": SimpleUploadedFile("big.qdpx", exchange.export_qdpx(project))})
    assert not any(e.details.get("file") == "big.qdpx" for e in entries("import"))  # not yet: nothing made
    run_pending_jobs()
    copy = Project.objects.get(name="Background copy")
    [entry] = [e for e in entries("import") if e.details.get("file") == "big.qdpx"]
    assert (entry.object_id, entry.actor_email, entry.address, entry.organisation_id) == (
        str(copy.pk), researcher.email, ADDRESS, organisation.pk)


def test_a_list_of_people_to_ask_uploaded_on_the_web_is_recorded_without_their_addresses(
        monkeypatch, leader, model_version):
    from flourish.feedback import jobs as feedback_jobs
    from flourish.feedback.tests.helpers import new_cycle

    cycle = new_cycle(leader, model_version)
    rows = (b"name,email,group,employer,relationship\n"
            b"Ann,ann@example.org,Health,NHS,peer\nBo,bo@example.org,Health,NHS,peer\n")
    client = signed_in(leader)
    client.post(reverse("feedback:upload_raters", args=[cycle.pk]), {"file": SimpleUploadedFile("people.csv", rows)})
    monkeypatch.setattr(feedback_jobs, "IMPORT_IN_BACKGROUND", 0)
    more = b"name,email,group,employer,relationship\nCy,cy@example.org,Health,NHS,peer\n"
    client.post(reverse("feedback:upload_raters", args=[cycle.pk]), {"file": SimpleUploadedFile("more.csv", more)})
    run_pending_jobs()

    recorded = [(e.object_id, e.details["file"], e.details["added"], e.actor_email, e.address)
                for e in entries("import")]
    assert recorded == [(str(cycle.pk), "people.csv", 2, leader.email, ADDRESS),
                        (str(cycle.pk), "more.csv", 1, leader.email, ADDRESS)]
    assert "example.org" not in whole_log()


def test_deleting_a_journal_entry_is_recorded_without_its_title_or_text(leader, organisation, model_version):
    entry = development_actions.write_entry(leader, organisation, model_version, title="Falling out with Priya",
                                            text="I lost my temper.", written_on=date(2026, 1, 5))
    assert signed_in(leader).post(f"/development/journal/{entry.pk}/delete/").status_code == 302
    [deleted] = entries("journal-entry-deleted")
    assert (deleted.actor_email, deleted.object_type, deleted.object_id, deleted.address,
            deleted.organisation_id) == (leader.email, "development.journalentry", str(entry.pk), ADDRESS,
                                         organisation.pk)
    assert "Priya" not in whole_log() and "temper" not in whole_log()


def test_deleting_a_memo_a_source_a_code_and_removing_a_member_are_recorded(project, researcher, second_researcher):
    memo = actions.add_memo(project, researcher, "Ann sounds exhausted here.", name="Ann's tiredness")
    code = actions.add_code(project, researcher, "A code nobody used")
    source = project.sources.get(name="par-session-1.txt")
    member = project.members.get(user=second_researcher)
    client = signed_in(researcher)
    assert client.post(reverse("qualitative:delete_memo", args=[project.pk, memo.pk])).status_code == 302
    assert client.post(reverse("qualitative:delete_code", args=[project.pk, code.pk])).status_code == 302
    assert client.post(reverse("qualitative:delete_source", args=[project.pk, source.pk])).status_code == 302
    assert client.post(reverse("qualitative:remove_member", args=[project.pk, member.pk])).status_code == 302

    recorded = [(e.verb, e.object_id, e.address, e.organisation_id) for e in Entry.objects.order_by("pk")
                if e.verb.endswith(("-deleted", "-removed"))]
    assert recorded == [("memo-deleted", str(memo.pk), ADDRESS, project.organisation_id),
                        ("code-deleted", str(code.pk), ADDRESS, project.organisation_id),
                        ("source-deleted", str(source.pk), ADDRESS, project.organisation_id),
                        ("coding-member-removed", str(second_researcher.pk), ADDRESS, project.organisation_id)]
    assert "exhausted" not in whole_log() and "tiredness" not in whole_log()


def test_a_refused_deletion_leaves_no_entry(project, researcher):
    framework_code = project.codes.filter(process_id__isnull=False).exclude(process_id="").first()
    response = signed_in(researcher).post(reverse("qualitative:delete_code", args=[project.pk, framework_code.pk]))
    assert response.status_code == 302 and project.codes.filter(pk=framework_code.pk).exists()
    assert entries("code-deleted") == []


@pytest.fixture
def released(leader, model_version):
    return build_cycle(leader, model_version, standard_specs(model_version), via_links=False,
                       self_value=lambda j, m: 3)


def test_reading_a_report_through_the_api_is_recorded(released, leader, organisation):
    _, raw = api_actions.issue_token(leader, "laptop")
    response = Client(REMOTE_ADDR=ADDRESS).get(f"/api/cycles/{released.pk}/report",
                                              HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    [entry] = entries("report-json-downloaded")
    assert (entry.actor_email, entry.object_id, entry.address, entry.organisation_id, entry.details) == (
        leader.email, str(released.pk), ADDRESS, organisation.pk, {"via": "api"})
    stored = whole_log()
    for texts in released.report["comments"].values():
        assert not any(text in stored for text in texts)


def test_a_report_pdf_made_by_a_worker_is_recorded_when_it_is_fetched(released, leader):
    client = signed_in(leader)
    client.post(reverse("feedback:prepare_pdf", args=[released.pk]))
    run_pending_jobs()
    job_id = Job.objects.get(kind="feedback.report_pdf").pk
    assert entries("report-pdf-downloaded") == []  # made, not yet read
    response = client.get(reverse("jobs:download", args=[job_id]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    [entry] = entries("report-pdf-downloaded")
    assert (entry.actor_email, entry.object_type, entry.object_id, entry.address, entry.details["via"]) == (
        leader.email, "feedback.cycle", str(released.pk), ADDRESS, "job")


def test_command_line_exports_are_recorded_as_the_command_line(released, project, facilitator, model_version,
                                                               tmp_path):
    learning_set = new_set(facilitator, model_version)
    call_command("report", str(released.pk), "--format", "json", "--output", str(tmp_path / "r.json"))
    call_command("coding", "export", str(project.pk), "--format", "qdc", "--output", str(tmp_path / "c.qdc"))
    call_command("sets", "export", str(learning_set.pk), "--output", str(tmp_path / "s.md"))
    call_command("research", "export", "--format", "csv", "--output", str(tmp_path / "d.csv"),
                 stderr=io.StringIO())
    recorded = {(e.verb, e.object_id) for e in Entry.objects.filter(actor_id__isnull=True, address__isnull=True)}
    assert {("report-json-downloaded", str(released.pk)), ("coding-exported", str(project.pk)),
            ("set-record-exported", str(learning_set.pk)),
            ("research-exported", str(released.organisation_id))} <= recorded


def test_a_leaders_consents_and_shares_in_a_set_are_recorded(facilitator, leader, organisation, model_version):
    from flourish.sets import actions as set_actions

    learning_set = new_set(facilitator, model_version)
    link = reverse("sets:join", args=[set_actions.invite(learning_set, leader.email)])
    entry = development_actions.write_entry(leader, organisation, model_version, title="What Priya said",
                                            text="Private words.", written_on=date(2026, 1, 5))
    client = signed_in(leader)
    assert client.post(link, {"consent": "on"}).status_code == 302
    set_path = f"/sets/{learning_set.pk}"
    client.post(f"{set_path}/sharing/", {"share_scores": "on"})
    client.post(f"{set_path}/journal/", {"entry": entry.pk, "share": "yes"})
    client.post(f"{set_path}/journal/", {"entry": entry.pk, "share": "no"})
    client.post(f"{set_path}/leave/")

    recorded = [(e.verb, e.details) for e in Entry.objects.filter(object_type="sets.learningset").order_by("pk")
                if e.actor_id == leader.pk]
    assert recorded == [("set-joined", {"consented": True, "share_scores": False}),
                        ("set-consent-changed", {"share_scores": True}),
                        ("journal-entry-shared", {"journal_entry": entry.pk}),
                        ("journal-entry-unshared", {"journal_entry": entry.pk}),
                        ("set-left", {})]
    assert all(e.address == ADDRESS for e in Entry.objects.filter(actor_id=leader.pk, object_type="sets.learningset"))
    assert "Priya" not in whole_log() and "Private words" not in whole_log()
