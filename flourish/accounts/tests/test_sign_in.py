"""Signing in and out: email and password, the error summary, lock-out, password hashing."""

import pytest
from django.conf import settings
from django.urls import reverse

from flourish.testing.personas import PASSWORD

SIGN_IN = reverse("login")


def sign_in(client, email, password, **extra):
    return client.post(SIGN_IN, {"username": email, "password": password, **extra})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_the_sign_in_page_asks_for_email_and_password(client):
    response = client.get(SIGN_IN)

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content
    assert b"Forgotten your password?" in response.content


def test_it_signs_a_leader_in_with_email_and_password_and_redirects_home(client, leader):
    response = sign_in(client, "amara@riverside.test", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_user_id(client) == str(leader.pk)


def test_it_redirects_to_the_page_asked_for_after_signing_in(client, leader):
    response = sign_in(client, leader.email, PASSWORD, next=reverse("account"))

    assert response.status_code == 302
    assert response.url == reverse("account")


def test_it_does_not_redirect_to_another_site_after_signing_in(client, leader):
    response = sign_in(client, leader.email, PASSWORD, next="https://evil.example/")

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_it_accepts_the_email_address_in_any_letter_case(client, leader):
    response = sign_in(client, "Amara@Riverside.TEST", PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(leader.pk)


def test_a_wrong_password_shows_the_error_summary_and_does_not_sign_in(client, leader):
    response = sign_in(client, leader.email, "not-the-password")

    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "There is a problem" in content
    assert "Please enter a correct email address and password" in content
    assert signed_in_user_id(client) is None


def test_an_unknown_email_gets_the_same_error_as_a_wrong_password(client, leader):
    response = sign_in(client, "nobody@riverside.test", PASSWORD)

    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()


def test_a_signed_in_person_visiting_sign_in_is_sent_home(client, leader):
    client.force_login(leader)

    response = client.get(SIGN_IN)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_it_locks_an_account_after_the_failure_limit_even_with_the_right_password(client, leader):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert sign_in(client, leader.email, "wrong-password").status_code == 200

    locked = sign_in(client, leader.email, "wrong-password")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()

    with_the_right_password = sign_in(client, leader.email, PASSWORD)
    assert with_the_right_password.status_code == 429
    assert "Too many failed sign-in attempts" in with_the_right_password.content.decode()
    assert reverse("password_reset") in with_the_right_password.content.decode()
    assert signed_in_user_id(client) is None


def test_a_few_failures_below_the_limit_do_not_stop_the_right_password(client, leader):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, leader.email, "wrong-password")

    response = sign_in(client, leader.email, PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(leader.pk)


def test_locking_one_account_does_not_lock_another(client, leader, facilitator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, leader.email, "wrong-password")

    response = sign_in(client, facilitator.email, PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(facilitator.pk)


def test_passwords_are_stored_hashed_with_argon2(leader):
    leader.refresh_from_db()

    assert leader.password.startswith("argon2")
    assert PASSWORD not in leader.password
    assert leader.check_password(PASSWORD)


def test_sign_out_refuses_a_get_request_and_keeps_the_person_signed_in(client, leader):
    client.force_login(leader)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert signed_in_user_id(client) == str(leader.pk)


def test_sign_out_by_post_signs_the_person_out_and_goes_home(client, leader):
    client.force_login(leader)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("email", ["", None])
def test_creating_a_user_without_an_email_is_refused(db, email):
    from flourish.accounts.models import User

    with pytest.raises(ValueError):
        User.objects.create_user(email, PASSWORD)


def test_changing_the_letter_case_of_the_email_does_not_dodge_the_lock_out(client, leader):
    spellings = ["amara@riverside.test", "Amara@riverside.test", "AMARA@riverside.test",
                 "amara@Riverside.test", "amara@RIVERSIDE.TEST", "Amara@Riverside.Test"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        sign_in(client, spelling, "wrong-password")

    response = sign_in(client, "AmArA@riverside.test", PASSWORD)

    assert response.status_code == 429
    assert signed_in_user_id(client) is None
