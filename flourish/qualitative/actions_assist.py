"""The writes of assisted coding (see `assist.suggest` for the conventions): a run's
suggestions onto the assistant layer, and accepting or rejecting one. Each is one
transaction; callers have already authorised the user (`permissions`)."""

from django.db import transaction

from . import actions, selectors
from .assist import scoring
from .assist.suggest import ACCEPTED, OPEN_METHODS, REJECTED, Run, _human_coverage, _overlaps, find_suggestions
from .models import CoderKind, Coding, text_hash


def suggest(project, user, unit_kind: str | None = None, sources=None, *,
            similarity_threshold: float = scoring.SIMILARITY_THRESHOLD,
            probability_threshold: float = scoring.PROBABILITY_THRESHOLD, limit: int = scoring.LIMIT) -> Run:
    """Suggest codes for the uncoded units of `sources` (default: all the project's) and
    write them on the assistant layer. The model runs first, outside the transaction."""
    run, sources, units, codes, found = find_suggestions(
        project, unit_kind, sources, similarity_threshold=similarity_threshold,
        probability_threshold=probability_threshold, limit=limit)
    with transaction.atomic():
        run.made, run.kept = _replace(project, user, sources, units, codes, found)
    return run


def _replace(project, user, sources, units, codes, found) -> tuple[int, int]:
    assistant = project.assistant()
    coverage = _human_coverage(sources)  # again, inside the transaction
    previous = Coding.objects.filter(coder=assistant, source__in=sources)
    stale, kept = [], set()
    for pk, source_id, code_id, start, end, method in previous.values_list(
            "pk", "source_id", "code_id", "start", "end", "method"):
        if method.endswith(REJECTED) or _overlaps(coverage[source_id], start, end):
            kept.add((source_id, code_id, start, end))
        else:
            stale.append(pk)
    for i in range(0, len(stale), 500):  # in batches: SQLite limits the parameters of one query
        Coding.objects.filter(pk__in=stale[i:i + 500]).delete()
    new = []
    for suggestion in found:
        source, start, end = units[suggestion.unit]
        code = codes[suggestion.code]
        if (source.pk, code.pk, start, end) in kept or _overlaps(coverage[source.pk], start, end):
            continue
        new.append(Coding(source=source, code=code, coder=assistant, start=start, end=end,
                          text_hash=text_hash(source.text[start:end]), score=round(suggestion.score, 4),
                          method=suggestion.method, created_by=user))
    Coding.objects.bulk_create(new, batch_size=500)
    return len(new), len(kept)


def _check_current(suggestion) -> None:
    if not suggestion.is_current:
        raise actions.NotAllowed(f"{suggestion.source.name} has changed since this suggestion was made. "
                                 "Ask for suggestions again.")


@transaction.atomic
def accept(suggestion, user) -> list[Coding]:
    """Copy the suggestion to the user's own layer (``method="accepted"``)."""
    if suggestion.coder.kind != CoderKind.ASSISTANT or suggestion.method not in OPEN_METHODS:
        raise actions.NotAllowed("That is not an open suggestion.")
    _check_current(suggestion)
    layer = selectors.person_layer(suggestion.source.project, user)
    return actions.apply_codes(layer, suggestion.source, suggestion.start, suggestion.end, [suggestion.code],
                               user=user, method=ACCEPTED)


@transaction.atomic
def reject(suggestion, user) -> Coding:
    """Mark the suggestion rejected; it stays on the assistant layer (see the module notes)."""
    if suggestion.coder.kind != CoderKind.ASSISTANT or suggestion.method not in OPEN_METHODS:
        raise actions.NotAllowed("That is not an open suggestion.")
    suggestion.method = f"{suggestion.method}{REJECTED}"
    suggestion.save(update_fields=["method"])
    return suggestion
