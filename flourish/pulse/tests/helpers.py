"""Building pulse teams for tests: Amara's early help team (four health visitors from the NHS
trust, four social workers and three family support workers from the council, one
psychologist from a charity), waves, and answers."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from flourish.pulse import actions
from flourish.pulse.models import InvitationLink

ROSTER = [
    ("Hana", "Health visitor", "NHS Trust"), ("Hugh", "Health visitor", "NHS Trust"),
    ("Holly", "Health visitor", "NHS Trust"), ("Harun", "Health visitor", "NHS Trust"),
    ("Sade", "Social worker", "City Council"), ("Sol", "Social worker", "City Council"),
    ("Suki", "Social worker", "City Council"), ("Stan", "Social worker", "City Council"),
    ("Fay", "Family support worker", "City Council"), ("Finn", "Family support worker", "City Council"),
    ("Flo", "Family support worker", "City Council"),
    ("Priya", "Psychologist", "Hope Charity"),
]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def team_with_roster(leader, organisation, name="Riverside early help team", roster=ROSTER, domain="riverside"):
    team = actions.create_team(leader, organisation, name)
    for person, profession, agency in roster:
        actions.add_member(team, person, f"{person.lower()}@{domain}.test", profession, agency)
    return team


def open_wave(team, label="Spring 2027", days=14):
    return actions.open_wave(team, label, timezone.localdate() + timedelta(days=days))


def link(invitation) -> str:
    """A fresh personal link for an invitation (as a reminder would issue)."""
    return InvitationLink.issue(invitation)


def invitation_of(wave, name):
    return wave.invitations.get(member__name=name)


def answer(invitation, level=4, spread=True):
    """Send a full pulse for one invitation through the actions: every item at `level`, one
    point higher on every third item when `spread`, everyone worked with about weekly."""
    wave = invitation.wave
    doc = wave.instrument
    pk = invitation.member_id
    values = {item["id"]: min(5, level + (1 if spread and (pk + j) % 3 == 0 else 0))
              for j, item in enumerate(doc["items"])}
    actions.save_section(invitation, "team", values)
    professions = sorted({i.profession for i in wave.invitations.all()})
    agencies = sorted({i.agency for i in wave.invitations.all()})
    roles = {p: {item: values[item] for item in doc["role_ratings"]["items"]}
             for p in professions if p != invitation.profession}
    actions.save_section(invitation, "roles", roles)
    actions.save_section(invitation, "map", {"professions": {p: 3 for p in professions},
                                             "agencies": {a: 3 if a != "Hope Charity" else 0 for a in agencies}})
    return actions.submit(invitation)


def answer_all(wave, level=4, leave_out=()):
    for invitation in wave.invitations.select_related("member"):
        if invitation.member.name not in leave_out:
            answer(invitation, level)


def answer_through_pages(client, token, wave, level=4):
    """One respondent answers every section through the real respondent pages."""
    doc = wave.instrument
    data = {f"item-{item['id']}": str(level) for item in doc["items"]}
    response = client.post(reverse("pulse_respond:section", args=[token, "team"]), {**data, "continue": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("pulse_respond:section", args=[token, "roles"]))
    fields = [name for name in page.context["form"].fields] if page.status_code == 200 else []
    if fields:
        response = client.post(page.request["PATH_INFO"], {**{f: str(level) for f in fields}, "continue": ""})
        assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("pulse_respond:section", args=[token, "map"]))
    fields = list(page.context["form"].fields)
    response = client.post(page.request["PATH_INFO"], {**{f: "3" for f in fields}, "continue": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(reverse("pulse_respond:review", args=[token]))
    assert response.status_code == 302, response.content.decode()[:2000]
