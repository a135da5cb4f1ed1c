"""What the profile page shows, computed from a completed self-assessment (no writes)."""

from dataclasses import dataclass

from flourish.lib import scoring


@dataclass
class Row:
    id: str
    name: str
    kind: str
    score: float | None
    importance: int | None
    previous: float | None
    in_focus: bool

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def percent(self) -> float:
        """Bar length: 1 (the scale's floor) is an empty bar, 5 a full one."""
        return 0 if self.score is None else round((self.score - 1) / 4 * 100, 1)

    @property
    def priority(self) -> bool:
        """Important to the role (4 or 5) but scored in the lower half: worth developing."""
        return bool(self.importance and self.importance >= 4 and self.score is not None and self.score < 3.5)


def build(assessment, previous=None) -> dict:
    scores = assessment.scores()
    before = previous.scores() if previous else {}
    rows = [
        Row(
            id=p["id"], name=p["name"], kind=p["kind"], score=scores.get(p["id"]),
            importance=assessment.importance.get(p["id"]), previous=before.get(p["id"]),
            in_focus=p["id"] in assessment.focus,
        )
        for p in assessment.framework_version.processes
    ]
    strongest, weakest = scoring.strongest_and_least_developed(scores)
    names = {r.id: r.name for r in rows}
    return {
        "rows": rows,
        "strongest": [names[pid] for pid in strongest],
        "least_developed": [names[pid] for pid in weakest],
        "unscored": [r.name for r in rows if r.score is None],
        "focus": [p for p in assessment.framework_version.processes if p["id"] in assessment.focus],
        "minimum_note": "A process is scored when at least half of its questions were answered.",
    }
