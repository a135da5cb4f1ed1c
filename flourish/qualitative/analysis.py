"""Agreement and synthesis figures for a coding project: reads the database, builds the
pure modules' units and codings, and calls `core.agreement` and `core.synthesis`. No writes.

Conventions (the method note on the agreement page says the same):

- **Units.** ``"turn"``: each speaker turn's words, from after its "Name:" label to its end
  (the span turn-mode coding writes, `actions.turn_span`); ``"sentence"``: the sentences of
  each turn's words (`core.sources.split_sentences`, never crossing a turn). A source
  without turns is one unit (turns) or its sentences.
- **Applied.** A coder applied a code to a unit when any of their codings with it overlaps
  the unit by a code point (see `core.agreement`). Agreement is per code as coded: a
  sub-code is its own code (it does not count for its parent).
- **Missing.** A coder who made no coding at all on a source (with any code, chosen or not)
  is counted as *missing* for its units, not as "applied nothing": coders often split the
  sources, and a source nobody opened says nothing about agreement. A coder who coded the
  source but not a unit counts as "not applied" there. The report lists the missing
  (coder, source) pairs.
- **Default coders**: every person and imported layer with a coding on the chosen sources;
  the assistant's suggestions only when asked for, and the consensus layer never by default.

`project_agreement` is also what `flourish coding agreement` prints, so its output is
JSON-ready: lists, str, int, float and None only.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.db.models import Count, Max, Sum

from .actions import NotAllowed
from .core import agreement as core
from .core import synthesis
from .core.sources import split_sentences
from .models import Code, Coder, CoderKind, Coding, UnitKind

UNIT_KINDS = (UnitKind.TURN.value, UnitKind.SENTENCE.value)
DEFAULT_KINDS = (CoderKind.PERSON, CoderKind.IMPORTED)


# --- units --------------------------------------------------------------------------------


def unit_kind_of(project, unit_kind=None) -> str:
    kind = unit_kind or project.unit_kind
    if kind not in UNIT_KINDS:
        raise NotAllowed(f"Unknown unit “{kind}”: use turn or sentence.")
    return kind


def source_units(source, kind: str) -> list[synthesis.Unit]:
    """The units of one source, with their speaker and the source's stage."""
    stage = source.stage
    turns = [(start, end, body if body < end else start, speaker) for start, end, body, speaker in source.turns]
    if not turns:
        turns = [(0, len(source.text), 0, None)]
    out = []
    for _start, end, body, speaker in turns:
        spans = [(body, end)] if kind == UnitKind.TURN else split_sentences(source.text, body, end)
        for s, e in spans:
            if source.text[s:e].strip():
                out.append(synthesis.Unit(source.pk, s, e, speaker, stage))
    return out


def project_units(sources, kind: str) -> list[synthesis.Unit]:
    return [u for source in sources for u in source_units(source, kind)]


def speaker_at(source, position: int) -> str | None:
    """The speaker of the turn that contains `position` (None before the first label)."""
    for start, end, _body, speaker in source.turns:
        if start <= position < end:
            return speaker
    return None


def turn_number(source, position: int) -> int | None:
    for number, (start, end, _body, _speaker) in enumerate(source.turns, 1):
        if start <= position < end:
            return number
    return None


# --- choosing coders, sources and codes ---------------------------------------------------


def _pick(queryset, items, what: str, fields=("name",)) -> list:
    """Model instances, primary keys or names (case-insensitive) -> instances, in order."""
    rows = list(queryset)
    by_pk = {r.pk: r for r in rows}
    picked = []
    for item in items:
        found = None
        if isinstance(item, queryset.model):
            found = by_pk.get(item.pk)
        elif isinstance(item, int) or (isinstance(item, str) and item.isdigit() and int(item) in by_pk):
            found = by_pk.get(int(item))
        elif isinstance(item, str):
            wanted = item.strip().casefold()
            found = next((r for r in rows for f in fields if str(getattr(r, f)).casefold() == wanted), None)
        if found is None:
            raise NotAllowed(f"This project has no {what} “{item}”.")
        if found not in picked:
            picked.append(found)
    return picked


def pick_sources(project, sources=None) -> list:
    queryset = project.sources.all()
    return list(queryset) if sources is None else _pick(queryset, sources, "source")


def pick_codes(project, codes=None) -> list[Code]:
    queryset = project.codes.all()
    return list(queryset) if codes is None else _pick(queryset, codes, "code", ("name", "process_id"))


