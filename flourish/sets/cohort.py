"""The facilitator's cohort view: aggregates over the members who consented to share
their scores, through the disclosure rules in `disclosure.py`.

Sources, per consenting member and framework (the set's):
- "360": the `others.score` of each process in their latest RELEASED 360° report
  (read only from `cycle.report`, which has already applied the report's own rules);
- "self": the process scores of their latest completed self-assessment;
- "plans": processes chosen in their development plans (when flourish.development exists).

Each figure is recorded once shown (CohortRelease); call `build()` only through
`actions.release_cohort()`, which holds the set's lock.
"""

from django.db.models import Count, Q

from flourish.feedback.models import Cycle
from flourish.selfassess.models import SelfAssessment

from . import disclosure, sharing
from .models import K, CohortRelease


def _consenting(learning_set):
    return list(learning_set.active_members().filter(share_scores=True))


def _score_inputs(learning_set, members) -> dict[str, dict[str, dict[str, float]]]:
    """{source: {process id: {"<user>:<version>": score}}}; None scores left out."""
    framework = learning_set.framework_version.framework
    result = {"360": {}, "self": {}}
    for member in members:
        user = member.user
        cycle = (Cycle.objects.filter(leader=user, report__isnull=False, framework_version__framework=framework)
                 .order_by("-released_at", "-pk").first())
        if cycle is not None:
            for process in cycle.report.get("processes", []):
                others = process.get("others")
                if others and others.get("score") is not None:
                    result["360"].setdefault(process["id"], {})[f"{user.pk}:cycle-{cycle.pk}"] = others["score"]
        assessment = (SelfAssessment.objects.filter(leader=user, completed__isnull=False,
                                                    framework_version__framework=framework)
                      .select_related("framework_version").order_by("-completed", "-pk").first())
        if assessment is not None:
            for pid, score in assessment.scores().items():
                if score is not None:
                    result["self"].setdefault(pid, {})[f"{user.pk}:self-{assessment.pk}"] = score
    return result


def _plan_inputs(learning_set, members) -> dict[str, list[str]] | None:
    """{process id: ["<user>:plan-<pk>", ...]} from development plans; None without them."""
    chosen = sharing.processes_chosen(learning_set, [m.user for m in members])
    if chosen is None:
        return None
    result: dict[str, list[str]] = {}
    for user, (plan_pk, process_ids) in chosen.items():
        for pid in set(process_ids):
            result.setdefault(pid, []).append(f"{user.pk}:plan-{plan_pk}")
    return result


def _leaders(inputs) -> set[str]:
    return {str(entry).partition(":")[0] for entry in inputs}


def _resolve(learning_set, key: str, inputs: list[str], figure: dict | None, consenting: set[str]):
    """The figure to show for `key`, recording it when it is newly released."""
    if figure is None:
        return None
    candidate = sorted(inputs)
    history = list(CohortRelease.objects.filter(learning_set=learning_set, key=key))
    decision = disclosure.decide(candidate, [h.inputs for h in history], K)
    if decision.action == "release":
        release = CohortRelease.objects.create(learning_set=learning_set, key=key, inputs=candidate, value=figure)
        return {**figure, "as_at": release.released_at, "held": False}
    earlier = history[decision.index]
    if decision.action == "hold" and not _leaders(earlier.inputs) <= consenting:
        return None  # never keep showing a figure from someone who has withdrawn
    return {**earlier.value, "as_at": earlier.released_at, "held": decision.action == "hold"}


def build(learning_set) -> dict:
    members = _consenting(learning_set)
    consenting = {str(m.user_id) for m in members}
    scores = _score_inputs(learning_set, members)
    plans = _plan_inputs(learning_set, members)
    rows = []
    for process in learning_set.framework_version.processes:
        pid = process["id"]
        row = {"id": pid, "name": process["name"], "kind": process.get("kind", "main")}
        for source, column in (("360", "others"), ("self", "self")):
            inputs = scores[source].get(pid, {})
            row[column] = _resolve(learning_set, f"{source}:{pid}", list(inputs),
                                   disclosure.mean_figure(inputs, K), consenting)
        if plans is not None:
            chosen = plans.get(pid, [])
            row["plans"] = _resolve(learning_set, f"plans:{pid}", chosen,
                                    disclosure.count_figure(_leaders(chosen), K), consenting)
        rows.append(row)
    cycles = learning_set.cycles.annotate(
        total=Count("actions"), done=Count("actions", filter=Q(actions__done=True))
    ).order_by("number")
    return {
        "k": K,
        "processes": rows,
        "has_plans": plans is not None,
        "any_figure": any(r["others"] or r["self"] for r in rows),
        "actions": [{"number": c.number, "focus": c.focus, "done": c.done, "total": c.total} for c in cycles],
    }
