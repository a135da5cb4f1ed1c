"""Pure checks on a list of people to ask (no Django): the same mailbox written two ways,
the leader's own addresses, and the warnings the approver sees.

Addresses are compared after `mailbox()`:

- surrounding spaces removed and everything lower-cased;
- a "+tag" removed from the local part (``amara+360@x.org`` is ``amara@x.org``): the
  big providers and most organisations' mail deliver plus-addresses to the same mailbox;
- for Gmail, dots removed from the local part and ``googlemail.com`` read as
  ``gmail.com`` (Gmail ignores both).

This does not catch a second mailbox the leader owns under another name (that is what
the approver and the personal-mail warning are for).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Providers where anyone can open a private mailbox. A rater at one of these may be real
# (many practitioners use personal mail), so this is a warning for the approver, not a
# refusal. Kept short and documented rather than complete.
PERSONAL_MAIL_DOMAINS = frozenset({
    "aol.com", "btinternet.com", "btopenworld.com", "gmail.com", "googlemail.com", "gmx.com", "gmx.co.uk",
    "hotmail.com", "hotmail.co.uk", "icloud.com", "live.com", "live.co.uk", "mac.com", "me.com", "msn.com",
    "outlook.com", "outlook.co.uk", "protonmail.com", "proton.me", "pm.me", "sky.com", "talktalk.net",
    "tiscali.co.uk", "virginmedia.com", "yahoo.com", "yahoo.co.uk", "ymail.com", "zoho.com",
})

_GMAIL = {"gmail.com", "googlemail.com"}


def mailbox(address: str) -> str:
    """The mailbox an address delivers to, as far as it can be told from the address."""
    address = address.strip().lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    local = local.split("+", 1)[0]
    if domain in _GMAIL:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def domain_of(address: str) -> str:
    return address.strip().lower().rpartition("@")[2]


def is_personal_mail(address: str) -> bool:
    return domain_of(address) in PERSONAL_MAIL_DOMAINS


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def resembles_name(address: str, first_name: str, last_name: str) -> bool:
    """True where the address's local part contains the person's surname (three letters
    or more) or their first name (four letters or more): ``a.okafor77@…``, ``amara.o@…``."""
    local = _letters(address.strip().lower().rpartition("@")[0])
    last, first = _letters(last_name), _letters(first_name)
    return bool(local) and ((len(last) >= 3 and last in local) or (len(first) >= 4 and first in local))


@dataclass(frozen=True)
class Person:
    """One person on the list, as the checks need them."""

    email: str
    profession: str
    relationship: str


@dataclass(frozen=True)
class GroupWarning:
    kind: str  # "professional group" | "relationship"
    label: str
    asked: int


def groups_that_cannot_reach_k(people: Iterable[Person], k: int) -> list[GroupWarning]:
    """Groups with fewer than k people asked: they can never be shown on their own (their
    answers are pooled or withheld), however many of them answer."""
    people = list(people)
    out: list[GroupWarning] = []
    for kind, counts in (
        ("professional group", Counter(p.profession for p in people)),
        ("relationship", Counter(p.relationship for p in people)),
    ):
        out.extend(GroupWarning(kind, label, n) for label, n in sorted(counts.items()) if n < k)
    return out


@dataclass(frozen=True)
class GroupOutlook:
    kind: str  # "professional group" | "relationship"
    label: str
    asked: int
    can_be_shown: bool  # enough people asked for the group to be shown on its own, if k of them answer


def group_outlook(people: Iterable[Person], k: int) -> list[GroupOutlook]:
    """For the leader while choosing people: each group on the list and whether it can ever
    be shown on its own (at least k asked). Only what the leader chose; nothing about answers."""
    people = list(people)
    out: list[GroupOutlook] = []
    for kind, counts in (
        ("professional group", Counter(p.profession for p in people)),
        ("relationship", Counter(p.relationship for p in people)),
    ):
        out.extend(GroupOutlook(kind, label, n, n >= k) for label, n in sorted(counts.items()))
    return out


def person_warnings(email: str, *, leader_first: str, leader_last: str) -> list[str]:
    """What the approver should look at twice about one address."""
    warnings = []
    if is_personal_mail(email):
        warnings.append(f"a personal mail address ({domain_of(email)}), not a work one")
    if resembles_name(email, leader_first, leader_last):
        name = " ".join(part for part in (leader_first, leader_last) if part)
        warnings.append(f"the address looks like {name}'s own name")
    return warnings


def same_mailbox_as(email: str, addresses: Mapping[str, str]) -> str | None:
    """The address in `addresses` (mailbox → address as written) that delivers to the same
    mailbox as `email`, if any."""
    return addresses.get(mailbox(email))
