"""The fast indices give the same figures as the per-team definitions (networkx graphs, the
pure-Python scores and matrix): on simulated waves of many teams, where pooling and withholding
are common, and on the small teams worked by hand in test_network, test_matrix and test_scores."""

from __future__ import annotations

import math

import numpy as np
import pytest

from flourish.pulse.core.indices import (
    answers_array,
    fast_network_indices,
    fast_role_matrices,
    fast_team_scores,
    map_arrays,
    rating_arrays,
    wave_indices,
)
from flourish.pulse.core.instrument import latest_path, load_file
from flourish.pulse.core.matrix import Cell, RoleRating, role_matrix
from flourish.pulse.core.network import density, ego_graph, ei_index, group_graph, nobody_works_with
from flourish.pulse.core.pooling import POOLED
from flourish.pulse.core.scores import ALL, team_scores
from flourish.pulse.core.simulate import simulate_wave, wave_objects
from flourish.pulse.core.tests.test_network import AGENCIES, MAPS, PROFESSIONS, three_of_each
from flourish.pulse.core.tests.test_scores import wave as scores_wave

PULSE = load_file(latest_path())
IDS = [item.id for item in PULSE.items]


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if math.isnan(a):
        return math.isnan(b)
    return a == pytest.approx(b, abs=1e-12)


def assert_same_scores(fast, slow):
    assert fast.keys() == slow.keys()
    for team in slow:
        assert fast[team].scores.keys() == slow[team].scores.keys()
        for key, expected in slow[team].scores.items():
            got = fast[team].scores[key]
            assert got.n == expected.n, (team, key)
            assert same(got.mean, expected.mean), (team, key)
            a, b = got.aggregation, expected.aggregation
            assert (a.allowed, a.n, a.reasons) == (b.allowed, b.n, b.reasons), (team, key)
            for x, y in ((a.rwg_j, b.rwg_j), (a.icc1, b.icc1), (a.icc2, b.icc2)):
                assert same(x, y), (team, key)


def assert_same_cells(fast, slow):
    assert fast.keys() == slow.keys()
    for key, cell in slow.items():
        if cell is None:
            assert fast[key] is None, key
        else:
            assert fast[key] is not None and fast[key].n == cell.n and same(fast[key].mean, cell.mean), key


def assert_same_matrix(fast, slow):
    assert (fast.rows, fast.columns) == (slow.rows, slow.columns)
    assert_same_cells(fast.cells, slow.cells)
    assert_same_cells(fast.pooled_rows, slow.pooled_rows)


def assert_same_network(fast, answers, dimension, roster):
    ego = ego_graph(answers, dimension, roster)
    team_ei, per_group = ei_index(ego)
    graph = group_graph(ego)
    assert same(fast.ei, team_ei)
    assert list(fast.ei_groups) == sorted(per_group)
    assert all(same(fast.ei_groups[g], v) for g, v in per_group.items())
    assert fast.density == pytest.approx(density(graph), abs=1e-15)
    assert list(fast.nobody_works_with) == nobody_works_with(graph)
    assert dict(fast.respondents) == dict(graph.nodes(data="respondents"))


@pytest.mark.parametrize(("teams", "size"), [(150, 9), (60, 4), (40, 20)])
def test_every_index_of_a_simulated_wave_equals_the_per_team_definitions(teams, size):
    wave = simulate_wave(teams=teams, team_size=size, seed=teams + size)
    objects = wave_objects(wave, IDS)
    fast = wave_indices(PULSE, wave)
    assert_same_scores({t: fast[t].scores for t in wave.teams}, team_scores(PULSE, objects.responses))
    withheld = shown = 0
    for team in wave.teams:
        assert_same_matrix(fast[team].matrix, role_matrix(objects.ratings[team], objects.profession_rosters[team]))
        assert_same_network(fast[team].professions, objects.maps[team], "profession", objects.profession_rosters[team])
        assert_same_network(fast[team].agencies, objects.maps[team], "agency", objects.agency_rosters[team])
        withheld += sum(c is None for c in fast[team].matrix.cells.values())
        shown += sum(c is not None for c in fast[team].matrix.cells.values())
    assert withheld and shown  # the comparison covered both kinds of cell


def test_the_hand_worked_collaboration_maps_give_the_hand_worked_figures():
    maps = {"five": MAPS, "fifteen": three_of_each(MAPS)}
    rosters = {"five": PROFESSIONS, "fifteen": {"Nurse": 6, "Social worker": 6, "Teacher": 3}}
    fast = fast_network_indices(*map_arrays(maps, rosters, "profession"))
    assert fast["fifteen"].ei == 0.0
    assert fast["fifteen"].ei_groups == {"Nurse": pytest.approx(-1 / 3), "Social worker": pytest.approx(1 / 5),
                                         "Teacher": 0.0}
    assert fast["five"].ei_groups == {POOLED: 0.0}
    assert fast["five"].density == pytest.approx(4 / 6)
    assert fast["five"].nobody_works_with == ()
    agencies = fast_network_indices(*map_arrays({"five": MAPS}, {"five": AGENCIES}, "agency"))["five"]
    assert agencies.nobody_works_with == ("Housing",)
    assert agencies.density == pytest.approx(4 / 12)
    assert dict(agencies.respondents) == {"NHS trust": 2, "Council": 2, POOLED: 1, "Housing": 0}
    for name, roster in rosters.items():
        assert_same_network(fast[name], maps[name], "profession", roster)


def test_a_density_threshold_of_one_counts_only_groups_all_of_whose_members_work_with_the_other():
    fast = fast_network_indices(*map_arrays({"five": MAPS}, {"five": PROFESSIONS}, "profession"), share=1.0)
    assert fast["five"].density == pytest.approx(2 / 6)


