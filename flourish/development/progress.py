"""Before and after: the plan's processes at its source and in the leader's latest later
self-assessment or released report on the same framework (reads only; figures from a
report come from `cycle.report`, never from responses)."""

from dataclasses import dataclass

from django.utils import dateformat, timezone

from flourish.feedback.models import Cycle
from flourish.selfassess.models import SelfAssessment


@dataclass
class Row:
    process_id: str
    name: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def _others_scores(report: dict) -> dict:
    return {p["id"]: (p.get("others") or {}).get("score") for p in report.get("processes", [])}


def _when(moment) -> str:
    return dateformat.format(timezone.localtime(moment), "j F Y")


def before_after(plan) -> dict | None:
    """{"what", "before_label", "after_label", "rows"}; None when the plan has no source.
    "after_label" is None (and every "after" None) until a later one exists."""
    framework = plan.framework_version.framework
    own = plan.source_self_assessment
    cycle = plan.source_cycle
    if own is not None and own.is_complete:
        before = own.scores()
        later = SelfAssessment.objects.filter(
            leader=plan.leader, framework_version__framework=framework,
            completed__isnull=False, completed__gt=own.completed,
        ).order_by("-completed").first()
        after = later.scores() if later else {}
        what = "Your own score (self-assessment)"
        before_label = f"Self-assessment, {_when(own.completed)}"
        after_label = f"Self-assessment, {_when(later.completed)}" if later else None
    elif cycle is not None and cycle.is_released:
        before = _others_scores(cycle.report)
        later = Cycle.objects.filter(
            leader=plan.leader, framework_version__framework=framework, report__isnull=False,
            closed_at__gt=cycle.closed_at,
        ).order_by("-closed_at").first()
        after = _others_scores(later.report) if later else {}
        what = "Others' score (360° feedback report)"
        before_label = f"{cycle.title} ({_when(cycle.closed_at)})"
        after_label = f"{later.title} ({_when(later.closed_at)})" if later else None
    else:
        return None
    rows = [Row(p["id"], p["name"], before.get(p["id"]), after.get(p["id"])) for p in plan.plan_processes()]
    return {"what": what, "before_label": before_label, "after_label": after_label, "rows": rows}
