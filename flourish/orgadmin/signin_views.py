"""Sign-in with the organisation's identity provider: ask for the email address, find the
organisation by its allowed domain, and hand over to the provider."""

from django.shortcuts import redirect, render

from . import oidc
from .forms import OrganisationSignInForm


def sign_in(request):
    form = OrganisationSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        provider = oidc.provider_for_email(email)
        if provider is None:
            form.add_error("email", f"No organisation signs in people @{email.rpartition('@')[2]} here. "
                                    "Sign in with your Flourish password instead.")
        else:
            request.session[oidc.SESSION_KEY] = provider.pk
            request.session[oidc.SESSION_KEY + "_email"] = email
            next_url = request.GET.get("next", "")
            return redirect(f"/sign-in/organisation/start/{'?next=' + next_url if next_url else ''}")
    failed = request.GET.get("failed") == "1"
    return render(request, "orgadmin/organisation_sign_in.html", {"form": form, "failed": failed},
                  status=400 if form.errors else 200)