def pick_coders(project, coders=None, sources=None) -> list[Coder]:
    """The chosen layers, or by default every person and imported layer that coded any of
    `sources` (all sources when None)."""
    queryset = project.coders.all()
    if coders is not None:
        return _pick(queryset, coders, "coder")
    codings = Coding.objects.filter(coder__project=project)
    if sources is not None:
        codings = codings.filter(source__in=[s.pk for s in sources])
    active = set(codings.values_list("coder", flat=True).distinct())
    return [c for c in queryset.filter(kind__in=DEFAULT_KINDS) if c.pk in active]


def layer_codings(coders, sources, codes=None):
    """Coding rows of the layers on the sources (of the codes, when given)."""
    codings = Coding.objects.filter(coder__in=[c.pk for c in coders], source__in=[s.pk for s in sources])
    if codes is not None:
        codings = codings.filter(code__in=[c.pk for c in codes])
    return codings


def segments(coders, sources, codes) -> list[core.Segment]:
    rows = layer_codings(coders, sources, codes).values_list("coder", "source", "start", "end", "code")
    return [core.Segment(coder=c, source=s, start=a, end=b, code=k) for c, s, a, b, k in rows]


def assignments(coders, sources) -> dict[int, set[int]]:
    """coder pk -> pks of the sources on which they made any coding (see "Missing")."""
    out: dict[int, set[int]] = {c.pk: set() for c in coders}
    for coder, source in layer_codings(coders, sources).values_list("coder", "source").distinct():
        out[coder].add(source)
    return out


def code_processes(project) -> dict[int, str | None]:
    """code pk -> the framework process it counts for (its own, or its nearest ancestor's)."""
    return synthesis.resolve_processes({c.pk: (c.parent_id, c.process_id) for c in project.codes.all()})


# --- agreement ----------------------------------------------------------------------------


def _interval(ci):
    return None if ci is None else [float(ci[0]), float(ci[1])]


def project_agreement(project, coders=None, sources=None, codes=None, unit_kind=None, exclude_uncoded=False,
                      bootstrap_samples=1000, seed=0, confidence=0.95) -> dict:
    """Agreement per code between two or more coding layers of `project`.

    `coders`, `sources` and `codes` are lists of model instances, primary keys or names
    (codes also by process id); None means the defaults described in the module docstring.
    Raises `NotAllowed` with a message for the person when there is nothing to compare.
    """
    kind = unit_kind_of(project, unit_kind)
    if not 0 < confidence < 1:
        raise NotAllowed("The confidence level must be between 0 and 1, such as 0.95.")
    if int(bootstrap_samples) < 0:
        raise NotAllowed("The number of bootstrap samples cannot be negative.")
    chosen_sources = pick_sources(project, sources)
    chosen_codes = pick_codes(project, codes)
    chosen_coders = pick_coders(project, coders, chosen_sources)
    if len(chosen_coders) < 2:
        raise NotAllowed("Choose at least two coders to compare"
                         + (" (fewer than two people have coded these sources yet)." if coders is None else "."))
    if not chosen_sources:
        raise NotAllowed("The project has no sources to compare coding on.")
    if not chosen_codes:
        raise NotAllowed("Choose at least one code.")
    units = project_units(chosen_sources, kind)
    assigned = assignments(chosen_coders, chosen_sources)
    report = core.agreement(
        [core.Unit(u.source, u.start, u.end) for u in units],
        segments(chosen_coders, chosen_sources, chosen_codes),
        [c.pk for c in chosen_coders], [c.pk for c in chosen_codes],
        assignments=assigned, exclude_uncoded=exclude_uncoded, bootstrap_samples=int(bootstrap_samples),
        confidence=confidence, seed=seed,
    )
    coder_name = {c.pk: c.name for c in chosen_coders}
    source_by_pk = {s.pk: s for s in chosen_sources}
    code_by_pk = {c.pk: c for c in chosen_codes}
    per_code = []
    for code in chosen_codes:
        result = report.per_code[code.pk]
        per_code.append({
            "code": code.name, "code_id": code.pk, "process_id": code.process_id,
            "n_units": result.n_units, "n_applied": result.n_applied,
            "percent_agreement": result.percent_agreement, "cohen_kappa": result.cohen_kappa,
            "krippendorff_alpha": result.krippendorff_alpha,
            # Fleiss' and Light's kappa are for three or more coders; with two, Cohen's kappa is the one.
            "fleiss_kappa": result.fleiss_kappa if len(chosen_coders) >= 3 else None,
            "light_kappa": result.light_kappa if len(chosen_coders) >= 3 else None,
            "percent_ci": _interval(result.percent_ci), "kappa_ci": _interval(result.kappa_ci),
            "alpha_ci": _interval(result.alpha_ci),
        })
    disagreements = []
    for d in report.disagreements:
        source = source_by_pk[d.source]
        disagreements.append({
            "source": source.name, "source_id": source.pk, "start": d.start, "end": d.end,
            "code": code_by_pk[d.code].name, "code_id": d.code,
            "applied_by": [coder_name[c] for c in d.applied_by],
            "not_applied_by": [coder_name[c] for c in d.not_applied_by],
            "text": source.text[d.start:d.end],
        })
    return {
        "project": project.name,
        "project_id": project.pk,
        "unit_kind": kind,
        "coders": [c.name for c in chosen_coders],
        "coder_ids": [c.pk for c in chosen_coders],
        "sources": [s.name for s in chosen_sources],
        "n_units": report.n_units,
        "exclude_uncoded": bool(exclude_uncoded),
        "bootstrap": int(bootstrap_samples),
        "seed": seed,
        "confidence": confidence,
        "missing": [{"coder": c.name, "source": s.name}
                    for c in chosen_coders for s in chosen_sources if s.pk not in assigned[c.pk]],
        "per_code": per_code,
        "disagreements": disagreements,
    }


