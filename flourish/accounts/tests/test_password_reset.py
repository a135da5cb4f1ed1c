"""Password reset by email: one email, sent by the mail queue (never inside the request), a
link that works once, no account enumeration."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from flourish.jobs.models import Delivery, DeliveryStatus
from flourish.jobs.testing import run_pending_jobs
from flourish.jobs.tests.smtp import SMTPServer, free_port, smtp_settings
from flourish.testing.personas import PASSWORD

NEW_PASSWORD = "a-brand-new-river-walk-42"
LINK = re.compile(r"https?://[^/\s]+(/account/password-reset/[^/\s]+/[^/\s]+/)")


def ask_for_a_reset(client, email):
    response = client.post(reverse("password_reset"), {"email": email})
    run_pending_jobs()  # the worker sends it
    return response


def the_link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, f"no reset link in:\n{message.body}"
    return found.group(1)


def choose_new_password(client, link, password=NEW_PASSWORD):
    """Open the link (Django swaps the token for a session and redirects) and post the form."""
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert form.context["validlink"] is True
    return client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_asking_for_a_reset_queues_one_email_that_the_worker_sends(client, leader):
    response = client.post(reverse("password_reset"), {"email": leader.email})
    assert mail.outbox == []  # not sent inside the request
    [queued] = Delivery.objects.filter(purpose="accounts.password_reset", object_key=f"user:{leader.pk}")
    assert queued.status == DeliveryStatus.QUEUED
    run_pending_jobs()

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [leader.email]
    assert message.subject == "Reset your Flourish password"
    assert the_link_in(message)


def test_the_reset_link_lets_the_person_sign_in_with_the_new_password(client, leader):
    ask_for_a_reset(client, leader.email)
    link = the_link_in(mail.outbox[0])

    response = choose_new_password(client, link)
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")

    leader.refresh_from_db()
    assert leader.check_password(NEW_PASSWORD)
    assert leader.password.startswith("argon2")
    signed_in = client.post(reverse("login"), {"username": leader.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(leader.pk)


def test_the_old_password_stops_working_after_a_reset(client, leader):
    ask_for_a_reset(client, leader.email)
    choose_new_password(client, the_link_in(mail.outbox[0]))

    response = client.post(reverse("login"), {"username": leader.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_reset_link_works_only_once(client, leader):
    ask_for_a_reset(client, leader.email)
    link = the_link_in(mail.outbox[0])
    choose_new_password(client, link)

    again = client.get(link, follow=True)

    assert again.status_code == 200
    assert again.context["validlink"] is False
    assert "This link has expired" in again.content.decode()


def test_a_tampered_reset_link_is_refused(client, leader):
    ask_for_a_reset(client, leader.email)
    link = the_link_in(mail.outbox[0])
    tampered = link.rstrip("/")[:-3] + "xyz/"

    response = client.get(tampered, follow=True)

    assert response.context["validlink"] is False
    assert "This link has expired" in response.content.decode()


def test_the_new_passwords_must_match_and_be_strong(client, leader):
    ask_for_a_reset(client, leader.email)
    form = client.get(the_link_in(mail.outbox[0]), follow=True)

    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"}
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD)


def test_an_unknown_email_gets_the_same_page_and_no_email(client, leader):
    known = ask_for_a_reset(client, leader.email)
    mail.outbox.clear()

    unknown = ask_for_a_reset(client, "nobody@riverside.test")

    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url == reverse("password_reset_done")
    assert mail.outbox == []
    page = client.get(unknown.url)
    assert "Check your email" in page.content.decode()


def test_the_reset_email_matches_the_address_in_any_letter_case(client, leader):
    ask_for_a_reset(client, "AMARA@riverside.test")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [leader.email]


@pytest.mark.django_db(transaction=True)
def test_with_the_mail_server_down_the_page_still_answers_and_the_link_goes_when_it_is_back(client, leader, settings):
    server = SMTPServer(free_port())
    smtp_settings(settings, server.port)  # not started yet: the mail server is down
    try:
        response = client.post(reverse("password_reset"), {"email": leader.email})
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
        run_pending_jobs()  # connection refused: nothing sent, it will be retried
        delivery = Delivery.objects.get(purpose="accounts.password_reset")
        assert delivery.status == DeliveryStatus.QUEUED and "ConnectionRefusedError" in delivery.last_error

        server.start()
        run_pending_jobs(advance=timedelta(hours=1))
        assert server.inbox.to() == [leader.email]
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SENT
        assert delivery.body == ""  # the link is not kept once the mail server has it
        link = LINK.search(server.inbox.body_for(leader.email).replace("=\n", "")).group(1)
        assert choose_new_password(client, link).url == reverse("password_reset_complete")
    finally:
        server.stop()
