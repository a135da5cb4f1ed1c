"""From a cycle's stored answers to its one report object.

Every output — the report page, its PDF, the JSON API, `flourish report` — renders the
dict that `build()` returns, after the disclosure rules in `flourish.lib.report` have
been applied. Nothing else reads individual responses.
"""

from django.db.models import Q

from flourish.lib import report as pure

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


def respondents_of(cycle) -> list[pure.Respondent]:
    """The leader's self part (if complete) and every submitted, unrevoked response."""
    respondents = []
    own = cycle.self_assessment
    if own is not None and own.is_complete:
        respondents.append(pure.Respondent(role=pure.SELF, profession="", relationship="", answers=own.answers))
    # Only the answers and their group labels: never the rater (closed cycles have none).
    counted = Response.objects.filter(cycle=cycle, submitted_at__isnull=False).filter(
        Q(rater__isnull=True) | Q(rater__revoked_at__isnull=True)
    ).order_by("pk")
    for rater_answers in counted:
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


def build(cycle) -> dict:
    version = cycle.framework_version
    own = cycle.self_assessment
    body = pure.build_report(
        processes_of(version),
        respondents_of(cycle),
        rules_of(cycle),
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
    return result
