"""The demo's team integration pulse: the demo leader's early help team (twelve people, four
professions, three employers) with a closed wave and an open one, and a second team of hers
in a wave of the same name, so that ICC(1)/ICC(2) can be worked out across teams and the
scores show. Answers are simulated (seeded), through the same actions as the product.
Running it again changes nothing already there; the open wave's demo link is fresh each run."""

import random
from datetime import timedelta

from django.utils import timezone

from . import actions, results
from .models import InvitationLink, Team, WaveStatus

TEAM = "Meadowbank early help team (demo)"
OTHER = "Meadowbank outreach team (demo)"
ROSTER = [
    ("Hannah Price", "Health visitor", "Meadowbank NHS Community Trust"),
    ("Nadia Ali", "Health visitor", "Meadowbank NHS Community Trust"),
    ("Owen Hughes", "Health visitor", "Meadowbank NHS Community Trust"),
    ("Rachel Doyle", "Social worker", "Meadowbank Borough Council"),
    ("Ben Carter", "Social worker", "Meadowbank Borough Council"),
    ("Ama Boateng", "Social worker", "Meadowbank Borough Council"),
    ("Tom Fletcher", "Family support worker", "Meadowbank Borough Council"),
    ("Lucy Evans", "Family support worker", "Meadowbank Borough Council"),
    ("Mark Jones", "Family support worker", "Meadowbank Borough Council"),
    ("Priya Shah", "Early years teacher", "Meadowbank Nursery School"),
    ("Grace Kim", "Early years teacher", "Meadowbank Nursery School"),
    ("Leah Morgan", "Family support worker", "Home-Start Meadowbank"),
]
WAVE, NEXT = "Spring 2026 (demo)", "Autumn 2026 (demo)"


def _email(name, team_slug):
    return f"{name.lower().replace(' ', '.')}.{team_slug}@demo.flourish.test"


def _team(leader, organisation, name, slug):
    team = Team.objects.filter(organisation=organisation, leader=leader, name=name).first()
    if team is None:
        team = actions.create_team(leader, organisation, name)
        for person, profession, agency in ROSTER:
            actions.add_member(team, person, _email(person, slug), profession, agency)
    return team


def _answer_and_close(team, label, tendency, seed):
    wave = team.waves.filter(label=label).first()
    if wave is not None and wave.status == WaveStatus.CLOSED:
        return wave
    wave = wave or actions.open_wave(team, label, timezone.localdate() + timedelta(days=14))
    rng = random.Random(seed)
    doc = wave.instrument
    invitations = list(wave.invitations.all())
    professions = sorted({i.profession for i in invitations})
    agencies = sorted({i.agency for i in invitations})

    def point(shift=0.0):
        return max(1, min(5, round(tendency + shift + rng.gauss(0, 0.45))))

    for invitation in invitations[:-1]:  # one person never answers
        actions.save_section(invitation, "team", {item["id"]: point() for item in doc["items"]})
        actions.save_section(invitation, "roles", {
            p: {item: point(-0.4 if p == "Early years teacher" else 0.0) for item in doc["role_ratings"]["items"]}
            for p in professions if p != invitation.profession})
        actions.save_section(invitation, "map", {
            "professions": {p: (3 if p != "Early years teacher" else rng.choice([0, 1])) for p in professions},
            "agencies": {a: (3 if "Council" in a or a == invitation.agency else rng.choice([0, 1, 2]))
                         for a in agencies}})
        actions.submit(invitation)
    return actions.close_wave(wave)


def create(leader, organisation) -> tuple:
    """(the closed wave of the demo team, a respondent link to its open wave)."""
    team = _team(leader, organisation, TEAM, "early")
    other = _team(leader, organisation, OTHER, "outreach")
    _answer_and_close(other, WAVE, tendency=2.6, seed=2)
    closed = _answer_and_close(team, WAVE, tendency=3.9, seed=1)
    wave = team.waves.filter(label=NEXT).first()
    if wave is None:
        wave = actions.open_wave(team, NEXT, timezone.localdate() + timedelta(days=21))
    if wave.is_past_closing_date:
        type(wave).objects.filter(pk=wave.pk).update(closes_on=timezone.localdate() + timedelta(days=21))
    invitation = wave.invitations.order_by("pk").first()
    results.instrument_of(wave)  # the pinned version still reads
    return closed, actions.respond_url(InvitationLink.issue(invitation))
