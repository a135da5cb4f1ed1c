from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader


class SignInForm(AuthenticationForm):
    """Sign in by email address, whatever its letter case.

    Email addresses are stored in lower case (see UserManager.create_user), so the typed
    address is lowered before authentication. That also gives django-axes one spelling per
    account: otherwise "Amara@…" and "amara@…" would each get their own failure count and
    an attacker could multiply the lock-out limit by varying the case.
    """

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the email goes through the mail queue: the request never
    waits on the mail server, a server that is down delays the link instead of failing
    the page, and the link is kept only until the server accepts the message."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        from django.db import transaction

        from flourish.jobs.mail import queue_mail

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        with transaction.atomic():
            queue_mail("accounts.password_reset", f"user:{context['user'].pk}", to_email, subject, body,
                       from_email=from_email or "")
