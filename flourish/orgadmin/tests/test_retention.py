"""Retention with the clock moved forward: what each period says has expired is gone —
from the database, the released report, its page and JSON — and nothing else is;
--dry-run lists the same and changes nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from flourish.audit.actions import record
from flourish.audit.models import Entry
from flourish.feedback import actions as feedback
from flourish.feedback.models import Rater, RaterLink, Response
from flourish.feedback.tests.helpers import add_raters, answer, new_cycle
from flourish.orgadmin import retention
from flourish.orgadmin.models import OrganisationSettings

pytestmark = pytest.mark.django_db

COMMENT = "Amara makes room for the health visitors at every meeting"


@pytest.fixture
def closed_cycle(leader, model_version):
    cycle = new_cycle(leader, model_version)
    raters = add_raters(cycle)
    feedback.send_invitations(cycle)
    for rater in raters[:6]:
        answer(rater, comment=COMMENT)
    cycle = feedback.close(cycle)
    assert cycle.is_released and COMMENT in str(cycle.report["comments"])
    return cycle


def days_later(n):
    return timezone.now() + timedelta(days=n)


def everything_the_leader_can_read(leader, cycle) -> str:
    client = Client()
    client.force_login(leader)
    return "".join(client.get(f"/feedback/{cycle.pk}/{path}").content.decode(errors="replace")
                   for path in ("report/", "report.json"))


def test_a_dry_run_lists_what_would_go_and_changes_nothing(closed_cycle):
    out = StringIO()
    call_command("retention", "apply", "--dry-run", "--as-of", days_later(800).date().isoformat(), stdout=out)
    assert "Would remove – Riverside Children's Centre: 8 raters' names and emails to de-identify" in out.getvalue()
    assert "6 responses' comments to delete" in out.getvalue()
    assert Rater.objects.filter(email__endswith="@example.org").count() == 8
    assert Response.objects.exclude(comments={}).count() == 6


def test_rater_contacts_go_after_their_period_and_comments_stay_until_theirs(closed_cycle, leader):
    retention.apply(days_later(364))
    assert Rater.objects.filter(email__endswith="@example.org").count() == 8

    retention.apply(days_later(366))
    raters = list(Rater.objects.filter(cycle=closed_cycle).order_by("pk"))
    assert [r.name for r in raters] == [f"Rater {n}" for n in range(1, 9)]
    assert {r.email for r in raters} == {""} and {r.employer for r in raters} == {""}
    assert not RaterLink.objects.filter(rater__cycle=closed_cycle).exists()
    assert Response.objects.filter(cycle=closed_cycle, submitted_at__isnull=False).count() == 6  # answers kept
    assert COMMENT in everything_the_leader_can_read(leader, closed_cycle)  # comments: 730 days
    read = everything_the_leader_can_read(leader, closed_cycle)
    assert "hannah@example.org" not in read and "Hannah" not in read


def test_comments_go_from_the_answers_the_report_and_its_page(closed_cycle, leader):
    assert COMMENT in everything_the_leader_can_read(leader, closed_cycle)  # the page is cached now
    retention.apply(days_later(731))
    closed_cycle.refresh_from_db()
    assert not Response.objects.exclude(comments={}).exists()
    assert closed_cycle.report["comments"] == {}
    assert COMMENT not in everything_the_leader_can_read(leader, closed_cycle)


def test_sign_in_records_and_old_audit_entries_go(closed_cycle, organisation, leader):
    AccessAttempt.objects.create(username=leader.email, ip_address="203.0.113.9", user_agent="x", http_accept="*",
                                 path_info="/account/sign-in/", failures_since_start=1)
    AccessLog.objects.create(username=leader.email, ip_address="203.0.113.9", user_agent="x", http_accept="*",
                             path_info="/account/sign-in/")
    record(leader, "report-viewed", closed_cycle)
    record(None, "sign-in-failed", None, email="nobody@x.test")
    retention.apply(days_later(89))
    assert AccessAttempt.objects.exists() and AccessLog.objects.exists()
    retention.apply(days_later(91))
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()
    assert Entry.objects.filter(verb="report-viewed").exists()  # the audit log is kept 730 days
    retention.apply(days_later(731))
    assert not Entry.objects.filter(verb__in=["report-viewed", "sign-in-failed"]).exists()
    assert Entry.objects.filter(verb="retention-applied").exists()  # what the last run did


def test_a_background_jobs_request_address_goes_with_the_sign_in_records(organisation, leader):
    from flourish.jobs.models import Job, JobStatus

    job = Job.objects.create(kind="qualitative.import_qdpx", key="import:1", label="Importing a project",
                             args={"organisation_id": organisation.pk, "address": "203.0.113.9"}, owner=leader,
                             status=JobStatus.DONE, run_after=timezone.now(), finished_at=timezone.now())
    assert "background jobs' request addresses to forget" in str(retention.plan(days_later(91)).counts)
    retention.apply(days_later(89))
    job.refresh_from_db()
    assert job.args["address"] == "203.0.113.9"
    retention.apply(days_later(91))
    job.refresh_from_db()
    assert job.args == {"organisation_id": organisation.pk, "address": None}


def test_each_organisation_keeps_its_own_periods(closed_cycle, organisation):
    OrganisationSettings.objects.create(organisation=organisation, retain_rater_contacts_days=3650)
    retention.apply(days_later(800))
    assert Rater.objects.filter(email__endswith="@example.org").count() == 8
    assert not Response.objects.exclude(comments={}).exists()  # comments: still the default 730 days
