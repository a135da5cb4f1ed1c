"""What the plan page and the plan PDF both show (views and pdf.py import it; no writes)."""

from . import progress
from .forms import ActionForm, GoalForm, ReviewForm


def plan_context(plan, *, bound=None) -> dict:
    """Everything the plan page (and its PDF) shows. `bound` replaces one form with a
    submitted one that has errors: {(kind, process_id): form}."""
    bound = bound or {}
    goals = {g.process_id: g for g in plan.goals.prefetch_related("actions__notes")}
    sections = []
    for process in plan.plan_processes():
        goal = goals.get(process["id"])
        key = process["id"]
        sections.append({
            "process": process,
            "goal": goal,
            "actions": list(goal.actions.all()) if goal else [],
            "goal_form": bound.get(("goal", key)) or GoalForm(
                process=process, initial={"text": goal.text if goal else ""}),
            "action_form": bound.get(("action", key)) or ActionForm(process=process),
        })
    return {
        "plan": plan,
        "sections": sections,
        "reviews": list(plan.reviews.all()),
        "review_form": bound.get(("review", None)) or ReviewForm(),
        "comparison": progress.before_after(plan),
    }
