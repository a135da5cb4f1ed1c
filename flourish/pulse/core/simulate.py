"""A simulated multi-organisation pulse data set with known, planted effects (issue 15, item 5).

80 teams in 8 organisations, 12 practitioners a team, two waves (about six months apart).
Pulse answers are anonymous, so a wave's respondents are not linked to the last wave's: the
rows are practitioner answers nested in teams nested in organisations, not repeated persons.

Each team's leader has two process scores *as others rated them* in the 360° (main and
borderline processes, 1..5). Between waves leaders develop a little, unevenly, and about half
of them (``plan``) worked on a development plan after the first wave. A practitioner's latent
integration is

    3.2 + PLANTED["leader_main"] · (main − 3.5) + PLANTED["leader_borderline"] · (borderline − 3.5)
        + PLANTED["wave"] · wave + PLANTED["plan"] · plan · wave + u_org + u_team + e
        + HALO · (main − 3.5)   only for a respondent who also rated the leader in the 360°
                                and answered the pulse within MIN_LAG_DAYS of it

The last term is a planted common-method bias: about 40% of the pulse respondents
(``also_rater``) were also the leader's 360° raters, and where the two were answered close
together (``lag_days``, days from the 360°'s close to the pulse wave's opening, below
MIN_LAG_DAYS) their view of the leader colours their view of the team. It is a simplification
of the shared-occasion part of common-method bias, planted so that each guard (respondents other
than the raters, or a time lag) can be shown to remove it and the unguarded fit to be off.

They answer the pulse's 14 items on 1..5 (latent plus item noise, rounded and kept in range);
their ``score`` is the mean of those answers, the pulse score the model is fitted to.
The same seed always gives the same rows, so bench/pulse_reference.R can fit the same data in lme4.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from flourish.pulse.core.indices import WaveData
from flourish.pulse.core.matrix import RoleRating
from flourish.pulse.core.network import MapAnswer
from flourish.pulse.core.study import MIN_LAG_DAYS

__all__ = ["ALSO_RATER", "HALO", "MIN_LAG_DAYS", "PLANNED", "PLANTED", "SEED", "SD", "MapRow", "Row", "WaveObjects",
           "collaboration_maps", "simulate", "simulate_wave", "wave_objects"]

SEED = 1515
#: The planted fixed effects, in pulse-score points per point of the leader's score (and per wave).
PLANTED = {"leader_main": 0.30, "leader_borderline": 0.10, "wave": 0.10, "plan": 0.15}
#: The planted common-method bias per point of the leader's main score (see the module's text).
HALO = 0.6
#: The share of pulse respondents who were also the leader's 360° raters, and of leaders with a plan.
ALSO_RATER = 0.4
PLANNED = 0.5

#: The planted standard deviations: organisations, teams (within organisation), practitioners.
SD = {"organisation": 0.15, "team": 0.30, "residual": 0.45}
ITEM_NOISE = 0.6
ITEMS = 14

PROFESSIONS = ("Nurse", "Social worker", "Teacher", "Health visitor", "Family support worker", "Psychologist")
AGENCIES = ("NHS trust", "Council", "School", "Charity")
_AGENCY_OF = {"Nurse": "NHS trust", "Health visitor": "NHS trust", "Psychologist": "NHS trust",
              "Social worker": "Council", "Family support worker": "Charity", "Teacher": "School"}


@dataclass(frozen=True)
class Row:
    organisation: str
    team: str
    wave: int
    leader_main: float
    leader_borderline: float
    answers: tuple[int, ...]
    score: float
    #: the leader worked on a development plan between the first and second wave
    plan: bool = False
    #: this respondent also rated the leader in the 360° (the form asks; None where unknown)
    also_rater: bool | None = None
    #: days from the 360°'s close to this pulse wave's opening
    lag_days: int | None = None


def simulate(seed: int = SEED, organisations: int = 8, teams_per_organisation: int = 10,
             team_size: int = 12, waves: int = 2) -> list[Row]:
    rng = np.random.default_rng(seed)
    rows: list[Row] = []
    for o in range(organisations):
        u_org = rng.normal(0, SD["organisation"])
        for t in range(teams_per_organisation):
            u_team = rng.normal(0, SD["team"])
            main = float(np.clip(rng.normal(3.5, 0.45), 1, 5))
            border = float(np.clip(rng.normal(3.5, 0.45), 1, 5))
            plan = bool(rng.random() < PLANNED)
            for wave in range(waves):
                if wave:
                    main = float(np.clip(main + rng.normal(0.15, 0.25), 1, 5))
                    border = float(np.clip(border + rng.normal(0.05, 0.25), 1, 5))
                lag = int(rng.integers(14, 151))
                mean = (3.2 + PLANTED["leader_main"] * (main - 3.5) + PLANTED["leader_borderline"] * (border - 3.5)
                        + PLANTED["wave"] * wave + PLANTED["plan"] * plan * wave + u_org + u_team)
                for _ in range(team_size):
                    rater = bool(rng.random() < ALSO_RATER)
                    halo = HALO * (main - 3.5) if rater and lag < MIN_LAG_DAYS else 0.0
                    latent = mean + halo + rng.normal(0, SD["residual"])
                    answers = np.clip(np.rint(latent + rng.normal(0, ITEM_NOISE, ITEMS)), 1, 5).astype(int)
                    rows.append(Row(f"org{o + 1:02d}", f"org{o + 1:02d}-team{t + 1:02d}", wave, round(main, 6),
                                    round(border, 6), tuple(int(a) for a in answers),
                                    round(float(answers.mean()), 12), plan, rater, lag))
    return rows


@dataclass(frozen=True)
class MapRow:
    team: str
    respondent: str
    profession: str
    agency: str
    #: how often (0..4) with each profession, then each agency, in PROFESSIONS / AGENCIES order
    with_professions: tuple[int, ...]
    with_agencies: tuple[int, ...]


def collaboration_maps(seed: int = SEED, teams: int = 20, team_size: int = 12) -> list[MapRow]:
    """Collaboration maps for ``teams`` teams: more often with one's own profession and agency."""
    rng = np.random.default_rng(seed + 1)
    rows: list[MapRow] = []
    for t in range(teams):
        openness = rng.uniform(-1, 1)  # some teams work across boundaries more than others
        for r in range(team_size):
            profession = PROFESSIONS[int(rng.integers(len(PROFESSIONS)))]
            agency = _AGENCY_OF[profession]

            def often(same: bool, openness: float = openness) -> int:
                return int(np.clip(np.rint(rng.normal(3.0 if same else 1.3 + openness, 1.0)), 0, 4))

            rows.append(MapRow(f"team{t + 1:02d}", f"t{t + 1:02d}r{r + 1:02d}", profession, agency,
                               tuple(often(p == profession) for p in PROFESSIONS),
                               tuple(often(a == agency) for a in AGENCIES)))
    return rows


