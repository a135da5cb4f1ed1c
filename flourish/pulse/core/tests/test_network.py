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


def test_ei_index_by_profession_counts_ties_outside_against_inside():
    team, per_group = ei_index(ego_graph(MAPS, "profession", PROFESSIONS))
    # ties: r1 N(I) SW(E); r2 N(I); r3 N(E) SW(I) T(E); r4 N(E) SW(I); r5 SW(E) T(I) → E 5, I 5
    assert team == 0.0
    assert per_group == {"Nurse": pytest.approx(-1 / 3), "Social worker": pytest.approx(1 / 5), "Teacher": 0.0}


def test_ei_index_by_agency_uses_the_pooled_groups():
    team, per_group = ei_index(ego_graph(MAPS, "agency", AGENCIES))
    assert team == 0.0
    assert set(per_group) == {"NHS trust", "Council", POOLED}
    assert per_group[POOLED] == 0.0  # the teacher: one tie in (the pooled school), one out


def test_density_counts_an_edge_where_most_of_a_group_work_with_the_other():
    graph = group_graph(MAPS, "profession", PROFESSIONS)
    assert graph["Nurse"]["Social worker"]["share"] == 0.5
    assert graph["Social worker"]["Nurse"]["share"] == 1.0
    assert not graph.has_edge("Nurse", "Teacher")
    # N→SW, SW→N, SW→T, T→SW of 3·2 ordered pairs
    assert density(graph) == pytest.approx(4 / 6)
    assert density(graph, share=1.0) == pytest.approx(2 / 6)


def test_density_agrees_with_networkx_on_the_same_edges():
    graph = group_graph(MAPS, "agency", AGENCIES)
    kept = nx.DiGraph([(u, v) for u, v, s in graph.edges(data="share") if s >= 0.5])
    kept.add_nodes_from(graph)
    assert density(graph) == pytest.approx(nx.density(kept)) == pytest.approx(4 / 12)


def test_groups_nobody_works_with_are_named_as_groups():
    assert nobody_works_with(group_graph(MAPS, "agency", AGENCIES)) == ["Housing"]
    assert nobody_works_with(group_graph(MAPS, "profession", PROFESSIONS)) == []


def test_working_only_inside_ones_own_group_does_not_count_as_being_worked_with():
    alone = [answer("r1", "Nurse", "NHS trust", {"Nurse": 4, "Social worker": 3, "Teacher": 0}, {}),
             answer("r2", "Social worker", "Council", {"Nurse": 3, "Social worker": 4, "Teacher": 0}, {}),
             answer("r3", "Teacher", "School", {"Nurse": 0, "Social worker": 0, "Teacher": 4}, {})]
    assert nobody_works_with(group_graph(alone, "profession", PROFESSIONS)) == ["Teacher"]


def test_a_group_off_the_roster_is_refused_naming_the_respondent():
    stray = [answer("r9", "Nurse", "NHS trust", {"Dentist": 3}, {})]
    with pytest.raises(ValueError, match="respondent r9: 'Dentist' is not a profession on the roster"):
        ego_graph(stray, "profession", PROFESSIONS)
    with pytest.raises(ValueError, match="dimension must be"):
        ego_graph(stray, "team", PROFESSIONS)
