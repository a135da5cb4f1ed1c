"""Amara reads her team's results for a wave: pulse scores with their n only where agreement
supports a team score, a k-safe role-to-role matrix, network figures for groups, and change
between waves — and every figure goes through the disclosure ledger."""

import pytest
from django.urls import reverse

from flourish.disclosure.models import Release
from flourish.pulse import actions
from flourish.pulse.core.pooling import POOLED
from flourish.testing import personas

from .helpers import answer, answer_all, fresh_rate_limits, open_wave, team_with_roster  # noqa: F401

pytestmark = pytest.mark.django_db


def score(wave, key="pulse"):
    wave.refresh_from_db()
    return next(s for s in wave.results["scores"] if s["key"] == key)


@pytest.fixture
def northside(organisation):
    """Ben's team in the same organisation, whose members see their team quite differently:
    ICC(1)/ICC(2) need more than one team."""
    ben = personas.person("ben@riverside.test", "leader", organisation, "Ben", "Ade")
    return team_with_roster(ben, organisation, "Northside team", domain="northside")


def closed_wave_of(team, label, level, leave_out=()):
    wave = open_wave(team, label)
    answer_all(wave, level=level, leave_out=leave_out)
    return actions.close_wave(wave)


def test_with_a_second_team_that_differs_the_team_scores_are_shown_with_their_n(client, leader, organisation,
                                                                                  northside):
    closed_wave_of(northside, "Spring 2027", level=2)
    team = team_with_roster(leader, organisation)
    wave = closed_wave_of(team, "Spring 2027", level=4)
    whole = score(wave)
    assert whole["status"] == "shown" and whole["n"] == 12 and 4 <= whole["mean"] <= 5
    client.force_login(leader)
    page = client.get(reverse("pulse:results", args=[team.pk, wave.pk])).content.decode()
    assert f"{whole['mean']:.2f}" in page
    recorded = Release.objects.filter(audience=f"user:{leader.pk}", key__startswith=f"wave:{wave.pk}:score:pulse")
    assert recorded.count() == 2  # the mean's sum and its n


def test_with_one_team_alone_the_page_says_why_there_is_no_team_score(client, leader, organisation):
    team = team_with_roster(leader, organisation)
    wave = closed_wave_of(team, "Spring 2027", level=4)
    assert score(wave)["mean"] is None
    client.force_login(leader)
    page = client.get(reverse("pulse:results", args=[team.pk, wave.pk])).content.decode()
    assert "Not shown as a team score: there are not enough teams to tell whether teams differ (ICC)" in page


def test_a_team_that_does_not_agree_is_told_so_with_rwg(leader, organisation, northside):
    closed_wave_of(northside, "Spring 2027", level=2)
    team = team_with_roster(leader, organisation)
    wave = open_wave(team)
    for number, invitation in enumerate(wave.invitations.all()):
        answer(invitation, level=1 if number % 2 else 5, spread=False)
    actions.close_wave(wave)
    whole = score(wave)
    assert whole["mean"] is None
    assert any("do not agree enough (rwg(j) =" in reason for reason in whole["reasons"])


def test_the_psychologist_alone_is_pooled_never_a_row_or_column_of_their_own(leader, organisation):
    team = team_with_roster(leader, organisation)
    wave = closed_wave_of(team, "Spring 2027", level=4)
    matrix = wave.results["matrix"]
    assert "Psychologist" not in matrix["groups"] and POOLED in matrix["groups"]
    assert all("Psychologist" not in (c["row"], c["column"]) for c in matrix["cells"])
    agencies = [g["group"] for g in wave.results["network"]["agency"]["groups"]]
    assert "Hope Charity" not in agencies


def test_nobody_works_with_names_groups_never_a_group_of_one(leader, organisation):
    """Nobody works with Hope Charity (in the answers), but it is one person, Priya: not named,
    not even as the pooled group that holds only her."""
    team = team_with_roster(leader, organisation)
    wave = closed_wave_of(team, "Spring 2027", level=4)
    assert wave.results["network"]["agency"]["nobody_works_with"] == []
    assert wave.results["network"]["agency"]["density"] is not None


def test_a_cell_with_fewer_than_k_raters_is_withheld_and_its_raters_pooled(leader, organisation):
    team = team_with_roster(leader, organisation)
    # Only two of the four health visitors answer: their row is below k everywhere.
    wave = closed_wave_of(team, "Spring 2027", level=4, leave_out={"Holly", "Harun"})
    cells = {(c["row"], c["column"]): c for c in wave.results["matrix"]["cells"]}
    assert cells[("Health visitor", "Social worker")]["mean"] is None
    assert cells[("Health visitor", "Social worker")]["status"] == "below_k"
    assert cells[("Family support worker", "Social worker")]["mean"] is not None
    pooled = {p["column"]: p for p in wave.results["matrix"]["pooled_rows"]}
    # Social worker column: the two health visitors and the psychologist together reach k.
    assert pooled["Social worker"]["mean"] is not None


def test_outsiders_and_other_leaders_get_not_found(client, leader, organisation, outsider, northside):
    team = team_with_roster(leader, organisation)
    wave = closed_wave_of(team, "Spring 2027", level=4)
    for person in (outsider, northside.leader, personas.org_admin(organisation)):
        client.force_login(person)
        assert client.get(reverse("pulse:team", args=[team.pk])).status_code == 404
        assert client.get(reverse("pulse:results", args=[team.pk, wave.pk])).status_code == 404
        assert client.post(reverse("pulse:close_wave", args=[team.pk, wave.pk])).status_code == 404


def test_closing_is_a_post_only(client, leader, organisation):
    team = team_with_roster(leader, organisation)
    wave = open_wave(team)
    client.force_login(leader)
    assert client.get(reverse("pulse:close_wave", args=[team.pk, wave.pk])).status_code == 405
    wave.refresh_from_db()
    assert wave.is_open


def test_the_heat_map_shows_exactly_the_cells_the_table_shows(client, leader, organisation):
    team = team_with_roster(leader, organisation)
    wave = closed_wave_of(team, "Spring 2027", level=4, leave_out={"Holly", "Harun"})
    client.force_login(leader)
    page = client.get(reverse("pulse:results", args=[team.pk, wave.pk]))
    heatmap = page.context["matrix"]["heatmap"]
    by_place = {(c["row"], c["column"]): c for c in wave.results["matrix"]["cells"]}
    groups = wave.results["matrix"]["groups"]
    for square, (row, column) in zip(heatmap["squares"], [(r, c) for r in groups for c in groups]):
        cell = by_place.get((row, column))
        if cell is not None and cell["mean"] is not None:
            assert square["text"] == f"{cell['mean']:.1f}"
        else:
            assert square["text"] in ("", "–")
    withheld = by_place[("Health visitor", "Social worker")]
    assert withheld["mean"] is None
    assert '<svg class="flourish-diagram" role="img"' in page.content.decode()
