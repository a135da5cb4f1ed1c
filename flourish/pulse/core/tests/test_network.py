"""The collaboration map: density, E–I index and groups nobody works with, on a small team worked
by hand and cross-checked with networkx's own graph functions."""

from __future__ import annotations

import networkx as nx
import pytest

from flourish.pulse.core.network import MapAnswer, density, ego_graph, ei_index, group_graph, nobody_works_with
from flourish.pulse.core.pooling import POOLED

PROFESSIONS = {"Nurse": 3, "Social worker": 3, "Teacher": 3}
AGENCIES = {"NHS trust": 4, "Council": 3, "School": 2, "Housing": 3}  # the school's two are pooled


def answer(who, profession, agency, professions, agencies):
    return MapAnswer(who, profession, agency, professions, agencies)


# Five practitioners' maps (0 never … 4 most days; a tie is 2, about monthly, or more).
MAPS = [
    answer("r1", "Nurse", "NHS trust", {"Nurse": 3, "Social worker": 2, "Teacher": 0},
           {"NHS trust": 4, "Council": 2, "School": 0, "Housing": 1}),
    answer("r2", "Nurse", "NHS trust", {"Nurse": 4, "Social worker": 1, "Teacher": 0},
           {"NHS trust": 4, "Council": 1, "School": 0, "Housing": 0}),
    answer("r3", "Social worker", "Council", {"Nurse": 2, "Social worker": 3, "Teacher": 2},
           {"NHS trust": 3, "Council": 4, "School": 2, "Housing": 1}),
    answer("r4", "Social worker", "Council", {"Nurse": 2, "Social worker": 4, "Teacher": 0},
           {"NHS trust": 2, "Council": 4, "School": 0, "Housing": 0}),
    answer("r5", "Teacher", "School", {"Nurse": 0, "Social worker": 2, "Teacher": 4},
           {"NHS trust": 0, "Council": 2, "School": 4, "Housing": 1}),
]


def three_of_each(maps):
    return [MapAnswer(f"{m.respondent}{copy}", m.profession, m.agency, m.professions, m.agencies)
            for m in maps for copy in "abc"]


def test_ei_index_by_profession_counts_ties_outside_against_inside():
    # ties: r1 N(I) SW(E); r2 N(I); r3 N(E) SW(I) T(E); r4 N(E) SW(I); r5 SW(E) T(I) → E 5, I 5;
    # three of each practitioner, so every profession has at least k answering
    team, per_group = ei_index(ego_graph(three_of_each(MAPS), "profession", {"Nurse": 6, "Social worker": 6,
                                                                              "Teacher": 3}))
    assert team == 0.0
    assert per_group == {"Nurse": pytest.approx(-1 / 3), "Social worker": pytest.approx(1 / 5), "Teacher": 0.0}


def test_a_groups_own_ei_index_needs_k_of_its_members_to_answer():
    # two nurses, two social workers, one teacher: no profession has k answering; together they do
    team, per_group = ei_index(ego_graph(MAPS, "profession", PROFESSIONS))
    assert team == 0.0
    assert per_group == {POOLED: 0.0}
    team, per_group = ei_index(ego_graph(MAPS[:2], "profession", PROFESSIONS))
    assert team == pytest.approx(-1 / 3) and per_group == {}  # two nurses alone: team figure only


def test_ties_between_two_pooled_professions_are_still_external():
    roster = {"Nurse": 3, "Psychologist": 1, "Speech therapist": 2}
    maps = [answer("p1", "Psychologist", "NHS trust", {"Psychologist": 0, "Speech therapist": 4, "Nurse": 0}, {}),
            answer("s1", "Speech therapist", "NHS trust", {"Psychologist": 3, "Speech therapist": 1, "Nurse": 1}, {}),
            *[answer(f"n{i}", "Nurse", "NHS trust", {"Nurse": 4, "Psychologist": 0, "Speech therapist": 1}, {})
              for i in range(3)]]
    team, per_group = ei_index(ego_graph(maps, "profession", roster))
    assert team == pytest.approx((2 - 3) / 5)  # p1 and s1 reach outside their profession; the nurses do not
    assert per_group == {"Nurse": -1.0}  # the pooled pair answered as two: not shown alone


def test_density_counts_an_edge_where_most_of_a_group_work_with_the_other():
    graph = group_graph(ego_graph(MAPS, "profession", PROFESSIONS))
    assert graph["Nurse"]["Social worker"]["share"] == 0.5
    assert graph["Social worker"]["Nurse"]["share"] == 1.0
    assert not graph.has_edge("Nurse", "Teacher")
    # N→SW, SW→N, SW→T, T→SW of 3·2 ordered pairs
    assert density(graph) == pytest.approx(4 / 6)
    assert density(graph, share=1.0) == pytest.approx(2 / 6)


def test_each_group_says_how_many_answered_so_pictures_can_hold_back_small_ones():
    graph = group_graph(ego_graph(MAPS, "agency", AGENCIES))
    assert dict(graph.nodes(data="respondents")) == {"NHS trust": 2, "Council": 2, POOLED: 1, "Housing": 0}


def test_density_agrees_with_networkx_on_the_same_edges():
    graph = group_graph(ego_graph(MAPS, "agency", AGENCIES))
    kept = nx.DiGraph([(u, v) for u, v, s in graph.edges(data="share") if s >= 0.5])
    kept.add_nodes_from(graph)
    assert density(graph) == pytest.approx(nx.density(kept)) == pytest.approx(4 / 12)


def test_groups_nobody_works_with_are_named_as_groups():
    assert nobody_works_with(group_graph(ego_graph(MAPS, "agency", AGENCIES))) == ["Housing"]
    assert nobody_works_with(group_graph(ego_graph(MAPS, "profession", PROFESSIONS))) == []


def test_working_only_inside_ones_own_group_does_not_count_as_being_worked_with():
    alone = [answer("r1", "Nurse", "NHS trust", {"Nurse": 4, "Social worker": 3, "Teacher": 0}, {}),
             answer("r2", "Social worker", "Council", {"Nurse": 3, "Social worker": 4, "Teacher": 0}, {}),
             answer("r3", "Teacher", "School", {"Nurse": 0, "Social worker": 0, "Teacher": 4}, {})]
    assert nobody_works_with(group_graph(ego_graph(alone, "profession", PROFESSIONS))) == ["Teacher"]


def test_a_group_off_the_roster_is_refused_naming_the_respondent():
    stray = [answer("r9", "Nurse", "NHS trust", {"Dentist": 3}, {})]
    with pytest.raises(ValueError, match="respondent r9: 'Dentist' is not a profession on the roster"):
        ego_graph(stray, "profession", PROFESSIONS)
    with pytest.raises(ValueError, match="dimension must be"):
        ego_graph(stray, "team", PROFESSIONS)
