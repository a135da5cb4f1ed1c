"""The attack: Amara reads her team's first wave, takes Hugh (a health visitor) off the roster,
runs a second wave and reads it, all through the real pages. Read together, the two waves'
scores would give Hugh's answers away under the reading that people's views are stable
between waves; the ledger withholds what would, and says why. With an unchanged roster the
second wave is shown, with its change."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from flourish.pulse.models import Wave
from flourish.testing import personas

from .helpers import answer_all, fresh_rate_limits, team_with_roster  # noqa: F401
from .test_results import closed_wave_of

pytestmark = pytest.mark.django_db

HELD = "or what you were shown before"


@pytest.fixture
def northside(organisation):
    ben = personas.person("ben@riverside.test", "leader", organisation, "Ben", "Ade")
    team = team_with_roster(ben, organisation, "Northside team", domain="northside")
    closed_wave_of(team, "Spring 2027", level=2)
    closed_wave_of(team, "Autumn 2027", level=2)
    return team


def whole_pulse_row(page: str) -> str:
    return re.search(r'<tr class="govuk-table__row" data-score="pulse">(.*?)</tr>', page, re.S).group(1)


def run_second_wave_through_the_pages(client, team):
    closes = (timezone.localdate() + timezone.timedelta(days=10)).isoformat()
    opened = client.post(reverse("pulse:team", args=[team.pk]),
                         {"open_wave": "", "label": "Autumn 2027", "closes_on": closes})
    assert opened.status_code == 302, opened.content.decode()[:3000]
    wave = Wave.objects.get(team=team, label="Autumn 2027")
    answer_all(wave, level=4)
    closed = client.post(reverse("pulse:close_wave", args=[team.pk, wave.pk]))
    assert closed.status_code == 302
    return wave, client.get(reverse("pulse:results", args=[team.pk, wave.pk])).content.decode()


def test_taking_one_person_off_the_roster_between_waves_does_not_give_their_answers_away(
        client, leader, organisation, northside):
    team = team_with_roster(leader, organisation)
    client.force_login(leader)
    first = closed_wave_of(team, "Spring 2027", level=4)
    page = client.get(reverse("pulse:results", args=[team.pk, first.pk])).content.decode()
    assert "Not shown" not in whole_pulse_row(page)  # the first wave is shown in full

    hugh = team.members.get(name="Hugh")
    assert client.post(reverse("pulse:remove_member", args=[team.pk, hugh.pk])).status_code == 302
    second, page = run_second_wave_through_the_pages(client, team)

    row = whole_pulse_row(page)
    assert "Not shown" in row and HELD in row
    second.refresh_from_db()
    results = second.results
    assert all(s["mean"] is None for s in results["scores"])  # each domain too: same people
    # The health visitors' row, wherever it reaches k on both sides, is held by the ledger.
    cells = [c for c in results["matrix"]["cells"] if c["row"] == "Health visitor" and c["status"] != "below_k"]
    assert len(cells) == 2 and all(c["mean"] is None and c["status"] == "ledger" for c in cells)
    assert results["network"]["profession"]["density"] is None
    # The social workers' row is over the same people as before (they rate the health
    # visitors as a group, Hugh or not), so it is still shown.
    shown = [c for c in results["matrix"]["cells"] if c["row"] == "Social worker" and c["status"] != "below_k"]
    assert len(shown) == 2 and all(c["mean"] is not None for c in shown)


def test_taking_hugh_off_and_putting_him_back_as_someone_new_is_caught_as_well(client, leader, organisation,
                                                                               northside):
    team = team_with_roster(leader, organisation)
    client.force_login(leader)
    closed_wave_of(team, "Spring 2027", level=4)
    hugh = team.members.get(name="Hugh")
    client.post(reverse("pulse:remove_member", args=[team.pk, hugh.pk]))
    added = client.post(reverse("pulse:team", args=[team.pk]), {
        "add_member": "", "name": "Hugh", "email": "hugh@riverside.test", "profession": "Health visitor",
        "agency": "NHS Trust"})
    assert added.status_code == 302
    _, page = run_second_wave_through_the_pages(client, team)
    assert HELD in whole_pulse_row(page)


def test_with_the_same_roster_the_second_wave_is_shown_with_its_change(client, leader, organisation, northside):
    team = team_with_roster(leader, organisation)
    client.force_login(leader)
    first = closed_wave_of(team, "Spring 2027", level=4)
    second, page = run_second_wave_through_the_pages(client, team)
    row = whole_pulse_row(page)
    assert "Not shown" not in row
    first.refresh_from_db()
    second.refresh_from_db()
    change = second.results["scores"][0]["mean"] - first.results["scores"][0]["mean"]
    assert f"{change:+.2f}" in row
