from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Sign in by email address, whatever its letter case.

    Email addresses are stored in lower case (see UserManager.create_user), so the typed
    address is lowered before authentication. That also gives django-axes one spelling per
    account: otherwise "Amara@…" and "amara@…" would each get their own failure count and
    an attacker could multiply the lock-out limit by varying the case.
    """

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