def test_the_hand_worked_role_matrix_pools_and_withholds_as_the_per_team_matrix():
    roster = {"Nurse": 4, "Social worker": 3, "Teacher": 3, "Psychologist": 1, "Speech therapist": 1}
    ratings = [RoleRating("n1", "Nurse", "Social worker", [4, 4, 5, 3]),
               RoleRating("n2", "Nurse", "Social worker", [5, 5, 5, 5]),
               RoleRating("n3", "Nurse", "Social worker", [3, None, 3, 3]),
               RoleRating("t1", "Teacher", "Social worker", [2]), RoleRating("t2", "Teacher", "Social worker", [3]),
               RoleRating("p1", "Psychologist", "Social worker", [4]),
               RoleRating("n1", "Nurse", "Psychologist", [5]), RoleRating("n1", "Nurse", "Speech therapist", [3]),
               RoleRating("t1", "Teacher", "Nurse", [2])]
    matrix = fast_role_matrices(*rating_arrays({"Riverside": ratings}, {"Riverside": roster}))["Riverside"]
    assert matrix.rows == ("Nurse", "Social worker", "Teacher", POOLED)
    assert matrix.cells[("Nurse", "Social worker")] == Cell(4.0, 3)
    assert matrix.cells[("Teacher", "Social worker")] is None
    assert matrix.pooled_rows["Social worker"] == Cell(3.0, 3)
    assert matrix.cells[("Nurse", POOLED)] is None and POOLED not in matrix.pooled_rows
    assert matrix.pooled_rows["Nurse"] is None
    assert_same_matrix(matrix, role_matrix(ratings, roster))


def test_the_hand_worked_team_scores_come_out_the_same():
    responses = scores_wave()
    fast = fast_team_scores(PULSE, *answers_array(PULSE, responses))
    assert_same_scores(fast, team_scores(PULSE, responses))
    assert fast["Ash"].scores[ALL].mean == pytest.approx((5 + (5 * 13 + 4) / 14 + 4) / 3)
    assert fast["Cedar"].scores[ALL].mean is None and fast["Cedar"].scores[ALL].aggregation.rwg_j == 0.0


def test_a_member_who_answered_nothing_is_not_counted_but_their_team_still_is():
    responses = {**scores_wave(), "Dune": [{}, {i: 4 for i in IDS}, {i: 4 for i in IDS}, {i: 5 for i in IDS}]}
    fast = fast_team_scores(PULSE, *answers_array(PULSE, responses))
    assert fast["Dune"].scores[ALL].n == 3
    assert_same_scores(fast, team_scores(PULSE, responses))


def test_bad_input_is_refused_saying_what_and_where():
    teams, team, answers = answers_array(PULSE, scores_wave())
    answers[4, 2] = 7
    with pytest.raises(ValueError, match=r"team Birch, item roles-1: 7 is not a value of the scale"):
        fast_team_scores(PULSE, teams, team, answers)
    with pytest.raises(ValueError, match="not an item of team-integration-pulse"):
        answers_array(PULSE, {"Ash": [{"nonsense": 3}]})
    with pytest.raises(ValueError, match="k must be at least 3"):
        fast_team_scores(PULSE, teams, team, np.full_like(answers, 3.0), k=2)
    with pytest.raises(ValueError, match="respondent r1: 'Dentist' is not a profession on the roster"):
        map_arrays({"five": [MAPS[0].__class__("r1", "Nurse", "NHS trust", {"Dentist": 2}, {})]},
                   {"five": PROFESSIONS}, "profession")
    arrays = list(map_arrays({"four": MAPS[:4]}, {"four": PROFESSIONS}, "profession"))
    arrays[2] = np.array([[3, 3, 0]])  # the roster no longer has teachers, but the nurses said how often
    with pytest.raises(ValueError, match="team four: 'Teacher' is not a group on the roster"):
        fast_network_indices(*arrays)
    with pytest.raises(ValueError, match="names a profession that is not on the team's roster"):
        rating_arrays({"T": [RoleRating("n1", "Nurse", "Dentist", [3])]}, {"T": {"Nurse": 3}})


def test_the_arrays_built_from_per_team_objects_give_the_same_figures_as_the_waves_own_arrays():
    wave = simulate_wave(teams=80, team_size=7, seed=7)
    objects = wave_objects(wave, IDS)
    direct = wave_indices(PULSE, wave)
    matrices = fast_role_matrices(*rating_arrays(objects.ratings, objects.profession_rosters))
    professions = fast_network_indices(*map_arrays(objects.maps, objects.profession_rosters, "profession"))
    agencies = fast_network_indices(*map_arrays(objects.maps, objects.agency_rosters, "agency"))
    assert_same_scores(fast_team_scores(PULSE, *answers_array(PULSE, objects.responses)),
                       {t: direct[t].scores for t in wave.teams})
    for team in wave.teams:
        assert_same_matrix(matrices[team], direct[team].matrix)
        assert professions[team] == direct[team].professions
        assert agencies[team] == direct[team].agencies


def test_a_respondent_rating_one_profession_twice_or_holding_two_professions_is_refused():
    roster = {"T": {"Nurse": 3, "Teacher": 3}}
    with pytest.raises(ValueError, match="a respondent of team T rated 'Teacher' twice"):
        rating_arrays({"T": [RoleRating("n1", "Nurse", "Teacher", [None]),
                             RoleRating("n1", "Nurse", "Teacher", [4])]}, roster)
    with pytest.raises(ValueError, match="respondent n1 of team T is given two professions"):
        rating_arrays({"T": [RoleRating("n1", "Nurse", "Teacher", [3]),
                             RoleRating("n1", "Teacher", "Nurse", [4])]}, roster)
