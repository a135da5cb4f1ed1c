"""From a cycle's stored answers to its one report object.

Every output — the report page, its PDF, the JSON API, `flourish report` — renders the
dict that `build()` returns, after the disclosure rules in `flourish.lib.report` have
been applied. Nothing else reads individual responses.
"""

from django.db.models import Q

from flourish.disclosure import keys
from flourish.lib import report as pure
from flourish.lib.disclosure import is_line_manager
from flourish.lib.ledger import Figure

from . import disclosures
from .models import Cycle, Response, Status

REPORT_FORMAT = 1


def processes_of(version) -> list[pure.Process]:
    return [
        pure.Process(id=p["id"], name=p["name"], kind=p["kind"], item_ids=tuple(i["id"] for i in p["items"]))
        for p in version.processes
    ]


def rules_of(cycle) -> pure.Rules:
    return pure.Rules(
        k=cycle.min_k,
        comment_k=cycle.min_comments,
        gap_margin=cycle.gap_margin,
        show_line_manager=cycle.organisation.show_line_manager_separately,
    )


def counted_responses(cycle):
    """Every submitted, unrevoked response, in a fixed order."""
    return Response.objects.filter(cycle=cycle, submitted_at__isnull=False).filter(
        Q(rater__isnull=True) | Q(rater__revoked_at__isnull=True)
    ).order_by("pk")


def respondents_of(cycle, counted=None) -> list[pure.Respondent]:
    """The leader's self part (if complete) and every submitted, unrevoked response."""
    respondents = []
    own = cycle.self_assessment
    if own is not None and own.is_complete:
        respondents.append(pure.Respondent(role=pure.SELF, profession="", relationship="", answers=own.answers))
    # Only the answers and their group labels: never the rater (closed cycles have none).
    for rater_answers in (counted if counted is not None else counted_responses(cycle)):
        respondents.append(pure.Respondent(
            role=pure.OTHER,
            profession=rater_answers.profession,
            relationship=rater_answers.relationship,
            answers=rater_answers.answers,
            comments=rater_answers.comments,
            line_manager_consented=rater_answers.line_manager_consented,
        ))
    return respondents


def enough_responses(cycle) -> bool:
    return pure.enough_others(respondents_of(cycle), rules_of(cycle))


def previous_release(cycle):
    return (
        Cycle.objects.filter(
            leader=cycle.leader, organisation=cycle.organisation, status=Status.CLOSED,
            report__isnull=False, framework_version__framework=cycle.framework_version.framework,
            closed_at__lt=cycle.closed_at,
        )
        .exclude(pk=cycle.pk)
        .order_by("-closed_at")
        .first()
    )


def _change_since(current: dict, previous_cycle) -> dict | None:
    """Change in shown figures since the previous released report: only differences of
    figures both reports already show, so it discloses nothing new."""
    if previous_cycle is None:
        return None
    before = {p["id"]: p for p in previous_cycle.report["processes"]}
    by_process = {}
    for process in current["processes"]:
        old = before.get(process["id"])
        if old is None:
            continue
        change = {}
        if "others" in process and "others" in old:
            change["others"] = process["others"]["score"] - old["others"]["score"]
        if "self" in process and "self" in old:
            change["self"] = process["self"] - old["self"]
        if change:
            by_process[process["id"]] = change
    return {
        "cycle": previous_cycle.pk,
        "title": previous_cycle.title,
        "closed": previous_cycle.closed_at.date().isoformat(),
        "processes": by_process,
    }


def approval_of(cycle) -> dict:
    """For the method section: whether a second person approved the list of people asked
    (and everyone added later), and who."""
    if cycle.approver_id is None or cycle.approved_at is None:
        return {"approved": False, "by": None, "on": None, "imported": cycle.imported}
    return {"approved": True, "by": cycle.approver.display_name, "on": cycle.approved_at.date().isoformat(),
            "imported": cycle.imported}


def allowed_keys(responses, rules: pure.Rules) -> set[str]:
    """Respondents whose exposure does not count: line managers shown on their own, with
    their consent (every line manager of the cycle must have consented, as in the report)."""
    managers = [r for r in responses if is_line_manager(r.relationship)]
    if not (rules.show_line_manager and managers and all(r.line_manager_consented for r in managers)):
        return set()
    return {keys.response_key(r.pk) for r in managers}


def build(cycle) -> dict:
    return build_with_equations(cycle)[0]


def build_with_equations(cycle) -> tuple[dict, list[Figure], set[str]]:
    """The report, what it reveals as ledger equations over the responses' keys, and the
    respondents whose exposure does not count (one pass of the disclosure decisions)."""
    version = cycle.framework_version
    own = cycle.self_assessment
    counted = list(counted_responses(cycle))
    rules = rules_of(cycle)
    body, figures = pure.build_report_with_equations(
        processes_of(version),
        respondents_of(cycle, counted),
        [keys.response_key(r.pk) for r in counted],
        rules,
        importance=(own.importance if own is not None and own.is_complete else None),
        salt=f"{cycle.report_salt}:{cycle.pk}",
    )
    result = {
        "format": REPORT_FORMAT,
        "cycle": {
            "id": cycle.pk,
            "title": cycle.title,
            "leader": cycle.leader.display_name,
            "organisation": cycle.organisation.name,
            "closes_on": cycle.closes_on.isoformat(),
            "closed": cycle.closed_at.isoformat() if cycle.closed_at else None,
        },
        "approval": approval_of(cycle),
        "framework": {"slug": version.slug, "version": version.version, "name": version.document["name"]},
        **body,
    }
    change = _change_since(result, previous_release(cycle))
    if change:
        result["change"] = change
    return result, figures, allowed_keys(counted, rules)


def report_figures(cycle) -> tuple[list[Figure], set[str]]:
    """What the released report reveals (ledger equations) and whose exposure does not
    count: as recorded at release; recomputed from the stored answers for reports released
    before the ledger recorded them."""
    stored = disclosures.stored_report(cycle)
    if stored is not None:
        return stored
    counted = list(counted_responses(cycle))
    rules = rules_of(cycle)
    others = [r for r in respondents_of(cycle, counted) if r.role == pure.OTHER]
    figures = pure.report_equations(processes_of(cycle.framework_version), others,
                                    [keys.response_key(r.pk) for r in counted], rules)
    return figures, allowed_keys(counted, rules)
