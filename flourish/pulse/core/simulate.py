"""A simulated multi-organisation pulse data set with a known, planted effect (issue 15, item 5).

80 teams in 8 organisations, 12 practitioners a team, two waves (about six months apart).
Pulse answers are anonymous, so a wave's respondents are not linked to the last wave's: the
rows are practitioner answers nested in teams nested in organisations, not repeated persons.

Each team's leader has two process scores *as others rated them* in the 360° (main and
borderline processes, 1..5), from raters who are not the pulse respondents (the common-method
guard). Between waves leaders develop a little, unevenly. A practitioner's latent integration is

    3.2 + PLANTED["leader_main"] · (main − 3.5) + PLANTED["leader_borderline"] · (borderline − 3.5)
        + PLANTED["wave"] · wave + u_org + u_team + e

and they answer the pulse's 14 items on 1..5 (latent plus item noise, rounded and kept in range);
their ``score`` is the mean of those answers, the pulse score the model is fitted to.
The same seed always gives the same rows, so bench/pulse_reference.R can fit the same data in lme4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["PLANTED", "SEED", "SD", "MapRow", "Row", "collaboration_maps", "simulate"]

SEED = 1515
#: The planted fixed effects, in pulse-score points per point of the leader's score (and per wave).
PLANTED = {"leader_main": 0.30, "leader_borderline": 0.10, "wave": 0.10}
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
            for wave in range(waves):
                if wave:
                    main = float(np.clip(main + rng.normal(0.15, 0.25), 1, 5))
                    border = float(np.clip(border + rng.normal(0.05, 0.25), 1, 5))
                mean = (3.2 + PLANTED["leader_main"] * (main - 3.5) + PLANTED["leader_borderline"] * (border - 3.5)
                        + PLANTED["wave"] * wave + u_org + u_team)
                for _ in range(team_size):
                    latent = mean + rng.normal(0, SD["residual"])
                    answers = np.clip(np.rint(latent + rng.normal(0, ITEM_NOISE, ITEMS)), 1, 5).astype(int)
                    rows.append(Row(f"org{o + 1:02d}", f"org{o + 1:02d}-team{t + 1:02d}", wave, round(main, 6),
                                    round(border, 6), tuple(int(a) for a in answers),
                                    round(float(answers.mean()), 12)))
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
