"""The collaboration map as networks: density, the E–I index, and groups nobody works with.

Respondents are anonymous, so the map is respondent → group: each says how often
(0 = never … 4 = most days) they worked with each profession and each agency on the roster.
A *tie* is an answer of at least ``TIE_MIN`` (about monthly).

- ``ego_graph``: the bipartite directed graph respondent → group (networkx), one edge per tie.
- E–I index (Krackhardt & Stern 1988): (E − I) / (E + I) over ties, E to a group other than
  the respondent's own, I to their own; per group (its members' ties, only where k answered)
  and for the team. −1 is all ties inside, +1 all outside. Raw, not rescaled for group sizes.
- ``group_graph``: group → group, edge A → B weighted by the share of A's respondents with a
  tie to B; ``density`` counts an edge where that share is at least ``TIE_SHARE`` (most of A
  work with B), via ``networkx.density`` (directed, no self-loops).
- ``nobody_works_with``: groups on the roster that no respondent outside them has a tie to.

Groups are pooled below k first (``pooling.pool``), so every figure names groups, never persons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from flourish.lib.disclosure import MIN_K
from flourish.pulse.core.pooling import POOLED, pool

__all__ = [
    "TIE_MIN",
    "TIE_SHARE",
    "MapAnswer",
    "density",
    "ei_index",
    "ego_graph",
    "group_graph",
    "nobody_works_with",
]

#: "About monthly" or more often is a working tie; less is occasional contact.
TIE_MIN = 2
#: A group-to-group edge counts for density where at least half of the group's respondents have the tie.
TIE_SHARE = 0.5

PROFESSION = "profession"
AGENCY = "agency"


@dataclass(frozen=True)
class MapAnswer:
    """One respondent's collaboration map: their own groups and how often they work with each group."""

    respondent: str
    profession: str
    agency: str
    professions: Mapping[str, int]
    agencies: Mapping[str, int]

    def own(self, dimension: str) -> str:
        return self.profession if dimension == PROFESSION else self.agency

    def answers(self, dimension: str) -> Mapping[str, int]:
        return self.professions if dimension == PROFESSION else self.agencies


def _dimension(dimension: str) -> None:
    if dimension not in (PROFESSION, AGENCY):
        raise ValueError(f"dimension must be {PROFESSION!r} or {AGENCY!r}, got {dimension!r}")


def ego_graph(answers: Sequence[MapAnswer], dimension: str, roster: Mapping[str, int], k: int = MIN_K) -> nx.DiGraph:
    """Respondent → group ties, on the roster's own groups.

    Group nodes carry ``kind="group"`` and ``pooled`` (their label after pooling below k);
    respondent nodes carry ``kind="respondent"``, their ``group`` and its ``pooled`` label. Ties
    stay between the real groups, so a psychologist working with a speech therapist is an
    external tie even when both professions are pooled for showing.
    """
    _dimension(dimension)
    label = pool(roster, k)
    graph = nx.DiGraph()
    for group, pooled in label.items():
        graph.add_node(("group", group), kind="group", group=group, pooled=pooled)
    for answer in answers:
        own = answer.own(dimension)
        if own not in label:
            raise ValueError(f"respondent {answer.respondent}: {dimension} {own!r} is not on the team's roster")
        node = ("respondent", answer.respondent)
        graph.add_node(node, kind="respondent", group=own, pooled=label[own])
        for group, often in answer.answers(dimension).items():
            if group not in label:
                raise ValueError(f"respondent {answer.respondent}: {group!r} is not a {dimension} on the roster")
            if often >= TIE_MIN:
                graph.add_edge(node, ("group", group))
    return graph


def ei_index(graph: nx.DiGraph, k: int = MIN_K) -> tuple[float | None, dict[str, float | None]]:
    """(team E–I, pooled group → E–I of its respondents' ties); None where there are no ties.

    A group's own figure is given only where at least k of its members answered; the members of
    smaller groups are counted together under ``POOLED`` where they reach k together, and left
    out of the per-group figures otherwise (they still count in the team's figure).
    """
    external: dict[str, int] = {}
    internal: dict[str, int] = {}
    answered: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        if data["kind"] == "respondent":
            answered[data["pooled"]] = answered.get(data["pooled"], 0) + 1
    shown = {g for g, n in answered.items() if n >= k}
    small = sum(n for g, n in answered.items() if g not in shown)
    if small >= k:
        shown.add(POOLED)
    for node, target in graph.edges():
        data = graph.nodes[node]
        key = data["pooled"] if data["pooled"] in shown and answered[data["pooled"]] >= k else POOLED
        bucket = internal if graph.nodes[target]["group"] == data["group"] else external
        bucket[key] = bucket.get(key, 0) + 1

    def ei(e: int, i: int) -> float | None:
        return (e - i) / (e + i) if e + i else None

    per_group = {g: ei(external.get(g, 0), internal.get(g, 0)) for g in sorted(shown)}
    return ei(sum(external.values()), sum(internal.values())), per_group


def group_graph(ego: nx.DiGraph) -> nx.DiGraph:
    """Pooled group → pooled group, from ``ego_graph``: ``share`` is the fraction of the sending
    group's respondents with a tie to any member group of the receiver, ``ties`` their number; each
    node's ``respondents`` says how many answered, so a picture can hold back what fewer than k said."""
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted({d["pooled"] for _, d in ego.nodes(data=True)}), respondents=0)
    ties: dict[tuple[str, str], int] = {}
    for node, data in ego.nodes(data=True):
        if data["kind"] != "respondent":
            continue
        source = data["pooled"]
        graph.nodes[source]["respondents"] += 1
        for target in {ego.nodes[t]["pooled"] for t in ego.successors(node)} - {source}:
            ties[(source, target)] = ties.get((source, target), 0) + 1
    for (source, target), count in ties.items():
        graph.add_edge(source, target, share=count / graph.nodes[source]["respondents"], ties=count)
    return graph


def density(graph: nx.DiGraph, share: float = TIE_SHARE) -> float:
    """Directed density of the group graph, counting edges whose share reaches ``share``."""
    kept = nx.DiGraph()
    kept.add_nodes_from(graph.nodes)
    kept.add_edges_from((u, v) for u, v, s in graph.edges(data="share") if s >= share)
    return float(nx.density(kept))


def nobody_works_with(graph: nx.DiGraph) -> list[str]:
    """Groups with no tie from any respondent outside them (in-degree 0 in the group graph)."""
    return sorted(str(n) for n, degree in graph.in_degree() if degree == 0)
