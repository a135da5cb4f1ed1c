"""Secret links and API tokens are stored only as this hash, so a copy of the database
cannot be used to open a rater's form, join a set or call the API."""

import hashlib


def hash_token(raw: str) -> str:
    """The sha256 hex digest of the token as typed or clicked (what is stored and looked up)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
