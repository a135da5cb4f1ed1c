"""Writes of the API app: issuing and revoking personal tokens, and recording that a token was
used. Each is one transaction."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from flourish.core.actions import NotAllowed  # noqa: F401  (re-exported for views)

from .models import ApiToken

# How often a token's `last_used` is brought up to date. The account page shows it to the
# owner ("used today"), which needs no finer grain; at most one write an hour per token
# keeps reads from writing on every call.
USE_RECORDED_EVERY = timedelta(hours=1)


@transaction.atomic
def issue_token(user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``: (the row, the raw token, shown once and never stored)."""
    return ApiToken.issue(user, (name or "").strip()[:100] or "API token")


@transaction.atomic
def revoke_token(token: ApiToken) -> None:
    token.delete()


@transaction.atomic
def record_use(token: ApiToken, now=None) -> bool:
    """An audited write on a read: set ``last_used`` to now unless it was set less than
    `USE_RECORDED_EVERY` ago. One conditional UPDATE (so two requests at once write at most
    once); True if it wrote."""
    now = now or timezone.now()
    if token.last_used is not None and now - token.last_used < USE_RECORDED_EVERY:
        return False
    stale = Q(last_used__isnull=True) | Q(last_used__lt=now - USE_RECORDED_EVERY)
    return ApiToken.objects.filter(stale, pk=token.pk).update(last_used=now) == 1
