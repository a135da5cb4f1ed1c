"""A large REFI-QDA import runs as a job: the upload is held until the import commits,
the project is made once however often the job runs, and a broken file fails saying why."""

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
