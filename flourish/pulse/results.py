"""A closed wave's figures, computed once at close from its (still linked) answers through
`flourish.pulse.core`, each with the ledger equation it gives away (`disclosures.py` decides
which the leader may see).

Every figure is recorded over *everyone asked in the wave* from the groups it covers (the
cautious reading the 360°'s live milestones use: who answered is never stored), naming each by
their roster key, which stays the same across waves, and a variable that does not name the
wave ("pulse:purpose", "role:Nursing", "ties:agency"). That is the reading under which a
person's views are stable between waves: a score over the same people asked again tells
nothing new, but a score over everyone but one person, after one over everyone, would give
that person's answers away, and the ledger refuses it. Only the n's ("answered") name the wave.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flourish.disclosure import keys
from flourish.lib.disclosure import MIN_K
from flourish.lib.ledger import Figure
from flourish.pulse.core import network
from flourish.pulse.core.instrument import validate
from flourish.pulse.core.matrix import RoleRating, role_matrix
from flourish.pulse.core.pooling import POOLED, pool, pooled_sizes
from flourish.pulse.core.scores import ALL, team_scores

from .models import Wave, WaveStatus

DIMENSIONS = (network.PROFESSION, network.AGENCY)


@dataclass
class Candidate:
    """One figure the page would show, with the equations it reveals."""

    key: str
    figures: list[Figure]
    #: where in the results dict it sits, to blank it if the ledger refuses it
    withhold: object = field(repr=False, default=None)


def instrument_of(wave):
    return validate(wave.instrument, f"wave {wave.pk}")


def _member_terms(invitations, variables):
    return Figure(tuple((keys.pulse_member(i.member_id), v, 1)
                        for i in sorted(invitations, key=lambda i: i.member_id) for v in variables))


def _reliability_groups(wave, instrument, responses):
    """This team's answers and those of the organisation's other teams' closed waves with the
    same label and pulse version: ICC(1)/ICC(2) are properties of the measure across teams."""
    groups = {"this": [r.answers for r in responses]}
    others = (Wave.objects.filter(team__organisation_id=wave.team.organisation_id, label=wave.label,
                                  status=WaveStatus.CLOSED).exclude(pk=wave.pk).prefetch_related("responses"))
    for other in others:
        if other.instrument.get("version") == instrument.version and other.instrument.get("slug") == instrument.slug:
            groups[f"team{other.team_id}"] = [r.answers for r in other.responses.all() if r.submitted_on]
    return groups


def build(wave, responses, invitations, k: int = MIN_K):
    """(results dict, candidates in the order they are decided). ``responses``: the wave's
    sent answers; ``invitations``: everyone asked."""
    instrument = instrument_of(wave)
    results: dict = {"k": k, "instrument": {"slug": instrument.slug, "version": instrument.version},
                     "asked": len(invitations)}
    candidates: list[Candidate] = []
    results["scores"] = _scores(wave, instrument, responses, invitations, k, candidates)
    results["matrix"] = _matrix(instrument, responses, invitations, k, candidates)
    results["network"] = {d: _network(d, responses, invitations, k, candidates) for d in DIMENSIONS}
    return results, candidates


def _scores(wave, instrument, responses, invitations, k, candidates):
    """Pulse scores: the whole pulse and each domain, through the aggregation decision."""
    domain_names = {d["id"]: d["name"] for d in wave.instrument["domains"]}
    scored = team_scores(instrument, _reliability_groups(wave, instrument, responses), k=k)["this"]
    rows = []
    for key in (ALL, *instrument.domains):
        score = scored.scores[key]
        entry = {"key": key, "name": "The whole pulse" if key == ALL else domain_names[key],
                 "n": score.n, "mean": score.mean, "status": "shown" if score.aggregation.allowed else "agreement",
                 "reasons": list(score.aggregation.reasons),
                 "rwg_j": score.aggregation.rwg_j, "icc1": score.aggregation.icc1, "icc2": score.aggregation.icc2}
        rows.append(entry)
        if entry["status"] == "shown":
            n_figure = _member_terms(invitations, [f"answered:{key}@wave:{wave.pk}"])
            candidates.append(Candidate(f"score:{key}", [_member_terms(invitations, [f"pulse:{key}"]), n_figure],
                                        ("score", entry)))
        else:
            entry["n"] = None  # n only beside a team score the agreement supports
    return rows


def _matrix(instrument, responses, invitations, k, candidates):
    """The role-to-role matrix, k-safe (pooled below k)."""
    roster: dict[str, int] = {}
    for i in invitations:
        roster[i.profession] = roster.get(i.profession, 0) + 1
    label = pool(roster, k)
    members_of = {g: [i for i in invitations if label[i.profession] == g] for g in set(label.values())}
    profs_in = {g: sorted(p for p, lab in label.items() if lab == g) for g in set(label.values())}
    ratings = [RoleRating(f"r{r.pk}", r.profession, rated, [answers.get(item) for item in instrument.role_items])
               for r in responses for rated, answers in (r.role_ratings or {}).items()
               if rated in roster and rated != r.profession]
    matrix = role_matrix(ratings, roster, k)
    cells = []
    for (row, column), cell in sorted(matrix.cells.items()):
        entry = {"row": row, "column": column, "mean": cell.mean if cell else None,
                 "status": "shown" if cell else "below_k"}
        cells.append(entry)
        if cell:
            candidates.append(Candidate(f"role:{row}:{column}", [
                _member_terms(members_of[row], [f"role:{p}" for p in profs_in[column]])], ("cell", entry)))
    pooled_rows = []
    for column, cell in sorted(matrix.pooled_rows.items()):
        entry = {"column": column, "mean": cell.mean if cell else None, "status": "shown" if cell else "below_k"}
        pooled_rows.append(entry)
        if cell:
            withheld_rows = {c["row"] for c in cells if c["column"] == column and c["status"] != "shown"}
            people = [i for g in sorted(withheld_rows) for i in members_of[g]]
            candidates.append(Candidate(f"role:pooled:{column}", [
                _member_terms(people, [f"role:{p}" for p in profs_in[column]])], ("cell", entry)))
    return {"groups": list(matrix.rows), "cells": cells, "pooled_rows": pooled_rows,
            "items": [instrument.item(i).role_text.replace("{profession}", "[the rated profession]")
                      for i in instrument.role_items]}


def _network(dimension, responses, invitations, k, candidates):
    """The collaboration map as groups: density, E–I index, groups nobody works with."""
    answers = [network.MapAnswer(f"r{r.pk}", r.profession, r.agency,
                                 (r.collaboration or {}).get("professions", {}),
                                 (r.collaboration or {}).get("agencies", {})) for r in responses]

    def own(i):
        return i.profession if dimension == network.PROFESSION else i.agency

    sizes: dict[str, int] = {}
    for i in invitations:
        sizes[own(i)] = sizes.get(own(i), 0) + 1
    ego = network.ego_graph(answers, dimension, sizes, k)
    team_ei, per_group = network.ei_index(ego, k)
    graph = network.group_graph(ego)
    enough = len(answers) >= k
    entry = {"density": network.density(graph) if enough else None, "ei": team_ei if enough else None,
             # a group, never a person: a pooled group that holds fewer than k people is not named
             "nobody_works_with": [g for g in network.nobody_works_with(graph)
                                   if pooled_sizes(sizes, k).get(g, 0) >= k] if enough else [],
             "status": "shown" if enough else "below_k", "groups": []}
    variable = f"ties:{dimension}"
    if enough:
        candidates.append(Candidate(f"network:{dimension}", [_member_terms(invitations, [variable])],
                                    ("network", entry)))
    group_label = pool(sizes, k)
    named = {g for g in per_group if g != POOLED}
    for group, ei in per_group.items():
        g_entry = {"group": group, "ei": ei, "status": "shown" if ei is not None else "no_ties"}
        entry["groups"].append(g_entry)
        if ei is None:
            continue
        people = [i for i in invitations
                  if (group_label[own(i)] == group if group != POOLED else group_label[own(i)] not in named)]
        candidates.append(Candidate(f"network:{dimension}:{group}", [_member_terms(people, [variable])],
                                    ("group_ei", g_entry)))
    return entry


def withhold(candidate: Candidate) -> None:
    """Blank what the ledger refused, saying why."""
    kind, entry = candidate.withhold
    if kind == "score":
        entry["mean"] = None
        entry["n"] = None
        entry["status"] = "ledger"
    elif kind == "cell":
        entry["mean"] = None
        entry["status"] = "ledger"
    elif kind == "network":
        entry.update(density=None, ei=None, nobody_works_with=[], status="ledger")
    elif kind == "group_ei":
        entry["ei"] = None
        entry["status"] = "ledger"


def indices_from_document(document: dict, k: int = MIN_K) -> dict:
    """The same k-safe indices from a file of teams (``flourish pulse indices``), with no
    database and no ledger: the person running it holds the answers already.

    ``document``: {"teams": [{"name", "roster": [{"profession", "agency"}],
    "responses": [{"profession", "agency", "answers", "role_ratings", "collaboration"}]}]}."""
    from types import SimpleNamespace

    from flourish.pulse.core.instrument import latest_path, load_file

    instrument = load_file(latest_path())
    teams = document.get("teams") if isinstance(document, dict) else None
    if not isinstance(teams, list) or not teams:
        raise ValueError('teams: is required, a list of teams with "name", "roster" and "responses"')
    prepared = {}
    for t, team in enumerate(teams):
        place = f"teams[{t}]"
        if not isinstance(team, dict) or not all(isinstance(team.get(f), list) for f in ("roster", "responses")):
            raise ValueError(f'{place}: needs a "roster" list and a "responses" list')
        roster = [SimpleNamespace(member_id=i, profession=str(m.get("profession", "")), agency=str(m.get("agency", "")))
                  for i, m in enumerate(team["roster"])]
        responses = [SimpleNamespace(pk=i, profession=r.get("profession"), agency=r.get("agency"),
                                     answers=r.get("answers") or {}, role_ratings=r.get("role_ratings") or {},
                                     collaboration=r.get("collaboration") or {})
                     for i, r in enumerate(team["responses"])]
        prepared[str(team.get("name") or f"team {t + 1}")] = (place, roster, responses)
    try:
        scored = team_scores(instrument, {name: [r.answers for r in rs] for name, (_, _, rs) in prepared.items()}, k=k)
    except ValueError as problem:
        raise ValueError(f"teams: {problem}") from None
    out = []
    for name, (place, roster, responses) in prepared.items():
        try:
            matrix = _matrix(instrument, responses, roster, k, [])
            networks = {d: _network(d, responses, roster, k, []) for d in DIMENSIONS}
        except ValueError as problem:
            raise ValueError(f"{place} ({name}): {problem}") from None
        scores = [{"key": key, "mean": s.mean, "n": s.n if s.aggregation.allowed else None,
                   "reasons": list(s.aggregation.reasons)} for key, s in scored[name].scores.items()]
        out.append({"team": name, "k": k, "scores": scores, "matrix": matrix, "network": networks})
    return {"instrument": {"slug": instrument.slug, "version": instrument.version}, "teams": out}
