"""Large imports run as jobs — a REFI-QDA project or codebook, transcripts, a corrected
transcript, a list of people to ask: the upload is held until the import commits, the work
is done once however often the job runs, and a broken file fails saying why."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from flourish.jobs import actions
from flourish.jobs.models import Job, JobStatus, JobUpload
from flourish.jobs.testing import run_pending_jobs
from flourish.qualitative import exchange
from flourish.qualitative import jobs as qualitative_jobs
from flourish.qualitative.models import Project
from flourish.qualitative.tests.helpers import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(monkeypatch):
    """Every upload counts as large, so the test's small file takes the background path."""
    monkeypatch.setattr(qualitative_jobs, "IMPORT_IN_BACKGROUND", 0)


def test_a_large_import_is_a_job_that_makes_the_project_once(client, large, researcher, second_researcher,
                                                               model_version):
    project = make_project(researcher, second_researcher, model_version)
    client.force_login(second_researcher)
    response = client.post(reverse("qualitative:import_qdpx"), {
        "organisation": project.organisation.pk, "name": "Tomasz's copy",
        "file": SimpleUploadedFile("study.qdpx", exchange.export_qdpx(project))})
    job = Job.objects.get(kind=qualitative_jobs.IMPORT_JOB)
    assert response.url == reverse("jobs:progress", args=[job.pk])
    assert not Project.objects.filter(name="Tomasz's copy").exists() and JobUpload.objects.filter(job=job).exists()

    run_pending_jobs()
    copy = Project.objects.get(name="Tomasz's copy")
    status = json.loads(client.get(reverse("jobs:status", args=[job.pk])).content)
    assert status["status"] == "done" and "2 sources" in status["text"]
    assert status["result"]["url"] == reverse("qualitative:project", args=[copy.pk])
    assert not JobUpload.objects.exists()  # the research data is not kept twice

    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)  # run again
    actions.execute(job.pk)
    assert Project.objects.filter(name="Tomasz's copy").count() == 1


def test_a_broken_large_file_fails_saying_why_and_saves_nothing(client, large, researcher, organisation):
    client.force_login(researcher)
    before = Project.objects.count()
    client.post(reverse("qualitative:import_qdpx"), {
        "organisation": organisation.pk, "name": "New", "file": SimpleUploadedFile("x.qdpx", b"PK not really")})
    run_pending_jobs()
    job = Job.objects.get(kind=qualitative_jobs.IMPORT_JOB)
    assert job.status == JobStatus.FAILED and job.attempts == 1
    assert job.last_error.startswith("x.qdpx: ") and "not a ZIP archive" in job.last_error
    assert Project.objects.count() == before


def test_a_large_list_of_people_is_added_by_a_job_all_or_nothing(client, monkeypatch, leader, model_version):
    from flourish.feedback import jobs as feedback_jobs
    from flourish.feedback.tests.helpers import new_cycle

    monkeypatch.setattr(feedback_jobs, "IMPORT_IN_BACKGROUND", 0)
    cycle = new_cycle(leader, model_version)
    client.force_login(leader)
    good = (b"name,email,group,employer,relationship\n"
            b"Ann,ann@example.org,Health,NHS,peer\nBo,bo@example.org,Health,NHS,peer\n")
    bad = good + b"No Email,,Health,NHS,peer\n"
    client.post(reverse("feedback:upload_raters", args=[cycle.pk]), {"file": SimpleUploadedFile("bad.csv", bad)})
    client.post(reverse("feedback:upload_raters", args=[cycle.pk]), {"file": SimpleUploadedFile("good.csv", good)})
    run_pending_jobs()
    failed, done = Job.objects.filter(kind=feedback_jobs.NOMINATIONS_JOB).order_by("created")
    assert failed.status == JobStatus.FAILED and "nobody from it is on the list" in failed.last_error
    assert "row 4" in failed.last_error.lower()
    assert done.status == JobStatus.DONE and done.result["added"] == 2
    assert sorted(cycle.raters.values_list("email", flat=True)) == ["ann@example.org", "bo@example.org"]
    Job.objects.filter(pk=done.pk).update(status=JobStatus.QUEUED)  # run again: nobody added twice
    actions.execute(done.pk)
    assert cycle.raters.count() == 2


def upload_transcripts(client, project, *files):
    return client.post(reverse("qualitative:sources", args=[project.pk]), {
        "files": [SimpleUploadedFile(name, content) for name, content in files], "stage": "interview", "site": ""})


