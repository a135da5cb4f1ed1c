"""Assisted coding in a project: suggestions written on the project's assistant layer, and
what people do with them. This module reads and scores; the writes are in
`actions_assist`. Callers have already authorised the user (`permissions`): running
suggestions is for leads, accepting and rejecting for members.

Conventions:

- **Human layers** are people's, the consensus layer and imported coders' layers: every
  layer except the assistant's. Units are those of agreement (`analysis.source_units`: a
  turn's words after its "Name:" label, or a sentence of them). A unit is **uncoded** when
  no coding on a human layer overlaps it by at least one code point (the overlap rule of
  agreement). Only uncoded units get suggestions.
- **A run** (`find_suggestions` reads and scores, `actions_assist.suggest` writes) embeds
  the uncoded units of the chosen sources and writes one coding per suggestion on
  ``project.assistant()``, with ``score`` and ``method``
  ("similarity" or "classifier"; see `scoring`). It replaces the assistant's previous
  open suggestions in those sources, in one transaction, except two kinds that stay as
  the assistant's record, so its agreement with people stays honest:
  suggestions on units that people have coded since (what it said before they coded),
  and rejected suggestions (which are not suggested again).
- **Suggestions are never applied on their own.** Accepting one (`actions_assist.accept`) copies it to
  the accepting member's own layer with ``method="accepted"``, so the project can tell
  coding that came from a suggestion (and leave it out when it wants the assistant's
  agreement with independent human coding). The suggestion stays on the assistant layer.
- **Rejecting** (`actions_assist.reject`) marks the suggestion as rejected for the whole project
  (``method`` gains ``:rejected``, e.g. ``similarity:rejected``) and keeps it on the
  assistant layer: deleting it would make the assistant look better than it was. A
  rejected suggestion is hidden from everyone and not made again by later runs.
- The classifier learns from the consensus layer: a unit is **adjudicated** when a
  consensus coding or an adjudication overlaps it; it is positive for the codes the
  consensus applied there and negative for the rest (`training_data`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Exists, OuterRef

from .. import actions, analysis
from ..models import Adjudication, CoderKind, Coding
from . import embedding, scoring
from .embedding import ASSIST_HELP, AssistUnavailable  # noqa: F401  (for views)

ACCEPTED = "accepted"
REJECTED = ":rejected"
OPEN_METHODS = (scoring.SIMILARITY, scoring.CLASSIFIER)
HUMAN_KINDS = (CoderKind.PERSON, CoderKind.CONSENSUS, CoderKind.IMPORTED)


def available() -> bool:
    """Whether the optional extra is installed (`embedding.available`)."""
    return embedding.available()


@dataclass
class Run:
    """What one run did."""

    unit_kind: str
    units: int = 0  # uncoded units considered
    made: int = 0  # suggestions written
    kept: int = 0  # earlier suggestions kept as the assistant's record
    classifier_codes: list = field(default_factory=list)  # codes scored by a trained classifier


def unit_spans(source, kind: str) -> list[tuple[int, int]]:
    """The units of a stored source, exactly as agreement counts them (`analysis.source_units`):
    each turn's words after its "Name:" label, or the sentences of those words."""
    return [(u.start, u.end) for u in analysis.source_units(source, kind)]


def _merged(intervals) -> tuple[list[int], list[int]]:
    """Sorted disjoint (starts, ends) covering the given intervals."""
    starts, ends = [], []
    for s, e in sorted(intervals):
        if ends and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _overlaps(merged, start: int, end: int) -> bool:
    starts, ends = merged
    i = bisect.bisect_right(ends, start)  # first interval ending after `start`
    return i < len(starts) and starts[i] < end


def _human_coverage(sources) -> dict:
    """source pk -> merged spans coded on any human layer."""
    spans: dict = {s.pk: [] for s in sources}
    rows = Coding.objects.filter(source__in=list(spans), coder__kind__in=HUMAN_KINDS) \
        .values_list("source_id", "start", "end")
    for source_id, start, end in rows:
        spans[source_id].append((start, end))
    return {pk: _merged(v) for pk, v in spans.items()}


def _code_texts(codes) -> list[list[str]]:
    return [[t for t in (c.definition, c.inclusion, *c.examples) if t and t.strip()] for c in codes]


