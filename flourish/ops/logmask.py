"""Bearer tokens in URL paths never reach a log.

A rater's personal link (/r/<token>/…, also /research/consent/r/<token>/), a set
invitation (/sets/join/<token>/) and a password-reset link carry a credential in the path.
Anyone who can read the logs could answer as that rater. Everything that logs a path or a
referer passes through `mask`: the Django logging filter below (django.request,
django.server and the root handler) and the gunicorn logger in `flourish.ops.gunicorn`.
"""

from __future__ import annotations

import logging
import re

MASK = "…"

_TOKEN_IN_PATH = re.compile(
    r"(?P<prefix>/(?:r|sets/join|account/password-reset/[^/\s?#\"']+)/)(?!set-password/)(?P<token>[^/\s?#\"']+)"
)


def mask(text: str) -> str:
    """`text` with every token segment of a link replaced by …"""
    return _TOKEN_IN_PATH.sub(lambda m: m.group("prefix") + MASK, text)


def _masked(value):
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, bytes):
        return mask(value.decode("latin-1")).encode("latin-1")
    return value


class MaskTokens(logging.Filter):
    """Rewrites a record's message so no token path segment survives. The message is
    formatted first (Django passes the path as an argument), then masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            record.args = {key: _masked(value) for key, value in record.args.items()}
            record.msg = _masked(record.msg)
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw parts, masked
            record.msg, record.args = _masked(str(record.msg)), tuple(_masked(a) for a in record.args or ())
            return True
        record.msg, record.args = mask(message), ()
        return True