def test_large_transcripts_are_imported_by_a_job_all_or_nothing_and_once(client, large, researcher):
    from flourish.audit.models import Entry

    project = make_project(researcher)
    client.force_login(researcher)
    before = project.sources.count()
    bad = upload_transcripts(client, project, ("dee.txt", b"Dee: We share one plan.\n"), ("notes.pdf", b"%PDF-1"))
    good = upload_transcripts(client, project, ("dee.txt", b"Dee: We share one plan.\n"),
                              ("eve.txt", b"Eve: We tried a joint clinic.\n"))
    failed, done = Job.objects.filter(kind=qualitative_jobs.SOURCES_JOB).order_by("created")
    assert bad.url == reverse("jobs:progress", args=[failed.pk])
    assert good.url == reverse("jobs:progress", args=[done.pk])
    assert project.sources.count() == before  # nothing read inside the requests

    run_pending_jobs()
    failed.refresh_from_db()
    done.refresh_from_db()
    assert failed.status == JobStatus.FAILED and "Nothing was imported." in failed.last_error
    assert "notes.pdf: unsupported file type" in failed.last_error
    assert done.status == JobStatus.DONE and done.result["message"] == "Imported 2 transcripts: dee.txt, eve.txt."
    assert {"dee.txt", "eve.txt"} <= set(project.sources.values_list("name", flat=True))
    assert project.sources.get(name="eve.txt").attributes["stage"] == "interview"
    assert not JobUpload.objects.filter(job=done).exists()  # the research data is not kept twice
    assert Entry.objects.filter(verb="import", details__kind="transcripts").order_by("pk").last().address == "127.0.0.1"

    Job.objects.filter(pk=done.pk).update(status=JobStatus.QUEUED)  # run again: nothing imported twice
    actions.execute(done.pk)
    assert project.sources.count() == before + 2


def test_a_large_corrected_transcript_is_read_by_a_job(client, large, researcher):
    project = make_project(researcher)
    source = project.sources.first()
    client.force_login(researcher)
    response = client.post(reverse("qualitative:revise_source", args=[project.pk, source.pk]),
                           {"file": SimpleUploadedFile("fixed.txt", b"Ann: Every word is new here.\n")})
    job = Job.objects.get(kind=qualitative_jobs.REVISE_JOB)
    assert response.url == reverse("jobs:progress", args=[job.pk])
    source.refresh_from_db()
    assert "Every word is new" not in source.text
    run_pending_jobs()
    job.refresh_from_db()
    source.refresh_from_db()
    assert job.status == JobStatus.DONE and source.text == "Ann: Every word is new here.\n"
    assert job.result["url"] == reverse("qualitative:source", args=[project.pk, source.pk])


def test_a_large_codebook_is_added_by_a_job_and_a_broken_one_fails_saying_why(client, large, researcher):
    from flourish.qualitative import actions as qualitative_actions

    project = make_project(researcher)
    other = qualitative_actions.create_project(researcher, project.organisation, "Other")
    qualitative_actions.add_code(other, researcher, "Funding", definition="Money.")
    client.force_login(researcher)
    add = reverse("qualitative:import_qdc", args=[project.pk])
    client.post(add, {"file": SimpleUploadedFile("bad.qdc", b"<Nonsense/>")})
    client.post(add, {"file": SimpleUploadedFile("other.qdc", exchange.export_qdc(other))})
    assert not project.codes.filter(name="Funding").exists()
    run_pending_jobs()
    failed, done = Job.objects.filter(kind=qualitative_jobs.QDC_JOB).order_by("created")
    assert failed.status == JobStatus.FAILED and failed.last_error.startswith("bad.qdc: ")
    assert "not a REFI-QDA codebook" in failed.last_error
    assert done.status == JobStatus.DONE and done.result["message"].startswith("1 code added.")
    assert project.codes.filter(name="Funding").count() == 1
    Job.objects.filter(pk=done.pk).update(status=JobStatus.QUEUED)
    actions.execute(done.pk)
    assert project.codes.filter(name="Funding").count() == 1


def test_someone_no_longer_a_lead_when_the_job_runs_imports_nothing(client, large, researcher, second_researcher,
                                                                   model_version):
    from flourish.qualitative.models import MemberRole, ProjectMember

    project = make_project(researcher, second_researcher, model_version)
    ProjectMember.objects.filter(project=project, user=second_researcher).update(role=MemberRole.LEAD)
    client.force_login(second_researcher)
    before = project.sources.count()
    upload_transcripts(client, project, ("dee.txt", b"Dee: We share one plan.\n"))
    ProjectMember.objects.filter(project=project, user=second_researcher).update(role=MemberRole.CODER)
    run_pending_jobs()
    job = Job.objects.get(kind=qualitative_jobs.SOURCES_JOB)
    assert job.status == JobStatus.FAILED and "Only a lead researcher" in job.last_error
    assert project.sources.count() == before
