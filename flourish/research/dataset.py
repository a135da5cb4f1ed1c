"""The de-identified research data set: one row per observation (a leader's own
self-assessment, or one rater's answers about a leader).

Columns: ``leader`` (stable pseudonym "L…"), ``cycle`` ("C…" for a 360° cycle, "S…" for
a self-assessment on its own), ``year`` (of the cycle, or of completing a self-assessment
on its own; no finer dates), ``source`` (self|other), ``profession`` and ``relationship``
(the rater's professional group and relationship to the leader; empty for self),
``framework`` and ``framework_version``, then one column per item id: 1–5, or None (not
able to observe, or not asked in that framework version; the exports in ``exports.py``
tell the two apart and code the group columns).

Never included: names, emails, employers, links or tokens, comments or any free text,
organisation names, database ids, exact dates.

Consent (all opt-in, all revocable, read afresh at every export and run):

- a self-assessment row needs the leader's ``SelfAssessment.research_consent`` and a
  completed self-assessment;
- a rater row needs the rater's ``Response.research_consent`` AND the leader's
  ``Cycle.research_consent`` (the data are about the leader), a submitted response from
  a rater whose link was not withdrawn, in a CLOSED cycle;
- and the cycle's rows must pass the disclosure audit with its report counted as known,
  with profession and relationship coarsened until each cell has at least k rows
  (`release.py`); a reader gets no rater rows about cycles where they are the leader.
  What was coarsened or left out is listed in ``Dataset.notes``.

Pseudonyms are HMAC-SHA256 of the database key, keyed by ``settings.SECRET_KEY`` and a
fixed label per kind, first 12 hex characters: stable across exports, distinct per
leader, and not reversible without the server's secret.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from flourish.disclosure.keys import LABEL, cycle_pseudonym, pseudonym  # noqa: F401  (one definition)
from flourish.selfassess.selectors import consented_for_research

FIXED_COLUMNS = ["leader", "cycle", "year", "source", "profession", "relationship", "framework",
                 "framework_version"]
FIXED_LABELS = {
    "leader": "Leader (pseudonym)",
    "cycle": "Cycle (pseudonym; C = 360-degree cycle, S = self-assessment on its own)",
    "year": "Year of the cycle",
    "source": "Who answered: self (the leader) or other (a rater)",
    "profession": "Rater's professional group",
    "relationship": "Rater's relationship to the leader",
    "framework": "Framework",
    "framework_version": "Framework version",
}
DEFAULT_SCALE = {1: "Rarely or never", 2: "Not often", 3: "Sometimes", 4: "Often", 5: "Almost always"}


def leader_pseudonym(user_pk) -> str:
    return "L" + pseudonym("leader", user_pk)


def self_assessment_pseudonym(assessment_pk) -> str:
    return "S" + pseudonym("self-assessment", assessment_pk)


def _value(v):
    if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 5:
        return None
    return v


@dataclass
class Dataset:
    rows: list[dict]
    item_ids: list[str]
    item_labels: dict[str, str]
    value_labels: dict[int, str]
    versions: dict[tuple[str, int], object] = field(default_factory=dict)  # (slug, version) -> FrameworkVersion
    notes: list[str] = field(default_factory=list)  # what the disclosure audit coarsened or left out
    selection: object = None  # the rater rows' release.Selection, for recording an export

    @property
    def note(self) -> str:
        return " ".join([NOTE, *self.notes])

    @property
    def columns(self) -> list[str]:
        return FIXED_COLUMNS + self.item_ids

    def count(self, source=None) -> int:
        return sum(1 for r in self.rows if source is None or r["source"] == source)

    def by_version(self) -> list[dict]:
        """Per framework version: how many self and other rows (for the researcher's page)."""
        out = []
        for key, version in self.versions.items():
            rows = [r for r in self.rows if (r["framework"], r["framework_version"]) == key]
            out.append({"key": f"{key[0]}:{key[1]}", "version": version,
                        "self": sum(r["source"] == "self" for r in rows),
                        "other": sum(r["source"] == "other" for r in rows)})
        return out


def build(organisations=None, reader=None) -> Dataset:
    """All consented rows of the given organisations that `reader` may have (None: every
    organisation, for the command line run by the operator)."""
    from .release import select_rows

    assessments = consented_for_research(organisations)
    if reader is not None:
        assessments = assessments.exclude(leader=reader)
    selection = select_rows(organisations, reader)

    versions = {}
    rows = []

    def base(version):
        key = (version.framework.slug, version.version)
        versions.setdefault(key, version)
        return {"framework": key[0], "framework_version": key[1]}

    for sa in assessments:
        try:
            cycle = sa.cycle
        except sa.__class__.cycle.RelatedObjectDoesNotExist:
            cycle = None
        row = {
            "leader": leader_pseudonym(sa.leader_id),
            "cycle": cycle_pseudonym(cycle.pk) if cycle else self_assessment_pseudonym(sa.pk),
            "year": cycle.closes_on.year if cycle else sa.completed.year,
            "source": "self", "profession": "", "relationship": "",
            **base(sa.framework_version), "_order": pseudonym("row-self", sa.pk),
            "_answers": sa.answers,
        }
        rows.append(row)
    for response, profession, relationship in selection.rows:
        cycle = response.cycle
        rows.append({
            "leader": leader_pseudonym(cycle.leader_id), "cycle": cycle_pseudonym(cycle.pk),
            "year": cycle.closes_on.year, "source": "other", "profession": profession,
            "relationship": relationship, **base(cycle.framework_version),
            "_order": pseudonym("row-other", response.pk), "_answers": response.answers,
        })

    versions = dict(sorted(versions.items()))
    item_ids, item_labels, value_labels = [], {}, {}
    for version in versions.values():
        for process in version.processes:
            for item in process["items"]:
                if item["id"] not in item_labels:
                    item_ids.append(item["id"])
                item_labels[item["id"]] = item.get("other") or item.get("self") or item["id"]
        with contextlib.suppress(KeyError, TypeError):
            value_labels = value_labels or dict(version.scale_labels())
    for row in rows:
        answers = row.pop("_answers") or {}
        for item_id in item_ids:
            row[item_id] = _value(answers.get(item_id))
    rows.sort(key=lambda r: (r["leader"], r["cycle"], r["source"] != "self", r["profession"],
                             r["relationship"], r.pop("_order")))
    return Dataset(rows=rows, item_ids=item_ids, item_labels=item_labels,
                   value_labels=value_labels or dict(DEFAULT_SCALE), versions=versions,
                   notes=selection.notes(), selection=selection)


def for_user(user) -> Dataset:
    from .permissions import research_organisations

    return build(research_organisations(user), reader=user)


NOTE = ("De-identified Flourish research data: only observations whose people opted in (leader and, for "
        "rater answers, the rater too). Pseudonyms are keyed hashes; no names, emails, comments or exact dates. "
        "Items are Flourish's not-yet-validated operationalisation of Vaggers & Anderson (2025), "
        "doi:10.1080/13561820.2021.1897553. Self rows answered the first-person wording; variable labels give "
        "the rater wording. Missing values are coded by reason (-8 not able to observe, -9 not asked in "
        "this version, -7 does not apply); codebook.csv and README.txt in the download say how each format "
        "carries them.")