# How long a computed agreement report is kept; any change to what it reads makes a new key
# (`project_state`), so this only bounds how long an unused one takes space.
AGREEMENT_CACHE_SECONDS = 7 * 24 * 60 * 60


def project_state(project) -> str:
    """A fingerprint of everything agreement reads: the codings (count and sums over their
    primary keys, positions, codes and layers), the codes, the layers, the sources' texts and
    the project's unit. Any coding added, removed or moved, any code or layer renamed, any
    source revised, the project renamed gives another fingerprint. Four small queries."""
    codings = Coding.objects.filter(source__project=project).aggregate(
        n=Count("pk"), top=Max("pk"), pks=Sum("pk"), starts=Sum("start"), ends=Sum("end"), codes=Sum("code_id"),
        coders=Sum("coder_id"))
    parts = [
        sorted(codings.items()),
        list(project.codes.order_by("pk").values_list("pk", "name", "parent_id", "process_id")),
        list(project.coders.order_by("pk").values_list("pk", "name", "kind")),
        list(project.sources.order_by("pk").values_list("pk", "name", "text_hash", "attributes")),
        project.name, project.unit_kind, project.framework_version_id,
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _cached(what: str, project, compute, choice: dict):
    """``compute()``, once per project state and ``choice``, then from the cache."""
    text = json.dumps(choice, sort_keys=True, default=str)
    key = f"qual-{what}:{project.pk}:{project_state(project)}:{hashlib.sha256(text.encode()).hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, AGREEMENT_CACHE_SECONDS)
    return found


def cached_project_agreement(project, **chosen) -> dict:
    """`project_agreement`, computed once per project state and choice, then read from the
    cache (the 1,000 bootstrap resamples are not redone on every page load)."""
    return _cached("agreement", project, lambda: project_agreement(project, **chosen), chosen)


def cached_layer_synthesis(project, layer, unit_kind=None, leave_out=()) -> dict:
    """`layer_synthesis`, once per project state and choice (see `cached_project_agreement`)."""
    return _cached("synthesis", project, lambda: layer_synthesis(project, layer, unit_kind, leave_out=leave_out),
                   {"layer": layer.pk, "unit": unit_kind, "leave_out": sorted(leave_out)})


def cached_layer_model_check(project, layer, unit_kind=None, leave_out=()) -> dict:
    """`layer_model_check`, once per project state and choice."""
    return _cached("model-check", project,
                   lambda: layer_model_check(project, layer, unit_kind, leave_out=leave_out),
                   {"layer": layer.pk, "unit": unit_kind, "leave_out": sorted(leave_out)})


# --- one layer's synthesis ----------------------------------------------------------------


# Speakers whose turns are the research team's questions and prompts, not data: by default
# the synthesis and the model check leave them out (a speaker's "role" attribute).
RESEARCH_TEAM_ROLES = frozenset({"researcher", "interviewer", "facilitator"})


def research_team_speakers(project) -> list[str]:
    return [s.name for s in project.speakers.all()
            if str(s.attributes.get("role", "")).strip().lower() in RESEARCH_TEAM_ROLES]


def layer_data(project, layer, unit_kind=None, sources=None, leave_out=()) -> tuple[list, list, list[synthesis.Coded]]:
    """(sources, units, codings) of one layer, for `core.synthesis`; units spoken by the
    speakers in `leave_out` are not counted."""
    kind = unit_kind_of(project, unit_kind)
    chosen = pick_sources(project, sources)
    rows = layer_codings([layer], chosen).values_list("source", "start", "end", "code")
    units = [u for u in project_units(chosen, kind) if u.speaker not in set(leave_out)]
    return chosen, units, [synthesis.Coded(s, a, b, k) for s, a, b, k in rows]


def _unit_row(source_by_pk, unit, limit=400) -> dict:
    source = source_by_pk[unit.source]
    text = source.text[unit.start:unit.end]
    return {"source": source.name, "source_id": source.pk, "speaker": unit.speaker or "", "stage": unit.stage,
            "start": unit.start, "end": unit.end,
            "text": text if len(text) <= limit else text[:limit].rstrip() + "…"}


def _group_label(by: str, value, source_by_pk) -> str:
    if by == "source":
        return source_by_pk[value].name
    if by == "speaker":
        return value or "No speaker label"
    return value or "No stage given"


def layer_synthesis(project, layer, unit_kind=None, examples=50, leave_out=()) -> dict:
    """What one layer says about the data, ready for a page: coverage of each code overall
    and by source, speaker and stage; co-occurrence of the codes applied; uncovered units."""
    kind = unit_kind_of(project, unit_kind)
    sources, units, codings = layer_data(project, layer, kind, leave_out=leave_out)
    source_by_pk = {s.pk: s for s in sources}
    codes = list(project.codes.all())
    pks = [c.pk for c in codes]
    coverage = {}
    for by in (None, *synthesis.GROUPINGS):
        rows = synthesis.coverage(units, codings, pks, by=by)
        coverage[by or "all"] = {
            "groups": [{"label": _group_label(by, r["group"], source_by_pk) if by else "All units",
                        "n_units": r["n_units"], "chars": r["chars"]} for r in rows],
            "rows": [{"code": code, "cells": [r["codes"][code.pk] for r in rows]} for code in codes],
        }
    matrix = synthesis.cooccurrence(units, codings, pks)
    used = [i for i, code in enumerate(codes) if matrix[i][i]]
    missed = synthesis.uncovered(units, codings)
    return {
        "unit_kind": kind, "n_units": len(units), "chars": sum(u.length for u in units), "n_codings": len(codings),
        "coverage": coverage,
        "cooccurrence": {"codes": [codes[i] for i in used],
                         "rows": [{"code": codes[i], "label": codes[i].name, "cells": [matrix[i][j] for j in used]}
                                  for i in used]},
        "uncovered": [_unit_row(source_by_pk, units[i]) for i in missed[:examples]],
        "n_uncovered": len(missed),
    }


def framework_processes(project) -> list[dict]:
    """``[{"id", "name", "kind"}]``: the framework's processes, in its order (or, for a project
    without a framework, one per process that a code stands for)."""
    if project.framework_version is not None:
        return [{"id": p["id"], "name": p["name"], "kind": p.get("kind", "")}
                for p in project.framework_version.processes]
    seen = {}
    for code in project.codes.exclude(process_id=""):
        seen.setdefault(code.process_id, {"id": code.process_id, "name": code.name, "kind": ""})
    return list(seen.values())


def layer_model_check(project, layer, unit_kind=None, examples=5, leave_out=()) -> dict:
    """How much of one layer's coded data each process accounts for, where they co-occur and
    what fits none (with examples), ready for a page."""
    kind = unit_kind_of(project, unit_kind)
    sources, units, codings = layer_data(project, layer, kind, leave_out=leave_out)
    source_by_pk = {s.pk: s for s in sources}
    processes = framework_processes(project)
    process_of = code_processes(project)
    check = synthesis.model_check(units, codings, process_of, [p["id"] for p in processes])
    names = {c.pk: c.name for c in project.codes.all()}
    codes_at: dict[int, list[str]] = {}
    for code, hit in synthesis.applied(units, codings).items():
        for i in hit:
            codes_at.setdefault(i, []).append(names[code])
    rows = [{**p, **figures} for p, figures in zip(processes, check["processes"])]
    for row in rows:
        row.pop("process")
    return {
        "unit_kind": kind, "n_units": check["n_units"], "chars": check["chars"], "n_codings": len(codings),
        "processes": rows,
        "any_process": check["any_process"],
        "cooccurrence": [{"process": p, "label": p["name"], "cells": line}
                         for p, line in zip(processes, check["cooccurrence"])],
        "emergent_only": {
            "count": len(check["emergent_only"]), "share": check["emergent_only_share"],
            "char_share": check["emergent_only_char_share"],
            "examples": [{**_unit_row(source_by_pk, units[i]), "codes": sorted(codes_at.get(i, []))}
                         for i in check["emergent_only"][:examples]],
        },
        "uncoded": {
            "count": len(check["uncoded"]), "share": check["uncoded_share"],
            "char_share": check["uncoded_char_share"],
            "examples": [_unit_row(source_by_pk, units[i]) for i in check["uncoded"][:examples]],
        },
    }
