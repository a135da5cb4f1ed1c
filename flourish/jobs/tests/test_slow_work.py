"""Slow work off the request, through the real views and the real queue: closing a cycle
builds its report in a job (once, however often it runs), and the report and plan PDFs
are made by jobs whose output only their reader can fetch; the old GET addresses of the
PDFs write nothing (they open the PDF made, or offer to make it)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from flourish.audit.models import Entry
from flourish.development import actions as development_actions
from flourish.development.tests.helpers import released_cycle, self_assessment
from flourish.feedback import actions as feedback_actions
from flourish.feedback.models import Cycle
from flourish.feedback.tests.helpers import add_raters, answer, new_cycle
from flourish.jobs import actions
from flourish.jobs.models import Job, JobFile, JobStatus
from flourish.jobs.testing import pdf_text, run_pending_jobs

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def status_of(client, job) -> dict:
    response = client.get(reverse("jobs:status", args=[job.pk]))
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def open_cycle(leader, model_version):
    cycle = new_cycle(leader, model_version)
    raters = add_raters(cycle)
    feedback_actions.send_invitations(cycle)
    for rater in raters:
        answer(rater)
    return cycle


def test_closing_answers_at_once_and_the_report_is_built_by_the_worker_once(leader, open_cycle):
    client = signed_in(leader)
    response = client.post(reverse("feedback:close", args=[open_cycle.pk]))
    job = Job.objects.get(kind=feedback_actions.REPORT_JOB)
    assert response.url == reverse("jobs:progress", args=[job.pk])
    open_cycle.refresh_from_db()
    assert open_cycle.is_closed and open_cycle.report is None

    page = client.get(response.url).content.decode()
    assert "<progress" in page and 'max="100"' in page and "Waiting for a worker" in page
    assert status_of(client, job)["status"] == "queued"

    run_pending_jobs()
    status = status_of(client, job)
    assert status["status"] == "done" and status["progress"] == 100
    assert status["result"] == {"url": reverse("feedback:report", args=[open_cycle.pk]), "text": "Read the report"}
    open_cycle.refresh_from_db()
    released_at, report = open_cycle.released_at, open_cycle.report
    assert report is not None

    # Run again (a duplicate message, a second worker, a second click): nothing is rebuilt.
    Cycle.objects.filter(pk=open_cycle.pk).update(report={**report, "marker": "first build"})
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    actions.execute(job.pk)
    assert client.post(reverse("feedback:close", args=[open_cycle.pk])).url == reverse("jobs:progress", args=[job.pk])
    run_pending_jobs()
    open_cycle.refresh_from_db()
    assert open_cycle.report["marker"] == "first build" and open_cycle.released_at == released_at
    assert Job.objects.filter(kind=feedback_actions.REPORT_JOB).count() == 1


def test_a_job_page_and_its_status_are_only_for_whoever_asked(leader, outsider, org_admin, open_cycle):
    signed_in(leader).post(reverse("feedback:close", args=[open_cycle.pk]))
    job = Job.objects.get(kind=feedback_actions.REPORT_JOB)
    for user in (outsider, org_admin):
        client = signed_in(user)
        for name in ("jobs:progress", "jobs:status", "jobs:download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
        assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404
    assert Client().get(reverse("jobs:status", args=[job.pk])).status_code == 302  # sign in first


def test_the_report_pdf_is_made_by_a_job_and_only_readers_can_fetch_it(leader, facilitator, model_version):
    cycle = released_cycle(leader, model_version)
    feedback_actions.share_report(cycle, facilitator)
    client = signed_in(facilitator)
    response = client.post(reverse("feedback:prepare_pdf", args=[cycle.pk]))
    job = Job.objects.get(kind="feedback.report_pdf")
    assert response.url == reverse("jobs:progress", args=[job.pk]) and job.owner == facilitator
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404  # not made yet

    run_pending_jobs()
    status = status_of(client, job)
    assert status["result"] == {"url": reverse("jobs:download", args=[job.pk]), "text": "Open the PDF"}
    pdf = client.get(status["result"]["url"])
    assert pdf["Content-Type"] == "application/pdf" and bytes(pdf.content).startswith(b"%PDF-")
    # Asking again gives the same job and file: the work was done once.
    assert client.post(reverse("feedback:prepare_pdf", args=[cycle.pk])).url == response.url
    run_pending_jobs()
    assert JobFile.objects.count() == 1

    # Sharing withdrawn: the old job's PDF is no longer theirs to fetch.
    feedback_actions.unshare_report(cycle, facilitator)
    assert client.get(status["result"]["url"]).status_code == 404


def test_a_plan_pdf_is_made_once_per_version_of_the_plan(leader, model_version):
    own = self_assessment(leader, model_version)
    processes = [model_version.processes[i]["id"] for i in (0, 3)]
    plan = development_actions.create_plan(leader, own, processes)
    client = signed_in(leader)
    first = client.post(reverse("development:prepare_plan_pdf", args=[plan.pk])).url
    assert client.post(reverse("development:prepare_plan_pdf", args=[plan.pk])).url == first
    run_pending_jobs()
    job = Job.objects.get(kind="development.plan_pdf")
    assert job.status == JobStatus.DONE and bytes(job.file.data).startswith(b"%PDF-")
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200


def test_a_failed_job_says_why_and_can_be_tried_again_from_its_page(leader, model_version):
    cycle = new_cycle(leader, model_version)
    job = actions.enqueue("feedback.report_pdf", key="pdf-of-an-unreleased-cycle", owner=leader,
                          label="A PDF", args={"cycle_id": cycle.pk})
    run_pending_jobs()
    client = signed_in(leader)
    status = status_of(client, job)
    assert status["status"] == "failed" and status["can_retry"]
    assert "is not released yet" in status["text"]
    page = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "Try again" in page and "is not released yet" in page
    response = client.post(reverse("jobs:retry", args=[job.pk]), follow=True)
    assert "It will run again" in response.content.decode()
    assert status_of(client, job)["status"] == "queued"


def test_the_old_pdf_address_writes_nothing_and_opens_the_pdf_once_it_is_made(leader, model_version):
    cycle = released_cycle(leader, model_version)
    client = signed_in(leader)
    old, prepare = reverse("feedback:report_pdf", args=[cycle.pk]), reverse("feedback:prepare_pdf", args=[cycle.pk])
    jobs, entries = Job.objects.count(), Entry.objects.count()
    page = client.get(old)
    assert page.status_code == 200 and "Make the PDF" in page.content.decode()
    assert f'action="{prepare}"' in page.content.decode()
    assert (Job.objects.count(), Entry.objects.count()) == (jobs, entries)  # a GET makes no job

    client.post(prepare)
    job = Job.objects.get(kind="feedback.report_pdf")
    assert client.get(old).url == reverse("jobs:progress", args=[job.pk])  # under way: its progress
    run_pending_jobs()
    assert client.get(old).url == reverse("jobs:download", args=[job.pk])  # made: the PDF itself
    job.refresh_from_db()
    assert cycle.title in " ".join(pdf_text(bytes(job.file.data)).split())
