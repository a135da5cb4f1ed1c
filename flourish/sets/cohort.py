"""The facilitator's cohort view: aggregates over the members who consented to share
their scores, decided against everything the set's facilitator was already shown (the
disclosure ledger; see `cohort_release.py`).

Sources, per consenting member and framework (the set's):
- "360": the `others.score` of each process in their latest RELEASED 360° report
  (read only from the report, which has already applied the report's own rules);
- "self": the process scores of their latest completed self-assessment;
- "plans": processes chosen in their development plans (when flourish.development exists),
  counted over the consenting members who have a plan.

`current()` is a read: it shows the figures already released (never one from a leader who
has since withdrawn). `release()` records new figures in the ledger; call it only through
`actions.release_cohort()`, which holds the set's lock.
"""

from django.db.models import Count, Q

from flourish.disclosure import actions as ledger_actions
from flourish.disclosure import selectors as ledger
from flourish.feedback.selectors import latest_released_report
from flourish.lib.disclosure import MIN_K
from flourish.lib.ledger import Figure, may_release
from flourish.selfassess.selectors import latest_completed

from . import cohort_release, sharing


def audience(learning_set) -> str:
    """Whoever facilitates the set: one audience, whoever holds the role over time."""
    return f"set:{learning_set.pk}:facilitator"


def subject(learning_set) -> str:
    return f"set:{learning_set.pk}"


def _consenting(learning_set):
    return list(learning_set.active_members().filter(share_scores=True))


def _score_inputs(learning_set, members) -> dict[str, dict[str, dict[str, float]]]:
    """{source: {process id: {"<user>:<version>": score}}}; None scores left out."""
    framework = learning_set.framework_version.framework
    result = {"360": {}, "self": {}}
    for member in members:
        user = member.user
        cycle = latest_released_report(user, framework)
        if cycle is not None:
            for process in cycle.report.get("processes", []):
                others = process.get("others")
                if others and others.get("score") is not None:
                    result["360"].setdefault(process["id"], {})[f"{user.pk}:cycle-{cycle.pk}"] = others["score"]
        assessment = latest_completed(user, framework)
        if assessment is not None:
            for pid, score in assessment.scores().items():
                if score is not None:
                    result["self"].setdefault(pid, {})[f"{user.pk}:self-{assessment.pk}"] = score
    return result


def _plan_inputs(learning_set, members):
    """(everyone with a plan as "<user>:plan-<pk>", {process id: [those who chose it]}),
    or None without development plans."""
    chosen = sharing.processes_chosen(learning_set, [m.user for m in members])
    if chosen is None:
        return None
    population = [f"{user.pk}:plan-{plan_pk}" for user, (plan_pk, _) in chosen.items()]
    by_process: dict[str, list[str]] = {}
    for user, (plan_pk, process_ids) in chosen.items():
        for pid in set(process_ids):
            by_process.setdefault(pid, []).append(f"{user.pk}:plan-{plan_pk}")
    return population, by_process


def _candidates(learning_set):
    """(rows without figures, [(row index, column, key, inputs, value or None)], has plans)."""
    members = _consenting(learning_set)
    scores = _score_inputs(learning_set, members)
    plans = _plan_inputs(learning_set, members)
    rows, wanted = [], []
    for process in learning_set.framework_version.processes:
        pid = process["id"]
        rows.append({"id": pid, "name": process["name"], "kind": process.get("kind", "main")})
        for source, column in (("360", "others"), ("self", "self")):
            inputs = scores[source].get(pid, {})
            wanted.append((len(rows) - 1, column, f"{source}:{pid}", sorted(inputs),
                           cohort_release.mean_figure(inputs, MIN_K)))
        if plans is not None:
            population, by_process = plans
            wanted.append((len(rows) - 1, "plans", f"plans:{pid}", sorted(population),
                           cohort_release.count_figure(by_process.get(pid, []), MIN_K)))
    consenting = {str(m.user_id) for m in members}
    return rows, wanted, plans is not None, consenting


def _shown(release, consenting, held):
    """An earlier release as shown now, or None if a contributor has since withdrawn."""
    if release is None:
        return None
    inputs = [f"{term[0].partition(':')[2]}:{term[1].partition('@')[2]}" for term in release.equation]
    if not cohort_release.contributors(inputs) <= consenting:
        return None
    return {**release.value, "as_at": release.released_at, "held": held}


def _page(learning_set, rows, has_plans) -> dict:
    cycles = learning_set.cycles.annotate(
        total=Count("actions"), done=Count("actions", filter=Q(actions__done=True))
    ).order_by("number")
    return {
        "k": MIN_K,
        "processes": rows,
        "has_plans": has_plans,
        "any_figure": any(r.get("others") or r.get("self") for r in rows),
        "actions": [{"number": c.number, "focus": c.focus, "done": c.done, "total": c.total} for c in cycles],
    }


def current(learning_set) -> dict:
    """The cohort view as already released (a read: records nothing)."""
    rows, wanted, has_plans, consenting = _candidates(learning_set)
    latest = ledger.latest_by_key(audience(learning_set), subject(learning_set))
    pending = 0
    for row, column, key, inputs, value in wanted:
        release = latest.get(key)
        differs = value is not None and (
            release is None or Figure.from_json(release.equation) != cohort_release.equation(key, inputs))
        pending += differs
        shown = _shown(release, consenting, held=differs) if value is not None else None
        rows[row][column] = shown or ({"unreleased": True} if value is not None and release is None else None)
    return {**_page(learning_set, rows, has_plans), "pending": pending}


def release(learning_set) -> dict:
    """Release every figure the joint audit allows, recording it; hold the rest."""
    rows, wanted, has_plans, consenting = _candidates(learning_set)
    who, about = audience(learning_set), subject(learning_set)
    shown, known = ledger.shown_to(who)
    known.add(cohort_release.person(learning_set.facilitator_id))  # they know their own scores
    history: dict[str, list] = {}
    for earlier in ledger.releases_to(who, about).order_by("-released_at", "-pk"):
        history.setdefault(earlier.key, []).append(earlier)
    for row, column, key, inputs, value in wanted:
        if value is None:
            rows[row][column] = None
            continue
        figure = cohort_release.equation(key, inputs)
        earlier = history.get(key, [])
        same = next((e for e in earlier if Figure.from_json(e.equation) == figure), None)
        if same is not None or may_release(shown, figure, MIN_K, known=known):
            if same is None or same is not earlier[0]:  # new, or back to an older figure
                same = ledger_actions.record(who, about, key, figure=figure, value=value)
                shown.append(figure)
            rows[row][column] = _shown(same, consenting, held=False)
        else:
            rows[row][column] = _shown(earlier[0] if earlier else None, consenting, held=True)
    return {**_page(learning_set, rows, has_plans), "pending": 0}
