"""Mail through the queue, against a real SMTP server (aiosmtpd) that is down and then up:
the cycle opens anyway, nothing is marked sent, the leader sees why, and once the server
is back every invitation is delivered exactly once and shows "Sent"."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from flourish.core.tokens import hash_token
from flourish.feedback import actions
from flourish.feedback.models import RaterLink, Status
from flourish.feedback.tests.helpers import add_raters, fresh_rate_limits, new_cycle  # noqa: F401
from flourish.jobs.models import Delivery, DeliveryStatus
from flourish.jobs.testing import run_pending_jobs

from .smtp import SMTPServer, free_port, smtp_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server(settings):
    server = SMTPServer(free_port())
    smtp_settings(settings, server.port)
    yield server  # not started: the mail server is down until the test starts it
    server.stop()


@pytest.fixture
def cycle(leader, model_version):
    return new_cycle(leader, model_version)


def link_cells(page: str) -> list[str]:
    return re.findall(
        r"<td class=\"govuk-table__cell\">(Sent[^<]*|Not delivered yet|Not sent yet|Withdrawn)</td>", page
    )


def test_with_the_mail_server_down_the_cycle_opens_and_invitations_go_when_it_is_back(
        client, leader, cycle, mail_server):
    raters = add_raters(cycle)
    client.force_login(leader)

    response = client.post(reverse("feedback:invite", args=[cycle.pk]))
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == Status.OPEN

    run_pending_jobs()  # the worker tries: connection refused, for every rater
    page = client.get(reverse("feedback:detail", args=[cycle.pk])).content.decode()
    assert link_cells(page) == ["Not delivered yet"] * len(raters)
    assert f"{len(raters)} invitations not yet delivered: retrying; last error: ConnectionRefusedError" in page
    assert not Delivery.objects.filter(status=DeliveryStatus.SENT).exists()

    # Adding someone while mail is down saves them and queues their invitation; no 500.
    response = client.post(reverse("feedback:add_rater", args=[cycle.pk]), {
        "name": "Nia", "email": "nia@example.org", "profession": "Health", "employer": "Trust",
        "relationship": "peer",
    })
    assert response.status_code == 302
    run_pending_jobs()
    assert f"{len(raters) + 1} invitations not yet delivered" in client.get(
        reverse("feedback:detail", args=[cycle.pk])).content.decode()

    mail_server.start()
    response = client.post(reverse("feedback:resend", args=[cycle.pk]), follow=True)
    assert f"Trying again to deliver {len(raters) + 1} emails" in response.content.decode()
    run_pending_jobs()
    page = client.get(reverse("feedback:detail", args=[cycle.pk])).content.decode()
    assert all(cell.startswith("Sent ") for cell in link_cells(page)) and len(link_cells(page)) == len(raters) + 1
    assert "not yet delivered" not in page
    assert sorted(mail_server.inbox.to()) == sorted([r.email for r in raters] + ["nia@example.org"])

    # The retries that were scheduled while it was down come due: nothing goes twice.
    run_pending_jobs(advance=timedelta(days=1))
    assert len(mail_server.inbox.messages) == len(raters) + 1

    # The delivered link works; the stored message no longer holds it.
    body = mail_server.inbox.body_for(raters[0].email)
    token = re.search(r"/r/([^/\s]+)/", body).group(1)
    assert RaterLink.objects.filter(token_hash=hash_token(token), rater=raters[0]).exists()
    assert not Delivery.objects.filter(body__contains=token).exists()
    assert set(Delivery.objects.values_list("body", flat=True)) == {""}


def test_the_automatic_retry_delivers_once_the_server_is_back(leader, cycle, mail_server):
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    run_pending_jobs()
    assert mail_server.inbox.messages == []
    assert Delivery.objects.filter(status=DeliveryStatus.QUEUED, attempts=1).count() == len(raters)

    mail_server.start()
    assert run_pending_jobs() == 0  # backing off: the next attempt is not due yet
    run_pending_jobs(advance=timedelta(minutes=1))
    assert sorted(mail_server.inbox.to()) == sorted(r.email for r in raters)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT, attempts=2).count() == len(raters)
    run_pending_jobs(advance=timedelta(days=1))
    assert len(mail_server.inbox.messages) == len(raters)


def test_a_reminder_while_mail_is_down_is_retried_but_never_counted_for_the_leader(client, leader, cycle,
                                                                                   mail_server):
    """Reminders go only to people who have not answered: a count of stuck reminders on the
    leader's page would say how many have not (with one asked, whether that one has)."""
    from flourish.feedback.tests.helpers import answer

    raters = add_raters(cycle)
    mail_server.start()
    actions.send_invitations(cycle)
    run_pending_jobs()
    answer(raters[0])
    mail_server.stop()
    client.force_login(leader)
    response = client.post(reverse("feedback:remind", args=[cycle.pk]), follow=True)
    assert response.status_code == 200
    run_pending_jobs()
    reminders = Delivery.objects.filter(purpose=actions.REMINDER)
    assert reminders.count() == len(raters) - 1
    assert not reminders.filter(status=DeliveryStatus.SENT).exists()
    page = client.get(reverse("feedback:detail", args=[cycle.pk])).content.decode()
    assert link_cells(page) == [c for c in link_cells(page) if c.startswith("Sent ")]
    assert "not yet delivered" not in page
    mail_server.start()
    run_pending_jobs(advance=timedelta(hours=1))
    assert reminders.filter(status=DeliveryStatus.SENT).count() == len(raters) - 1
    # At close the reminders' records go with the link between raters and answers.
    actions.close(cycle)
    assert not Delivery.objects.filter(purpose=actions.REMINDER).exists()


def test_a_delivery_run_twice_sends_once(leader, cycle, mail_server):
    from flourish.jobs import actions as job_actions
    from flourish.jobs.models import Job

    mail_server.start()
    add_raters(cycle)
    actions.send_invitations(cycle)
    job = Job.objects.filter(kind="jobs.deliver").first()
    assert job_actions.execute(job.pk) == "done"
    job.status = "queued"  # as if a second worker were handed it again
    job.save(update_fields=["status"])
    job_actions.execute(job.pk)
    assert len(mail_server.inbox.messages) == 1
