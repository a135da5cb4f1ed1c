"""What one coding layer says about the data: coverage, co-occurrence, what no code covers,
and the "model check" (how much of the data each process of the model accounts for).

Pure Python (no Django), so it can be tested on hand-made examples.

Conventions (the same as `agreement`):

- A **unit** is a span ``[start, end)`` of code points of one source (a speaker turn or a
  sentence), with the speaker and the source's stage attached; units of one source do not
  overlap. Units are referred to by their index in the list given.
- A code **applies** to a unit when any coding with that code overlaps the unit by at
  least one code point (``coding.start < unit.end and coding.end > unit.start``).
- The **characters** a code covers in a unit are the code points of the unit inside at
  least one coding with that code (overlapping codings are counted once). Shares of
  characters are over the characters of the units in question, so they lie in [0, 1].
- **Model check**: each code stands for at most one process of the model (`process_of`:
  code -> process id, or None for an emergent code; a sub-code takes its parent's process,
  see `resolve_processes`). A process applies to a unit when any of its codes does. Every
  unit is in exactly one of three groups: accounted for by at least one process; coded
  only with emergent codes; or not coded at all. Codings whose code is not in `process_of`
  count as emergent.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Unit:
    source: Hashable
    start: int
    end: int
    speaker: str | None = None
    stage: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Coded:
    """One coding of the layer: ``code`` applied to ``[start, end)`` of ``source``."""

    source: Hashable
    start: int
    end: int
    code: Hashable


GROUPINGS = ("source", "speaker", "stage")


# --- the one computation everything else is built from -----------------------------------


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def covered(units: Sequence[Unit], codings: Iterable[Coded],
            label_of: Callable[[Coded], Hashable] = lambda c: c.code) -> dict[Hashable, list[int]]:
    """For each label (by default the code), the code points of each unit covered by at
    least one coding with that label: ``{label: [chars covered in unit 0, unit 1, …]}``.
    A label applies to unit i exactly when the count for i is positive."""
    by_source: dict[Hashable, list[tuple[int, int, int]]] = defaultdict(list)
    for i, u in enumerate(units):
        by_source[u.source].append((u.start, u.end, i))
    index = {}
    for source, items in by_source.items():
        items.sort()
        index[source] = ([s for s, _, _ in items], [e for _, e, _ in items], [i for _, _, i in items])
    spans: dict[tuple[Hashable, Hashable], list[tuple[int, int]]] = defaultdict(list)
    for c in codings:
        if c.end > c.start and c.source in index:
            spans[(label_of(c), c.source)].append((c.start, c.end))
    out: dict[Hashable, list[int]] = {}
    for (label, source), pieces in spans.items():
        counts = out.setdefault(label, [0] * len(units))
        starts, ends, ids = index[source]
        for s, e in _merge(pieces):
            lo, hi = bisect.bisect_right(ends, s), bisect.bisect_left(starts, e)
            for p in range(lo, hi):
                overlap = min(e, ends[p]) - max(s, starts[p])
                if overlap > 0:
                    counts[ids[p]] += overlap
    return out


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _figures(counts: Sequence[int], members: Sequence[int], units: Sequence[Unit]) -> dict[str, Any]:
    """Units and characters a label covers among the units ``members``."""
    n = sum(1 for i in members if counts[i] > 0)
    chars = sum(counts[i] for i in members)
    total = sum(units[i].length for i in members)
    return {"units": n, "unit_share": _share(n, len(members)), "chars": chars, "char_share": _share(chars, total)}


# --- coverage, co-occurrence, uncovered units ----------------------------------------------


def applied(units: Sequence[Unit], codings: Iterable[Coded]) -> dict[Hashable, set[int]]:
    """The units each code applies to: ``{code: {unit index, …}}`` (codes with codings only)."""
    return {code: {i for i, n in enumerate(counts) if n > 0} for code, counts in covered(units, codings).items()}


def coverage(units: Sequence[Unit], codings: Iterable[Coded], codes: Sequence[Hashable],
             by: str | None = None) -> list[dict[str, Any]]:
    """Coverage of each code, over all units (``by=None``) or per source, speaker or stage.

    One row per group, in the order groups first appear among the units::

        {"group": value, "n_units": …, "chars": …,
         "codes": {code: {"units", "unit_share", "chars", "char_share"}, …}}
    """
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; use one of {', '.join(GROUPINGS)}")
    counts = covered(units, codings)
    groups: dict[Any, list[int]] = {}
    for i, u in enumerate(units):
        groups.setdefault(getattr(u, by) if by else None, []).append(i)
    if not groups and by is None:
        groups[None] = []
    zero = [0] * len(units)
    return [{
        "group": value,
        "n_units": len(members),
        "chars": sum(units[i].length for i in members),
        "codes": {code: _figures(counts.get(code, zero), members, units) for code in codes},
    } for value, members in groups.items()]


def cooccurrence(units: Sequence[Unit], codings: Iterable[Coded], codes: Sequence[Hashable]) -> list[list[int]]:
    """``matrix[a][b]`` = units where both ``codes[a]`` and ``codes[b]`` apply; symmetric,
    with the units each code applies to on the diagonal."""
    sets = applied(units, codings)
    rows = [sets.get(code, set()) for code in codes]
    return [[len(a & b) for b in rows] for a in rows]


def uncovered(units: Sequence[Unit], codings: Iterable[Coded], codes: Sequence[Hashable] | None = None) -> list[int]:
    """Indices of the units that no coding (of ``codes``, if given) overlaps."""
    if codes is not None:
        wanted = set(codes)
        codings = [c for c in codings if c.code in wanted]
    hit = set().union(*applied(units, codings).values())
    return [i for i in range(len(units)) if i not in hit]


# --- the model check ---------------------------------------------------------------------


def resolve_processes(codes: Mapping[Hashable, tuple[Hashable | None, str | None]]) -> dict[Hashable, str | None]:
    """``{code: (parent code or None, process id or "")}`` -> ``{code: process id or None}``.
    A code without a process of its own takes its nearest ancestor's (a sub-code counts for
    its parent's process); a code with none in its line is emergent (None)."""
    out: dict[Hashable, str | None] = {}
    for code in codes:
        seen, current = set(), code
        process = None
        while current is not None and current in codes and current not in seen:
            seen.add(current)
            parent, pid = codes[current]
            if pid:
                process = pid
                break
            current = parent
        out[code] = process
    return out


