"""Which rater rows may enter a research export, decided against the cycle's report and
everything the same audience was already exported (the disclosure ledger).

For each closed cycle whose leader consented, the candidate rows are the consenting
raters' answers. Whoever reads the export may also hold the cycle's report (the leader,
a coach it was shared with, a researcher who is also the leader's manager), so the report
counts as known: with the rows subtracted from the report's equations, nothing may follow
about fewer than k non-consenting raters (their answers, or whether they answered) — the
non-consenting remainder of every shown figure is 0 or at least k, and no combination of
figures does better. Rows already exported to the audience count as known too, even if
their rater has since withdrawn consent. Otherwise the whole cycle is left out.

Profession and relationship identify people to whoever holds the rater list, so within a
cycle they are coarsened until every (profession, relationship) cell has at least k rows:
relationship to "any" first, then the smallest professions into "other"; a cycle with
fewer than k rows is left out. A reader never gets rows about cycles where they are the
leader.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flourish.disclosure import actions as ledger_actions
from flourish.disclosure import keys
from flourish.disclosure import selectors as ledger
from flourish.feedback.selectors import closed_responses, report_figures, report_inputs
from flourish.lib.ledger import exposed

ANY_RELATIONSHIP = "any"
OTHER_PROFESSION = "other"


def coarsen(cells: list[tuple[str, str]], k: int) -> tuple[list[tuple[str, str]], set[str]] | None:
    """(profession, relationship) per row, coarsened until each cell has >= k rows, and which
    columns were coarsened; None when the rows are fewer than k."""
    if len(cells) < k:
        return None
    coarsened: set[str] = set()
    if min(Counter(cells).values()) < k:
        cells = [(profession, ANY_RELATIONSHIP) for profession, _ in cells]
        coarsened.add("relationship")
    while min(Counter(cells).values()) < k:
        counts = Counter(p for p, _ in cells)
        small = {p for p, n in counts.items() if n < k and p != OTHER_PROFESSION}
        if not small:  # only "other" is short: fold the smallest named profession in
            named = [p for p in counts if p != OTHER_PROFESSION]
            small = {min(named, key=lambda p: (counts[p], p))}
        cells = [(OTHER_PROFESSION if p in small else p, r) for p, r in cells]
        coarsened.add("profession")
    return cells, coarsened


def response_key(response) -> str:
    """The ledger's key for one rater's answers: a pseudonym, never a name."""
    return keys.response_key(response.pk)


def audience_for(cycle, reader) -> str:
    """Research readers of the cycle's organisation (the operator's command line apart)."""
    return "research:operator" if reader is None else f"research:organisation:{cycle.organisation_id}"


@dataclass
class Selection:
    rows: list[tuple[object, str, str]] = field(default_factory=list)  # (response, profession, relationship)
    shown: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (audience, subject) -> keys
    left_out_audit: int = 0
    left_out_small: int = 0
    left_out_own: int = 0
    coarsened: Counter[str] = field(default_factory=Counter)

    def notes(self) -> list[str]:
        notes = []
        if self.left_out_audit:
            notes.append(f"{self.left_out_audit} cycle(s) left out: with their report, the rows would have "
                         "revealed something about raters who did not consent.")
        if self.left_out_small:
            notes.append(f"{self.left_out_small} cycle(s) left out: fewer consenting raters than the cycle's "
                         "anonymity minimum.")
        if self.left_out_own:
            notes.append(f"{self.left_out_own} cycle(s) left out: you are their leader.")
        if self.coarsened["relationship"]:
            notes.append(f"Relationship coarsened to '{ANY_RELATIONSHIP}' in {self.coarsened['relationship']} "
                         "cycle(s), so that no combination of profession and relationship is rarer than the "
                         "anonymity minimum within a cycle.")
        if self.coarsened["profession"]:
            notes.append(f"Small professional groups coarsened to '{OTHER_PROFESSION}' in "
                         f"{self.coarsened['profession']} cycle(s), for the same reason.")
        return notes


def _cycles(organisations):
    by_cycle: dict[int, list] = {}
    cycles = {}
    for response in closed_responses(organisations):
        cycle = response.cycle
        cycles[cycle.pk] = cycle
        by_cycle.setdefault(cycle.pk, []).append(response)
    return [(cycles[pk], by_cycle[pk]) for pk in sorted(by_cycle)]


def select_rows(organisations, reader=None) -> Selection:
    """The rater rows one reader may be exported now (see the module docstring)."""
    selection = Selection()
    for cycle, responses in _cycles(organisations):
        consenting = [r for r in responses if r.research_consent] if cycle.research_consent else []
        if not consenting:
            continue
        if reader is not None and cycle.leader_id == reader.pk:
            selection.left_out_own += 1
            continue
        rules = report_inputs(cycle)[1]
        who, about = audience_for(cycle, reader), keys.cycle_subject(cycle.pk)
        _, already = ledger.shown_to(who, about)
        known = {response_key(r) for r in consenting} | already
        if cycle.report is not None:
            # What the report's readers were shown, as the ledger recorded it at release.
            equations, allowed = report_figures(cycle)
            if exposed(equations, rules.k, known=known, allowed=allowed, first_only=True):
                selection.left_out_audit += 1
                continue
        cells = coarsen([(r.profession, r.relationship) for r in consenting], rules.k)
        if cells is None:
            selection.left_out_small += 1
            continue
        labels, coarsened = cells
        selection.coarsened.update(coarsened)
        for response, (profession, relationship) in zip(consenting, labels):
            selection.rows.append((response, profession, relationship))
        selection.shown[(who, about)] = [response_key(r) for r in consenting]
    return selection


def record(selection: Selection) -> None:
    """Record the exported rows in the ledger (inside the exporting action's transaction)."""
    for (who, about), rows_of in selection.shown.items():
        ledger_actions.record(who, about, "rows", rows_of=rows_of, value={"rows": len(rows_of)})
