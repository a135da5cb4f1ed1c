"""Secret links and API tokens are stored only as this hash, so a copy of the database
cannot be used to open a rater's form, join a set or call the API."""

import hashlib
import secrets


def hash_token(raw: str) -> str:
    """The sha256 hex digest of the token as typed or clicked (what is stored and looked up)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh secret for a personal link: (the raw token to send, the hash to store).

    Every personal link (a 360° rater's, a pulse respondent's) is made here, so they are all
    equally long and stored the same way."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)