def model_check(units: Sequence[Unit], codings: Iterable[Coded], process_of: Mapping[Hashable, str | None],
                processes: Sequence[str]) -> dict[str, Any]:
    """How much of the coded data each process accounts for, where processes co-occur, and
    what fits none. Returns::

        {"n_units", "chars",
         "processes": [{"process", "units", "unit_share", "chars", "char_share"}, …],
         "any_process": {"units", "unit_share", "chars", "char_share"},
         "cooccurrence": [[units where both processes apply]],
         "emergent_only": [unit indices coded only with emergent codes],
         "uncoded": [unit indices with no coding at all],
         "emergent_only_share", "uncoded_share": shares of units,
         "emergent_only_char_share", "uncoded_char_share": shares of characters}
    """
    codings = list(codings)
    everything = list(range(len(units)))
    total_chars = sum(u.length for u in units)

    def process(c: Coded) -> str | None:
        return process_of.get(c.code) or None

    by_process = covered(units, codings, label_of=process)
    zero = [0] * len(units)
    rows = [{"process": p, **_figures(by_process.get(p, zero), everything, units)} for p in processes]
    framework = covered(units, [c for c in codings if process(c) in set(processes)], label_of=lambda c: True)
    any_counts = framework.get(True, zero)
    anything = covered(units, codings, label_of=lambda c: True).get(True, zero)
    emergent_only = [i for i in everything if anything[i] > 0 and any_counts[i] == 0]
    uncoded = [i for i in everything if anything[i] == 0]
    sets = [{i for i, n in enumerate(by_process.get(p, zero)) if n > 0} for p in processes]
    return {
        "n_units": len(units),
        "chars": total_chars,
        "processes": rows,
        "any_process": _figures(any_counts, everything, units),
        "cooccurrence": [[len(a & b) for b in sets] for a in sets],
        "emergent_only": emergent_only,
        "uncoded": uncoded,
        "emergent_only_share": _share(len(emergent_only), len(units)),
        "uncoded_share": _share(len(uncoded), len(units)),
        "emergent_only_char_share": _share(sum(units[i].length for i in emergent_only), total_chars),
        "uncoded_char_share": _share(sum(units[i].length for i in uncoded), total_chars),
    }