Array = np.ndarray[Any, Any]


def simulate_wave(teams: int = 2000, team_size: int = 20, seed: int = SEED, role_items: int = 5,
                  cant_say: float = 0.05) -> WaveData:
    """A wave of ``teams`` teams of ``team_size`` respondents (the bench's 2,000 × 20), all vectorised."""
    rng = np.random.default_rng(seed + 2)
    n = teams * team_size
    team = np.repeat(np.arange(teams), team_size)
    profession = rng.integers(len(PROFESSIONS), size=n)
    agency_of = np.array([AGENCIES.index(_AGENCY_OF[p]) for p in PROFESSIONS])
    agency = agency_of[profession]
    present_p = np.zeros((teams, len(PROFESSIONS)), dtype=int)
    np.add.at(present_p, (team, profession), 1)
    present_a = np.zeros((teams, len(AGENCIES)), dtype=int)
    np.add.at(present_a, (team, agency), 1)
    # people on the roster who did not answer: up to two more in each group that is there
    profession_roster = present_p + (present_p > 0) * rng.integers(0, 3, size=present_p.shape)
    agency_roster = present_a + (present_a > 0) * rng.integers(0, 3, size=present_a.shape)
    level = rng.normal(3.4, 0.4, size=teams)[team] + rng.normal(0, 0.5, size=n)
    answers = np.clip(np.rint(level[:, None] + rng.normal(0, ITEM_NOISE, size=(n, ITEMS))), 1, 5)
    answers[rng.random(answers.shape) < cant_say] = np.nan
    openness = rng.uniform(-1, 1, size=teams)[team]

    def often(own: Array, groups: int, roster: Array) -> Array:
        same = own[:, None] == np.arange(groups)[None, :]
        centre = np.where(same, 3.0, 1.3 + openness[:, None])
        values = np.clip(np.rint(rng.normal(centre, 1.0)), 0, 4).astype(int)
        return np.where(roster[team] > 0, values, -1)

    with_professions = often(profession, len(PROFESSIONS), profession_roster)
    with_agencies = often(agency, len(AGENCIES), agency_roster)
    rated = rng.normal(3.5, 0.4, size=(teams, len(PROFESSIONS)))[team]
    role = np.clip(np.rint(rated[:, :, None] + rng.normal(0, 0.8, size=(n, len(PROFESSIONS), role_items))), 1, 5)
    off = (profession[:, None] == np.arange(len(PROFESSIONS))[None, :]) | (profession_roster[team] == 0)
    role[off] = np.nan
    role[rng.random(role.shape) < cant_say] = np.nan
    names = tuple(f"team{t + 1:04d}" for t in range(teams))
    respondents = tuple(f"t{t + 1:04d}r{r + 1:02d}" for t in range(teams) for r in range(team_size))
    return WaveData(names, respondents, PROFESSIONS, AGENCIES, team, profession, agency, answers, with_professions,
                    with_agencies, role,
                profession_roster, agency_roster)


