"""What the feedback pages, the PDF, the CLI and the JSON API show, computed here so that
views only render and templates run no queries. Nothing here writes.

- the released report's context (`report_context`, `report_json_text`,
  `not_released_message`), shared by the report page, `pdf.py`, `flourish report` and
  the API;
- the cycle page (`cycle_page`), the approver's page (`approval_page`) with its
  warnings, and the leader's live view (`live_board`, through `flourish.lib.live`);
- a rater's own answers (`answers_of`), for their questionnaire pages.
"""

import json
from datetime import datetime

from flourish.frameworks.actions import default_framework_slug
from flourish.frameworks.models import Framework
from flourish.lib import live
from flourish.pulse import selectors as pulse_selectors

from . import charts, nominations
from .models import Response

RADAR = "radar"


def report_json_text(report: dict) -> str:
    """The report dict as JSON, keys sorted so the output is the same on every database."""
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def not_released_message(cycle) -> str:
    return (
        f"The report on {cycle.title!r} is not released yet. A report opens only after the cycle "
        f"closes, and only if at least {cycle.min_k} people other than the leader responded."
    )


def _citation(document: dict) -> dict:
    citation = document.get("citation") or {}
    return {"text": citation.get("text", ""), "url": citation.get("url") or (
        f"https://doi.org/{citation['doi']}" if citation.get("doi") else ""
    ), "doi": citation.get("doi", "")}


def report_context(cycle, *, view: str = "bars") -> dict:
    """Everything the report templates show, from `cycle.report` (and the pinned
    framework version's item wording and citation)."""
    report = cycle.report
    document = cycle.framework_version.document
    item_text = {i["id"]: i.get("other", i["id"]) for p in document["processes"] for i in p["items"]}
    change = report.get("change") or {}
    changes = change.get("processes") or {}
    processes = []
    for number, process in enumerate(report["processes"], start=1):
        rows = charts.figure_rows(process)
        columns, items = charts.item_rows(process, item_text)
        processes.append({
            "number": number,
            "p": process,
            "rows": rows,
            "chart": charts.bars(rows) if rows else None,
            "item_columns": columns,
            "items": items,
            "priority": charts.is_priority(process),
            # Explicit keys (None where the report has no figure) for the templates.
            "self": process.get("self"),
            "others": process.get("others"),
            "gap": process.get("gap"),
            "importance": process.get("importance"),
            "reach": process.get("reach"),
            "change_self": (changes.get(process["id"]) or {}).get("self"),
            "change_others": (changes.get(process["id"]) or {}).get("others"),
            "comments": (report.get("comments") or {}).get(process["id"], []),
        })
    closed = report["cycle"].get("closed")
    return {
        "report": report,
        "closed": datetime.fromisoformat(closed) if closed else None,
        "rules": report["rules"],
        "summary": charts.summary(report),
        "processes": processes,
        "change": change or None,
        "radar": charts.radar(report) if view == RADAR else None,
        "view": view,
        "citation": _citation(document),
        "priority_importance": charts.PRIORITY_IMPORTANCE,
        "priority_below": charts.PRIORITY_BELOW,
    }




def branding(cycle):
    """The organisation's name and logo as the report page and PDF show them."""
    from flourish.orgadmin.selectors import report_branding

    return report_branding(cycle.organisation)


def default_framework_version(organisation=None):
    """What a new cycle asks raters about: the organisation's chosen default framework
    (its latest version), else Flourish's default."""
    from flourish.orgadmin.selectors import default_version_for

    return default_version_for(organisation) or Framework.objects.get(slug=default_framework_slug()).latest()


def answers_of(rater) -> Response | None:
    """The rater's own answers while their cycle is open (after close there is no link)."""
    return Response.objects.filter(rater=rater).first()


# --- the leader's live view --------------------------------------------------------


def live_board(cycle) -> dict:
    """Per professional group: how many are asked (the leader asked them) and the live
    milestone, where it can be told. No count of answers: see `flourish.lib.live`."""
    raters = list(cycle.raters.filter(invited_at__isnull=False))
    groups = []
    for group in cycle.professional_groups:
        ever = [r for r in raters if r.profession == group]
        if ever:
            groups.append(live.GroupState(
                group=group, asked=sum(1 for r in ever if r.revoked_at is None), asked_ever=len(ever),
                reached=group in cycle.live_milestones,
            ))
    k = cycle.min_k
    return {
        "rows": live.rows(groups, k),
        "report_expected": live.report_expected(cycle.live_milestones),
        "asked": sum(1 for r in raters if r.revoked_at is None),
        "k": k,
        "k_plus_one": k + 1,
    }


# --- the cycle page and the approver's page -----------------------------------------


def cycle_page(cycle, user) -> dict:
    from flourish.jobs import selectors as jobs_selectors

    from . import actions

    # Each rater with `.delivery`: "Sent" only once the mail server accepted the invitation.
    raters = jobs_selectors.with_delivery(cycle.raters.all(), [actions.INVITATION], actions.rater_key)
    return {
        "cycle": cycle,
        "raters": raters,
        "undelivered": actions.delivery_problem(cycle),
        "waiting_for_approval": sum(1 for r in raters if r.awaiting_approval and r.revoked_at is None),
        "live": live_board(cycle) if cycle.is_open else None,
        "outlook": _outlook(cycle, raters) if not cycle.is_closed else [],
        "asked_by_group": _asked_by_group(raters) if not cycle.is_closed else {},
        "is_leader": cycle.leader_id == user.pk,
        "shared_with": [u.display_name for u in cycle.shared_with.all()],
        # Beside the 360°: the leader's own teams' integration pulse (issue 15).
        "pulse_teams": pulse_selectors.pulse_links_for(user, cycle.organisation) if cycle.leader_id == user.pk else [],
    }


def _active_people(raters) -> list:
    return [nominations.Person(r.email, r.profession, r.get_relationship_display())
            for r in raters if r.revoked_at is None]


def _outlook(cycle, raters) -> list:
    return nominations.group_outlook(_active_people(raters), cycle.min_k)


def _asked_by_group(raters) -> dict:
    """{"profession": {group: n}, "relationship": {value: n}} for the add form's live hint."""
    counts: dict = {"profession": {}, "relationship": {}}
    for r in raters:
        if r.revoked_at is None:
            counts["profession"][r.profession] = counts["profession"].get(r.profession, 0) + 1
            counts["relationship"][r.relationship] = counts["relationship"].get(r.relationship, 0) + 1
    return counts


def approval_page(cycle) -> dict:
    """The list as the approver sees it, with what to look at twice: personal mail
    addresses, addresses like the leader's own name, and groups that can never reach k."""
    leader = cycle.leader
    asked = list(cycle.raters.filter(revoked_at__isnull=True))
    people = [
        {
            "rater": r,
            "warnings": nominations.person_warnings(r.email, leader_first=leader.first_name,
                                                    leader_last=leader.last_name),
        }
        for r in asked
    ]
    groups = nominations.groups_that_cannot_reach_k(
        [nominations.Person(r.email, r.profession, r.get_relationship_display()) for r in asked],
        cycle.min_k,
    )
    return {
        "cycle": cycle,
        "people": people,
        "pending": [p for p in people if p["rater"].awaiting_approval],
        "approved": [p for p in people if not p["rater"].awaiting_approval],
        "group_warnings": groups,
        "warning_count": sum(len(p["warnings"]) for p in people) + len(groups),
    }


def close_warning(cycle) -> dict:
    """What the leader is told before closing: only what the cycle page already shows (the
    live milestones), never a count of answers."""
    return {"report_expected": live.report_expected(cycle.live_milestones), "k": cycle.min_k}
