"""Emails the organisation admin's work sends: set-your-password links and notices.

Mail goes through the queue (`flourish.jobs.mail.queue_mail`), written in the action's own
transaction, so a refused action never leaves an email behind and a mail server that is
down delays the message instead of failing the page. The link uses Django's password-reset tokens: valid
for PASSWORD_RESET_TIMEOUT, once, and void as soon as a password is set.
"""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def sender_for(organisation) -> str:
    """DEFAULT_FROM_EMAIL, under the organisation's sender name when it has one."""
    name = ""
    org_settings = getattr(organisation, "admin_settings", None) if organisation else None
    if org_settings is not None:
        name = org_settings.sender_name
    if not name:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def set_password_link(user) -> str:
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    })
    return f"{settings.SITE_URL}{path}"


def queue_for(person, subject: str, template: str, context: dict, organisation=None,
              purpose: str = "orgadmin.account") -> None:
    """Queue an email to `person`; its record is keyed by the account, never the address,
    so erasing the account finds it."""
    from flourish.jobs.mail import queue_mail

    body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    queue_mail(purpose, f"user:{person.pk}", person.email, subject, body,
               from_email=sender_for(organisation))
