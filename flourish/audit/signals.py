"""Sign-ins and failed sign-ins go into the audit log, for every way of signing in
(password, organisation identity provider, the admin site), through Django's auth signals.

An entry belongs to one organisation, so a sign-in by someone in two organisations is
written once for each: each organisation's admin sees it in their own log."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from flourish.accounts.models import Membership, User

from . import actions


def _organisation_ids(user) -> list[int | None]:
    ids = sorted(set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True)))
    # People who signed in through an identity provider and have no role yet.
    ids += [n for n in user.newcomer_at.values_list("organisation_id", flat=True) if n not in ids]
    return ids or [None]


@receiver(user_logged_in, dispatch_uid="audit-sign-in")
def on_sign_in(sender, request, user, **kwargs):
    how = "identity provider" if getattr(user, "backend", "").endswith("OrganisationOIDCBackend") else "password"
    for organisation_id in _organisation_ids(user):
        actions.record(request, "sign-in", user, organisation=organisation_id, actor=user, method=how)


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    email = str((credentials or {}).get("username", "")).strip().lower()[:200]
    if not email:  # an identity-provider callback that failed carries no address
        return
    user = User.objects.filter(email__iexact=email).first()
    for organisation_id in (_organisation_ids(user) if user else [None]):
        actions.record(request, "sign-in-failed", user, organisation=organisation_id, email=email)