@dataclass(frozen=True)
class WaveObjects:
    """The same wave as the per-team objects the networkx and pure-Python paths take."""

    responses: dict[str, list[dict[str, int | None]]]
    ratings: dict[str, list[RoleRating]]
    maps: dict[str, list[MapAnswer]]
    profession_rosters: dict[str, dict[str, int]]
    agency_rosters: dict[str, dict[str, int]]


def wave_objects(wave: WaveData, item_ids: Sequence[str]) -> WaveObjects:
    """``wave`` as per-team dicts and dataclasses (item ids in the order of ``wave.answers``' columns)."""
    if len(item_ids) != wave.answers.shape[1]:
        raise ValueError(f"{len(item_ids)} item ids for {wave.answers.shape[1]} answer columns")
    out = WaveObjects({t: [] for t in wave.teams}, {t: [] for t in wave.teams}, {t: [] for t in wave.teams},
                      {}, {})
    for t, name in enumerate(wave.teams):
        out.profession_rosters[name] = {p: int(n) for p, n in zip(PROFESSIONS, wave.profession_roster[t]) if n}
        out.agency_rosters[name] = {a: int(n) for a, n in zip(AGENCIES, wave.agency_roster[t]) if n}
    for r, who in enumerate(wave.respondents):
        name = wave.teams[int(wave.team[r])]
        out.responses[name].append({i: None if np.isnan(v) else int(v) for i, v in zip(item_ids, wave.answers[r])})
        own_p, own_a = PROFESSIONS[int(wave.profession[r])], AGENCIES[int(wave.agency[r])]
        out.maps[name].append(MapAnswer(
            who, own_p, own_a, {p: int(f) for p, f in zip(PROFESSIONS, wave.with_professions[r]) if f >= 0},
            {a: int(f) for a, f in zip(AGENCIES, wave.with_agencies[r]) if f >= 0}))
        for p, profession in enumerate(PROFESSIONS):
            if profession != own_p and profession in out.profession_rosters[name]:
                values = wave.role_answers[r, p]
                out.ratings[name].append(RoleRating(who, own_p, profession,
                                                    tuple(None if np.isnan(v) else float(v) for v in values)))
    return out