def training_data(project, kind: str, codes) -> tuple[list[str], np.ndarray]:
    """Texts of the adjudicated units of the whole project and their labels (units x codes)."""
    column = {c.pk: i for i, c in enumerate(codes)}
    consensus = Coding.objects.filter(coder__project=project, coder__kind=CoderKind.CONSENSUS)
    by_source: dict = {}
    for source_id, code_id, start, end in consensus.values_list("source_id", "code_id", "start", "end"):
        by_source.setdefault(source_id, []).append((start, end, column.get(code_id)))
    for source_id, start, end in Adjudication.objects.filter(project=project) \
            .values_list("source_id", "start", "end"):
        by_source.setdefault(source_id, []).append((start, end, None))
    texts, labels = [], []
    for source in project.sources.filter(pk__in=list(by_source)).order_by("pk"):
        marks = by_source[source.pk]
        for start, end in unit_spans(source, kind):
            hits = [c for s, e, c in marks if s < end and e > start]
            if hits:
                row = np.zeros(len(codes), dtype=bool)
                row[[c for c in hits if c is not None]] = True
                texts.append(source.text[start:end])
                labels.append(row)
    return texts, np.array(labels, dtype=bool).reshape(len(labels), len(codes))


def find_suggestions(project, unit_kind: str | None = None, sources=None, *,
                     similarity_threshold: float = scoring.SIMILARITY_THRESHOLD,
                     probability_threshold: float = scoring.PROBABILITY_THRESHOLD,
                     limit: int = scoring.LIMIT) -> tuple[Run, list, list, list, list]:
    """Score the uncoded units of `sources` (default: all the project's) against the codebook,
    reading only: (run, sources, units, codes, suggestions), which `actions_assist.suggest`
    writes. The model runs here, outside any transaction, so it holds no locks. Raises
    AssistUnavailable without the extra."""
    if not available():
        raise AssistUnavailable(ASSIST_HELP)
    kind = analysis.unit_kind_of(project, unit_kind)
    sources = list(project.sources.all() if sources is None else sources)
    if any(s.project_id != project.pk for s in sources):
        raise actions.NotAllowed("A chosen source belongs to another project.")
    codes = list(project.codes.filter(is_codable=True))  # headings (isCodable false) are never suggested
    if not codes:
        raise actions.NotAllowed("The codebook has no codes yet. Add codes before asking for suggestions.")
    run = Run(unit_kind=kind)
    coverage = _human_coverage(sources)
    units = [(source, s, e) for source in sources for s, e in unit_spans(source, kind)
             if not _overlaps(coverage[source.pk], s, e)]
    run.units = len(units)
    found = []
    if units:
        code_texts = _code_texts(codes)
        flat = [t for texts in code_texts for t in texts]
        vectors = embedding.embed(flat)
        bounds = np.cumsum([0] + [len(t) for t in code_texts])
        groups = [vectors[bounds[i]:bounds[i + 1]] for i in range(len(codes))]
        training = None
        train_texts, labels = training_data(project, kind, codes)
        if scoring.trainable(labels).any():
            training = (embedding.embed(train_texts), labels)
            run.classifier_codes = [codes[i] for i in np.flatnonzero(scoring.trainable(labels))]
        found = scoring.suggest(embedding.embed([src.text[s:e] for src, s, e in units]), groups,
                                training=training, similarity_threshold=similarity_threshold,
                                probability_threshold=probability_threshold, limit=limit)
    return run, sources, units, codes, found


# --- what people do with suggestions --------------------------------------------------------

def open_suggestions(project, user):
    """The assistant's suggestions not rejected and not already on the user's own layer
    (same code overlapping the same text), by source and position, best first."""
    own = Coding.objects.filter(coder__project=project, coder__user=user, source=OuterRef("source"),
                                code=OuterRef("code"), start__lt=OuterRef("end"), end__gt=OuterRef("start"))
    return (Coding.objects.filter(coder__project=project, coder__kind=CoderKind.ASSISTANT, method__in=OPEN_METHODS)
            .exclude(Exists(own)).select_related("source", "code")
            .order_by("source__name", "source_id", "start", "-score", "code__order", "pk"))
