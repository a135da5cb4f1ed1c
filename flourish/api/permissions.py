"""Lookups for the API app: a token is its owner's alone (404 for anyone else's)."""

from flourish.core.lookups import get_or_404
from flourish.core.tokens import hash_token

from .models import ApiToken


def get_token_for_user(user, pk) -> ApiToken:
    return get_or_404(ApiToken.objects.filter(user=user), "token", pk=pk)


def user_for_token(raw: str):
    """The active user a raw bearer token belongs to, with the token row; (None, None) if none."""
    found = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if found is None or not found.user.is_active:
        return None, None
    return found.user, found
