"""Shared steps for the organisation admin's tests."""

import re
from io import StringIO

from django.core.management import call_command
from django.test import Client

from flourish.jobs.testing import sent_mail
from flourish.testing.personas import PASSWORD

LINK = re.compile(r"https?://[^/\s]+(/account/password-reset/[^/\s]+/[^/\s]+/)")
NEW_PASSWORD = "a-brand-new-river-walk-42"


def flourish(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, f"no set-your-password link in:\n{message.body}"
    return found.group(1)


def set_password_from(client, link, password=NEW_PASSWORD):
    """Open the emailed link (Django swaps the token for a session) and choose a password."""
    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"] is True
    return client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def can_sign_in(email, password=PASSWORD) -> bool:
    """Through the real sign-in page (with django-axes and every backend)."""
    client = Client()
    response = client.post("/account/sign-in/", {"username": email, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def last_mail_to(email):
    sent = [m for m in sent_mail() if email in m.to]
    assert sent, f"no email to {email} (sent: {[m.to for m in sent_mail()]})"
    return sent[-1]


def image(fmt="PNG", size=(120, 40), colour=(0, 94, 165)) -> bytes:
    """A real, small image file (a solid block of the organisation's colour)."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()
