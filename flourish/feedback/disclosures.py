"""What a 360° cycle shows to whom, in the disclosure ledger (`flourish.disclosure`).

- The report: at release, its figures (each shown mean's sum and its n, as
  `flourish.lib.report` gives them) are recorded for the leader, and for each person it is
  shared with when it is shared. Before either, the ledger's joint audit runs over the
  report together with everything that person was already shown.
- The live view: a group's milestone ("at least k of them have answered") is recorded for
  the leader and the organisation's admins (both see the cycle's page) when it goes up, as
  the sum of "answered" over everyone of the group ever asked. The milestone tells less
  than that sum (only that it is at least k); recording the sum is the cautious reading.

Respondents are named by keys that are never names (`flourish.disclosure.keys`): a severed
response's pseudonym in the report, a rater's id in a milestone. Called only from
`actions.py`, inside its transaction.
"""

from flourish.disclosure import actions as ledger_actions
from flourish.disclosure import keys
from flourish.disclosure import selectors as ledger
from flourish.lib.ledger import Figure, may_release, may_release_all

REPORT = "report:"
LIVE = "live:"
ANSWERED = "answered"  # a milestone's variable: whether the rater has answered


def _subject(cycle) -> str:
    return keys.cycle_subject(cycle.pk)


def stored_report(cycle) -> tuple[list[Figure], set[str]] | None:
    """The report's figures as recorded for its leader at release, and the respondents
    whose exposure does not count (a consented line manager shown on their own); None for a
    report released before the ledger recorded reports."""
    releases = ledger.figures_with_prefix(keys.person(cycle.leader_id), _subject(cycle), REPORT)
    if not releases:
        return None
    allowed: set[str] = set()
    for release in releases:
        allowed.update(release.value.get("allowed", ()))
    return [Figure.from_json(r.equation) for r in releases], allowed


def show_report(cycle, audience: str, figures: list[Figure], allowed: set[str]) -> bool:
    """Record the report for `audience` if the joint audit over everything they were shown
    allows it (True), or refuse (False). Shown already: True, recorded once."""
    subject = _subject(cycle)
    if ledger.was_shown(audience, subject, REPORT):
        return True
    shown, known = ledger.shown_to(audience)
    if not may_release_all(shown, figures, cycle.min_k, known=known, allowed=allowed):
        return False
    value = {"allowed": sorted(allowed)} if allowed else {}
    ledger_actions.record_many(audience, subject, [(f"{REPORT}{i}", f) for i, f in enumerate(figures)], value)
    return True


def milestone_audiences(cycle) -> list[str]:
    return [keys.person(cycle.leader_id), keys.organisation_admins(cycle.organisation_id)]


def milestone_figure(asked_ever) -> Figure:
    return Figure(tuple((keys.rater_key(r.pk), ANSWERED, 1) for r in sorted(asked_ever, key=lambda r: r.pk)))


def show_milestone(cycle, group: str, asked_ever) -> bool:
    """Record a group's milestone for everyone who sees the cycle's page, if the joint audit
    over everything each of them was shown allows it."""
    figure = milestone_figure(asked_ever)
    audiences = milestone_audiences(cycle)
    for audience in audiences:
        shown, known = ledger.shown_to(audience)
        if not may_release(shown, figure, cycle.min_k, known=known):
            return False
    for audience in audiences:
        ledger_actions.record(audience, _subject(cycle), f"{LIVE}{group}", figure=figure,
                              value={"group": group, "milestone": "reached"})
    return True
