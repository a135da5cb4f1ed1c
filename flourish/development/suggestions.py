"""Which processes to suggest for a development plan, and why. Pure Python: no Django.

A process is suggested when
- the leader rated it important to their role (importance >= IMPORTANT) but its score is
  low (below LOW): the leader's own score from a self-assessment, or others' score from
  a released 360° report; or
- professions experience it differently: the report's "reach" (spread between the
  highest and lowest shown professional-group scores) is at least REACH.

The figures come from the self-assessment's scores or from the released report dict
(`cycle.report`, already through the disclosure rules); nothing else is read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

IMPORTANT = 4
LOW = 3.5
REACH = 1.0
PRESELECT = 3  # at most this many suggestions are ticked to start with


@dataclass(frozen=True)
class Figures:
    score: float | None = None
    importance: int | None = None
    reach: float | None = None


@dataclass
class Suggestion:
    process_id: str
    name: str
    reasons: list[str] = field(default_factory=list)
    priority: float = 0.0  # for ordering: bigger is more pressing


def figures_from_self(scores: Mapping[str, float | None], importance: Mapping[str, int]) -> dict[str, Figures]:
    return {pid: Figures(score=scores.get(pid), importance=importance.get(pid))
            for pid in set(scores) | set(importance)}


def figures_from_report(report: Mapping) -> dict[str, Figures]:
    """From a released report dict: others' score, the leader's importance, reach.
    A figure the disclosure rules withheld is absent from the report and stays None."""
    return {
        p["id"]: Figures(
            score=(p.get("others") or {}).get("score"),
            importance=p.get("importance"),
            reach=p.get("reach"),
        )
        for p in report.get("processes", [])
    }


def suggest(processes: Sequence[Mapping], figures: Mapping[str, Figures], *, whose: str) -> list[Suggestion]:
    """Suggestions in order of priority (then the framework's order). `whose` names the
    score in the reasons: "your" or "others'"."""
    found = []
    for order, process in enumerate(processes):
        f = figures.get(process["id"])
        if f is None:
            continue
        s = Suggestion(process["id"], process["name"])
        if f.importance is not None and f.importance >= IMPORTANT and f.score is not None and f.score < LOW:
            s.reasons.append(
                f"You rated it {f.importance} out of 5 for importance to your role, "
                f"and {whose} score is {f.score:.2f}, below {LOW}."
            )
            s.priority += f.importance - f.score
        if f.reach is not None and f.reach >= REACH:
            s.reasons.append(
                f"Professions experience it differently: their scores differ by {f.reach:.2f}."
            )
            s.priority += f.reach
        if s.reasons:
            found.append((-s.priority, order, s))
    return [s for _, _, s in sorted(found, key=lambda t: (t[0], t[1]))]


def preselected(suggestions: Sequence[Suggestion]) -> list[str]:
    return [s.process_id for s in suggestions[:PRESELECT]]
