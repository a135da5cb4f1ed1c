"""Team pulse scores for one wave: the whole pulse and each domain, each with its n, and each
shown only where agreement supports a team score (``agreement.decide``).

ICC(1)/ICC(2) belong to the measure across the wave's teams, so they are computed once per
score (the pulse, each domain) over every team given; rwg(j) belongs to each team.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flourish.lib.disclosure import MIN_K
from flourish.pulse.core.agreement import Aggregation, decide, icc, rwg_j, scale_score
from flourish.pulse.core.instrument import Instrument

__all__ = ["ALL", "Score", "TeamScores", "team_scores"]

#: The key of the whole pulse among the domain keys.
ALL = "pulse"

#: One respondent's answers: item id → 1..A, or None for "can't say".
Response = Mapping[str, int | None]


@dataclass(frozen=True)
class Score:
    #: the team mean of members' scale scores, or None where it may not be shown
    mean: float | None
    n: int
    aggregation: Aggregation


@dataclass(frozen=True)
class TeamScores:
    team: str
    #: ALL and each domain id → Score
    scores: Mapping[str, Score]


def team_scores(instrument: Instrument, responses: Mapping[str, Sequence[Response]],
                k: int = MIN_K) -> dict[str, TeamScores]:
    """Scores for each team of one wave from its members' responses (team → responses)."""
    for team, members in responses.items():
        for i, response in enumerate(members):
            unknown = sorted(set(response) - {item.id for item in instrument.items})
            if unknown:
                raise ValueError(f"team {team}, response {i + 1}: {', '.join(unknown)} is not an item of "
                                 f"{instrument.slug} version {instrument.version}")
    groups = {ALL: [item.id for item in instrument.items]}
    for domain in instrument.domains:
        groups[domain] = [item.id for item in instrument.items if item.domain == domain]
    categories = len(instrument.scale_values)
    out: dict[str, dict[str, Score]] = {team: {} for team in responses}
    for key, item_ids in groups.items():
        answers = {team: [[r.get(i) for i in item_ids] for r in members] for team, members in responses.items()}
        member_scores = {team: [s for s in (scale_score(a) for a in rows) if s is not None]
                         for team, rows in answers.items()}
        reliability = icc(member_scores)
        for team, rows in answers.items():
            n = len(member_scores[team])
            aggregation = decide(n, rwg_j(rows, categories), reliability, k=k)
            mean = sum(member_scores[team]) / n if aggregation.allowed else None
            out[team][key] = Score(mean, n, aggregation)
    return {team: TeamScores(team, scores) for team, scores in out.items()}
