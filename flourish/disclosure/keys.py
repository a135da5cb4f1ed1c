"""The ledger's names for respondents, subjects and audiences: ids and keyed pseudonyms,
never names. Here, not in the apps that release figures, because each app must name the
same respondent the same way (the report's raters are the research export's rows)."""

import hashlib
import hmac

from django.conf import settings

# The research export's pseudonyms use the same label, so a cycle's subject in the
# ledger is the cycle's pseudonym in the export.
LABEL = "flourish-research-pseudonym-v1"


def pseudonym(kind: str, pk) -> str:
    key = (settings.SECRET_KEY + "|" + LABEL + "|" + kind).encode("utf-8")
    return hmac.new(key, str(pk).encode("utf-8"), hashlib.sha256).hexdigest()[:12]


def cycle_pseudonym(cycle_pk) -> str:
    return "C" + pseudonym("cycle", cycle_pk)


def cycle_subject(cycle_pk) -> str:
    """A 360° cycle as the subject of releases (its report, its live milestones, export rows)."""
    return f"cycle:{cycle_pseudonym(cycle_pk)}"


def response_key(response_pk) -> str:
    """One rater's (severed) answers: the report's figures and the export's rows name them so."""
    return "R" + pseudonym("response", response_pk)


def rater_key(rater_pk) -> str:
    """A named rater while their cycle is open (live milestones): whether they answered."""
    return f"rater:{rater_pk}"


def person(user_pk) -> str:
    """One person as an audience."""
    return f"user:{user_pk}"


def organisation_admins(organisation_pk) -> str:
    """Everyone who administers an organisation, whoever holds the role over time."""
    return f"organisation:{organisation_pk}:admin"


def pulse_member(member_pk) -> str:
    """Someone on a pulse team's roster, the same key in every wave (the pulse's figures are
    recorded over everyone asked, so a change of roster between waves is audited)."""
    return f"pulsemember:{member_pk}"


def pulse_team_subject(team_pk) -> str:
    return f"pulse:team:{team_pk}"
