"""The writes of adjudication: a lead researcher settles disagreements, and the result is written to the
project's consensus layer. The coders' own layers are never changed.

- `decide` records whether a code applies to one unit (an `Adjudication`) and makes the
  consensus layer say the same: when it applies, a consensus coding over the unit; when it
  does not, the code is taken off the unit on the consensus layer (a consensus coding that
  reaches beyond the unit keeps its parts outside it).
- `accept_agreements` copies into the consensus layer every unit where all the chosen
  coders applied a code, unless a lead has decided the code does not apply there. So the
  consensus layer is what the coders agreed plus what was adjudicated.

Both are idempotent: doing the same again changes nothing.
"""

from django.db import transaction

from . import analysis
from .actions import NotAllowed
from .core import agreement as core
from .models import Adjudication, CoderKind, Coding, MemberRole, text_hash


def is_lead(project, user) -> bool:
    return bool(user and user.is_authenticated) and project.members.filter(user=user, role=MemberRole.LEAD).exists()


def _require_lead(project, user) -> None:
    if not is_lead(project, user):
        raise NotAllowed("Only a lead researcher of the project can settle disagreements.")


def _check_unit(project, source, code, start: int, end: int) -> None:
    if source.project_id != project.pk:
        raise NotAllowed("That source belongs to another project.")
    if code.project_id != project.pk:
        raise NotAllowed("That code belongs to another project.")
    if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end <= len(source.text):
        raise NotAllowed(f"{source.name}: positions {start}–{end} are not a passage of the transcript "
                         f"({len(source.text)} characters).")
    if not source.text[start:end].strip():
        raise NotAllowed(f"{source.name}: the passage is only spaces or line breaks.")


def _covers(consensus, source, code, start: int, end: int) -> bool:
    return Coding.objects.filter(coder=consensus, source=source, code=code, start__lte=start, end__gte=end).exists()


def _apply(consensus, source, code, start: int, end: int, user) -> bool:
    """Make the consensus layer apply `code` over the unit; True if a coding was added."""
    if _covers(consensus, source, code, start, end):
        return False
    Coding.objects.create(coder=consensus, source=source, code=code, start=start, end=end,
                          text_hash=text_hash(source.text[start:end]), created_by=user)
    return True


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _remove(consensus, source, code, start: int, end: int) -> None:
    """Take `code` off [start, end) on the consensus layer, keeping what lies outside."""
    overlapping = Coding.objects.filter(coder=consensus, source=source, code=code, start__lt=end, end__gt=start)
    for coding in list(overlapping):
        outside = [span for span in (_trimmed(source.text, coding.start, start), _trimmed(source.text, end, coding.end))
                   if span is not None]
        kept = set(Coding.objects.filter(coder=consensus, source=source, code=code)
                   .exclude(pk=coding.pk).values_list("start", "end"))
        outside = [span for span in outside if span not in kept]
        if not outside:
            coding.delete()
            continue
        # the coding keeps its identity (and memos) as its first remaining part
        (coding.start, coding.end), rest = outside[0], outside[1:]
        coding.text_hash = text_hash(source.text[coding.start:coding.end])
        coding.save(update_fields=["start", "end", "text_hash"])
        for s, e in rest:
            Coding.objects.create(coder=consensus, source=source, code=code, start=s, end=e,
                                  text_hash=text_hash(source.text[s:e]), created_by=coding.created_by)


@transaction.atomic
def decide(project, user, source, code, start: int, end: int, applies: bool, note: str = "") -> Adjudication:
    """Record that `code` does (or does not) apply to `source[start:end]`, and write it to
    the consensus layer. Deciding again replaces the earlier decision."""
    _require_lead(project, user)
    _check_unit(project, source, code, start, end)
    adjudication, _ = Adjudication.objects.update_or_create(
        source=source, code=code, start=start, end=end,
        defaults={"project": project, "applies": bool(applies), "note": (note or "").strip(), "decided_by": user},
    )
    consensus = project.consensus()
    if applies:
        _apply(consensus, source, code, start, end, user)
    else:
        _remove(consensus, source, code, start, end)
    return adjudication


@transaction.atomic
def accept_agreements(project, user, coders, unit_kind=None, sources=None, codes=None) -> int:
    """Copy into the consensus layer every (unit, code) that all `coders` applied (each of
    them present on the source); returns how many consensus codings were added."""
    _require_lead(project, user)
    kind = analysis.unit_kind_of(project, unit_kind)
    chosen = analysis.pick_coders(project, coders)
    if len(chosen) < 2:
        raise NotAllowed("Choose at least two coders whose agreements to accept.")
    if any(c.kind == CoderKind.CONSENSUS for c in chosen):
        raise NotAllowed("The consensus layer is where agreements go; choose the coders to compare.")
    chosen_sources = analysis.pick_sources(project, sources)
    chosen_codes = analysis.pick_codes(project, codes)
    units = analysis.project_units(chosen_sources, kind)
    data = core.applied_matrix(
        [core.Unit(u.source, u.start, u.end) for u in units],
        analysis.segments(chosen, chosen_sources, chosen_codes),
        [c.pk for c in chosen], [c.pk for c in chosen_codes],
        analysis.assignments(chosen, chosen_sources),
    )
    refused = set(Adjudication.objects.filter(project=project, applies=False)
                  .values_list("source", "code", "start", "end"))
    consensus = project.consensus()
    source_by_pk = {s.pk: s for s in chosen_sources}
    added = 0
    for k, code in enumerate(chosen_codes):
        for i, unit in enumerate(units):
            if (data[k, :, i] == 1).all() and (unit.source, code.pk, unit.start, unit.end) not in refused:
                added += _apply(consensus, source_by_pk[unit.source], code, unit.start, unit.end, user)
    return added
