"""`flourish pulse import|export|indices` and the JSON API: stable keys, the same figures as
the leader's page (only what the ledger released), clear errors that save nothing."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from flourish.api.models import ApiToken
from flourish.audit.models import Entry

from .helpers import ROSTER, answer, fresh_rate_limits, team_with_roster  # noqa: F401
from .test_differencing import northside  # noqa: F401 (a fixture)
from .test_results import closed_wave_of

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("pulse", *args, stdout=out)
    return out.getvalue()


def test_import_adds_a_roster_from_csv(tmp_path, leader, organisation):
    team = team_with_roster(leader, organisation, roster=[])
    path = tmp_path / "roster.csv"
    path.write_text("name,email,profession,agency\n" + "".join(
        f"{n},{n.lower()}@riverside.test,{p},{a}\n" for n, p, a in ROSTER[:4]), encoding="utf-8")
    assert run("import", str(path), "--team", str(team.pk)) == f"added 4 people to the roster of {team.name}\n"
    assert sorted(team.members.values_list("name", flat=True)) == ["Hana", "Harun", "Holly", "Hugh"]


def test_import_names_every_bad_row_and_adds_nobody(tmp_path, leader, organisation):
    team = team_with_roster(leader, organisation, roster=ROSTER[:1])
    path = tmp_path / "roster.csv"
    path.write_text("name,email,profession,agency\n"
                    "Sol,sol@riverside.test,Social worker,City Council\n"
                    "Hana,hana@riverside.test,Health visitor,NHS Trust\n"
                    "Fay,not-an-address,,City Council\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run("import", str(path), "--team", str(team.pk))
    message = str(refused.value)
    assert "row 3: email: hana@riverside.test is already on the roster" in message
    assert "row 4: profession: is empty" in message
    assert "row 4: email: 'not-an-address' is not an email address" in message
    assert team.members.count() == 1


def test_export_gives_the_released_figures_with_stable_keys(leader, organisation, northside):  # noqa: F811
    team = team_with_roster(leader, organisation)
    wave = closed_wave_of(team, "Spring 2027", level=4)
    data = json.loads(run("export", "--team", str(team.pk)))
    (exported,) = data["waves"]
    assert set(exported) == {"team", "wave", "label", "status", "closes_on", "closed_on", "k", "asked", "scores",
                             "matrix", "network"}
    mean = wave.results["scores"][0]["mean"]
    assert exported["scores"][0] == {"key": "pulse", "name": "The whole pulse", "mean": mean, "n": 12,
                                     "status": "shown", "reasons": []}
    assert set(exported["network"]["agency"]) == {"density", "ei_index", "nobody_works_with", "status", "groups"}
    assert Entry.objects.filter(verb="pulse-results-exported").count() == 1


def test_indices_from_a_file_pool_small_groups_and_say_why_no_score(tmp_path):
    roster = [{"profession": p, "agency": a} for _, p, a in ROSTER]
    responses = [{"profession": p, "agency": a, "answers": {"purpose-1": 4, "roles-1": 4},
                  "role_ratings": {}, "collaboration": {"professions": {"Social worker": 3}, "agencies": {}}}
                 for _, p, a in ROSTER]
    path = tmp_path / "teams.json"
    path.write_text(json.dumps({"teams": [{"name": "A", "roster": roster, "responses": responses}]}))
    data = json.loads(run("indices", str(path)))
    (team,) = data["teams"]
    assert team["scores"][0]["mean"] is None
    assert "there are not enough teams to tell whether teams differ (ICC)" in team["scores"][0]["reasons"]
    assert "Psychologist" not in team["matrix"]["groups"]


def test_indices_name_the_place_of_a_bad_file(tmp_path):
    path = tmp_path / "teams.json"
    path.write_text(json.dumps({"teams": [{"name": "A", "roster": [], "responses": [
        {"profession": "Nurse", "agency": "X", "answers": {}, "collaboration": {}}]}]}))
    with pytest.raises(CommandError, match=r"teams\[0\] \(A\): .*Nurse.*not on the team's roster"):
        run("indices", str(path))
    with pytest.raises(CommandError, match="--k must be at least 3"):
        run("indices", str(path), "--k", "2")


def test_the_api_lists_her_teams_and_gives_a_wave_and_refuses_others(client, leader, organisation, outsider,
                                                                    northside):  # noqa: F811
    team = team_with_roster(leader, organisation)
    wave = closed_wave_of(team, "Spring 2027", level=4)
    _, raw = ApiToken.issue(leader, "tests")
    headers = {"Authorization": f"Bearer {raw}"}
    teams = client.get("/api/pulse/teams", headers=headers).json()
    assert [t["name"] for t in teams] == [team.name]
    assert teams[0]["waves"][0] == {"id": wave.pk, "label": "Spring 2027", "status": "closed",
                                    "closes_on": wave.closes_on.isoformat(), "closed_on": wave.closed_on.isoformat()}
    got = client.get(f"/api/pulse/teams/{team.pk}/waves/{wave.pk}", headers=headers)
    assert got.status_code == 200 and got.json()["scores"][0]["n"] == 12
    _, other = ApiToken.issue(outsider, "tests")
    refused = client.get(f"/api/pulse/teams/{team.pk}/waves/{wave.pk}", headers={"Authorization": f"Bearer {other}"})
    assert refused.status_code == 404 and refused.json() == {"message": "No such team."}


def test_the_api_says_an_open_wave_has_no_results_yet(client, leader, organisation):
    from .helpers import open_wave

    team = team_with_roster(leader, organisation)
    wave = open_wave(team)
    answer(wave.invitations.first())
    _, raw = ApiToken.issue(leader, "tests")
    got = client.get(f"/api/pulse/teams/{team.pk}/waves/{wave.pk}", headers={"Authorization": f"Bearer {raw}"})
    assert got.status_code == 409 and "still open" in got.json()["message"]
