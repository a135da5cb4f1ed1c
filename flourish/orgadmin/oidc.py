"""Sign-in through each organisation's own OpenID Connect provider, with mozilla-django-oidc.

mozilla-django-oidc reads one provider from Django settings. Here the provider depends on
the person: the sign-in page asks for their email address, finds the organisation whose
allowed domain it has, and keeps that provider's id in the session; the request view and
the authentication backend below then read that organisation's issuer, client id and
secret instead of settings. Endpoints come from the issuer's discovery document.

Accounts are matched by verified email (the provider must say `email_verified`); someone
new gets an account with no role, listed for the admin as waiting for one.
"""

import logging
import os

import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.shortcuts import render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from flourish.accounts.models import Membership

from .models import IdentityProvider, Newcomer, OrganisationSettings

log = logging.getLogger(__name__)
SESSION_KEY = "flourish_oidc_provider"
DISCOVERY_SECONDS = 3600

# What mozilla-django-oidc would otherwise read from settings.
OIDC_SETTINGS = {
    "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_callback",
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_USE_PKCE": True,
    "OIDC_TIMEOUT": 10,
    "LOGIN_REDIRECT_URL_FAILURE": "/sign-in/organisation/?failed=1",
}


def oidc_setting(attr, *default):
    if attr in OIDC_SETTINGS:
        return OIDC_SETTINGS[attr]
    return import_from_settings(attr, *default)


class ProviderUnavailable(Exception):
    pass


def discovery(issuer: str) -> dict:
    key = f"oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=OIDC_SETTINGS["OIDC_TIMEOUT"])
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ProviderUnavailable(f"{url}: {error}") from None
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def client_secret(provider: IdentityProvider) -> str:
    if provider.client_secret_env:
        return os.environ.get(provider.client_secret_env, "")
    return provider.client_secret


def provider_for_email(email: str) -> IdentityProvider | None:
    domain = email.strip().lower().rpartition("@")[2]
    if not domain:
        return None
    return IdentityProvider.objects.filter(allowed_domain=domain, enabled=True).select_related("organisation").first()


def provider_in_session(request) -> IdentityProvider | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return IdentityProvider.objects.filter(pk=pk, enabled=True).select_related("organisation").first()


class OrganisationAuthRequestView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):  # the provider is known only per request
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        provider = provider_in_session(request)
        if provider is None:
            raise SuspiciousOperation("No organisation chosen for sign-in.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = discovery(provider.issuer)["authorization_endpoint"]
        except (ProviderUnavailable, KeyError) as error:
            log.warning("identity provider unavailable: %s", error)
            return render(request, "orgadmin/provider_unavailable.html",
                          {"organisation": provider.organisation}, status=502)
        self.OIDC_RP_CLIENT_ID = provider.client_id
        return super().get(request)

    def get_extra_params(self, request):
        hint = request.session.get(SESSION_KEY + "_email")
        return {"login_hint": hint} if hint else {}


class OrganisationCallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):  # configured per request, in authenticate()
        self.UserModel = get_user_model()
        self.provider = None

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET:
            return None
        provider = provider_in_session(request)
        if provider is None:
            return None
        try:
            endpoints = discovery(provider.issuer)
        except ProviderUnavailable as error:
            log.warning("identity provider unavailable: %s", error)
            return None
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = endpoints["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = endpoints["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = client_secret(provider)
        self.OIDC_RP_SIGN_ALGO = OIDC_SETTINGS["OIDC_RP_SIGN_ALGO"]
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims):
        """A verified address in the organisation's own domain, nothing less."""
        email = str(claims.get("email", "")).lower()
        verified = claims.get("email_verified") in (True, "true")
        in_domain = email.rpartition("@")[2] == self.provider.allowed_domain
        if not (verified and in_domain):
            log.warning("identity-provider sign-in refused: email %s verified=%s in domain=%s",
                        email, verified, in_domain)
        return bool(email) and verified and in_domain

    @transaction.atomic
    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            claims["email"].lower(), None,
            first_name=str(claims.get("given_name", ""))[:150], last_name=str(claims.get("family_name", ""))[:150],
        )
        Newcomer.objects.get_or_create(organisation=self.provider.organisation, user=user)
        return user

    def update_user(self, user, claims):
        """Someone known elsewhere who signs in through this organisation for the first time
        waits for a role here too."""
        if not Membership.objects.filter(user=user, organisation=self.provider.organisation).exists():
            Newcomer.objects.get_or_create(organisation=self.provider.organisation, user=user)
        return user


class PasswordBackend(ModelBackend):
    """Django's password sign-in, refused for anyone in an organisation that switched it off
    (they sign in through its identity provider). Their password sessions end too."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        organisations = Membership.objects.filter(user=user).values("organisation_id")
        return not OrganisationSettings.objects.filter(organisation_id__in=organisations,
                                                       password_sign_in=False).exists()
