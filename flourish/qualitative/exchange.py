"""REFI-QDA exchange of coding projects: the database side of `core.refiqda`.

Export (`project_to_qda`, `export_qdpx`, `export_qdc`):

- every source with its attributes (as text variables), the codebook tree with colours,
  every coding layer as a REFI-QDA user, every coding and every memo with its target;
- a code's definition, when (not) to use it, its examples and its framework process are
  written into the code's description in the readable form `core.refiqda.descriptions`
  documents (``When to use:`` …, ``Flourish process: <id>``), which import reads back;
- a layer imported with a user id keeps it (``CP``, `Coder.external_id`); Flourish's own
  layers carry their kind as the id (``flourish:person``, ``flourish:consensus``,
  ``flourish:assistant``), a layer imported without an id has none; the project's framework
  is a last line of the project description (``Flourish framework: <slug> <version>``);
- what the file carried that Flourish does not show goes back out as it came (see the
  `models` docstring): selections, isCodable, typed variables (a variable whose values were
  edited so they no longer fit its type is written as Text, and said so), cases, sets,
  stored picture/PDF/audio/video sources (minus codings whose code was deleted, said so),
  links and graphs; dates are written in UTC (``…Z``);
- a coding whose source text has changed since it was coded (see `Coding.is_current`) is
  left out, and said so: the file would otherwise point at the wrong words. Characters
  XML cannot carry (control characters) in names, memos and descriptions become U+FFFD.

Import (`import_qdpx`, `import_qdc`) writes, so it is in `actions_exchange`; the report and
error types it returns are here.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime

from .actions import NotAllowed
from .core import refiqda as qda
from .models import CoderKind, Coding, text_hash

LAYER_ID = "flourish:"
UNATTRIBUTED = "Unattributed"
PROJECT_NAME_MAX = 200
_COLOUR = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")


@dataclass
class ExchangeReport:
    """What an import kept (`counts`), left out (`skipped`) and changed on the way (`warnings`)."""

    skipped: list[qda.Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_core(cls, report: qda.ImportReport) -> ExchangeReport:
        return cls(list(report.skipped), list(report.warnings))

    def skip(self, kind: str, ref, reason: str) -> None:
        self.skipped.append(qda.Skipped(kind, str(ref or ""), reason))

    def skipped_lines(self) -> list[str]:
        """One sentence per skipped item: "<kind> <name or guid>: <reason>"."""
        lines = []
        for s in self.skipped:
            reason = s.reason[len(s.ref) + 1:].strip() if s.ref and s.reason.startswith(s.ref + ":") else s.reason
            lines.append(f"{s.kind} {s.ref}: {reason}" if s.ref else f"{s.kind}: {reason}")
        return lines

    def summary(self) -> str:
        parts = [f"{n} {what if n != 1 else what.rstrip('s')}" for what, n in self.counts.items()]
        return ", ".join(parts)


class FileUnreadable(NotAllowed):
    """The uploaded file is not a REFI-QDA file Flourish can read (nothing was saved)."""


def _file_error(error: qda.QdaError) -> NotAllowed:
    message = str(error)
    return FileUnreadable(f"The file could not be read: {message[0].lower() + message[1:] if message else message}")


def parse_when(value: str) -> datetime | None:
    """A file's xsd:dateTime as an aware datetime (a time without a zone is taken as UTC)."""
    try:
        when = parse_datetime((value or "").strip())
    except ValueError:
        return None
    if when is None:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def when_text(when: datetime | None) -> str:
    """The xsd:dateTime Flourish writes: UTC, with a ``Z``."""
    if when is None:
        return ""
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S") + (f".{when.microsecond:06d}" if when.microsecond else "") + "Z"


def stored_note_targets(project) -> dict[str, str]:
    """memo guid -> guid of the stored (picture, PDF, …) source whose element refers to it."""
    out = {}
    for s in project.stored_sources.all():
        for guid in qda.note_refs(_other_source(s)):
            out.setdefault(guid, str(s.guid))
    return out


def _other_source(stored) -> qda.OtherSource:
    files = {}
    if stored.files:
        with zipfile.ZipFile(io.BytesIO(bytes(stored.files))) as z:
            files = {name: z.read(name) for name in z.namelist()}
    return qda.OtherSource(str(stored.guid), stored.name, stored.kind, stored.element, files)


# --- export ---------------------------------------------------------------------------------


def _safe(value: str, what: str, notes: list[str] | None) -> str:
    cleaned = qda.XML_BAD.sub("\ufffd", value or "")
    if cleaned != (value or "") and notes is not None:
        notes.append(f"{what}: characters that REFI-QDA files cannot carry were replaced by �.")
    return cleaned


def stale_codings(project) -> list[Coding]:
    """Codings whose source text has changed since they were coded (left out of exports)."""
    rows = Coding.objects.filter(source__project=project).select_related("source", "code", "coder")
    return [c for c in rows if c.end > len(c.source.text) or text_hash(c.source.text[c.start:c.end]) != c.text_hash]


def _codes(project, notes: list[str] | None) -> list[qda.Code]:
    codes = list(project.codes.select_related("parent").order_by("order", "name", "pk"))
    out = []
    for code in codes:
        description = qda.code_description(qda.CodeNotes(
            code.definition, code.inclusion, code.exclusion, [str(e) for e in code.examples or []], code.process_id))
        colour = code.colour if _COLOUR.match(code.colour or "") else None
        out.append(qda.Code(str(code.guid), _safe(code.name, f"code “{code.name}”", notes),
                            _safe(description, f"code “{code.name}”", notes),
                            str(code.parent.guid) if code.parent_id else None, colour, code.is_codable))
    return out


def _variables(project, sources: list[qda.Source], cases: list[qda.Case], notes) -> list[qda.Variable]:
    """The project's typed variables; one whose values no longer fit its type (edited in
    Flourish) is written as Text, and said so."""
    out = []
    values: dict[str, list[str]] = {}
    for owner in [*sources, *cases]:
        for k, v in owner.attributes.items():
            values.setdefault(k, []).append(v)
    for v in project.variables or []:
        kind = v.get("type") if v.get("type") in qda.VARIABLE_TYPES else "Text"
        if any(not qda.fits(kind, value) for value in values.get(v.get("name", ""), [])):
            if notes is not None:
                notes.append(f"Variable “{v.get('name')}” is written as Text: some values are no longer "
                             f"{kind} values.")
            kind = "Text"
        out.append(qda.Variable(str(v.get("guid")), _safe(str(v.get("name", "")), "a variable", notes), kind,
                                _safe(str(v.get("description", "")), "a variable", notes)))
    return out


def _user_id(coder) -> str:
    """The User/@id: what the file said (``CP``); else ``flourish:<kind>`` for Flourish's own
    layers, nothing for a coder imported without one."""
    if coder.external_id or coder.kind == CoderKind.IMPORTED:
        return str(coder.external_id)
    return LAYER_ID + coder.kind


def project_to_qda(project, notes: list[str] | None = None) -> qda.Project:
    """The project as `core.refiqda` dataclasses. What is left out or changed on the way is
    appended to `notes` (a list of sentences for the person) when given."""
    coders = list(project.coders.all())
    users = [qda.User(str(c.guid), _safe(c.name, f"coder “{c.name}”", notes), _safe(_user_id(c), "a user id", notes))
             for c in coders]
    layer_guid = {c.pk: str(c.guid) for c in coders}
    layer_of_user = {c.user_id: str(c.guid) for c in coders if c.user_id and c.kind == CoderKind.PERSON}
    sources = [qda.Source(str(s.guid), _safe(s.name, f"source “{s.name}”", notes), s.text,
                          {_safe(str(k), f"source “{s.name}”", notes): _safe(str(v), f"source “{s.name}”", notes)
                           for k, v in (s.attributes or {}).items()},
                          _safe(s.description, f"source “{s.name}”", notes), layer_guid.get(s.origin_layer_id),
                          when_text(s.origin_created))
               for s in project.sources.all()]
    stale = {c.pk for c in stale_codings(project)}
    if stale and notes is not None:
        notes.append(f"{len(stale)} coding(s) were left out because their source has changed since they were "
                     "coded; check them in the project first.")
    codings = [
        qda.Coding(str(c.guid), str(c.source.guid), c.start, c.end, str(c.code.guid), str(c.coder.guid), c.text_hash,
                   str(c.selection_guid) if c.selection_guid else "", _safe(c.selection_name, "a selection", notes),
                   _safe(c.description, "a selection", notes), when_text(c.created))
        for c in Coding.objects.filter(source__project=project).select_related("source", "code", "coder")
        .order_by("source__name", "start", "end", "pk") if c.pk not in stale
    ]
    on_stored = stored_note_targets(project)
    memos = []
    for m in project.memos.select_related("code", "source", "coding").order_by("created", "pk"):
        if m.coding_id in stale:
            if notes is not None:
                notes.append(f"The memo “{m.name or m.text[:40]}” is on a coding that was left out; "
                             "it is exported as a memo on the project.")
            target = None
        else:
            target = str(m.target.guid) if m.target is not None else on_stored.get(str(m.guid))
        author = layer_guid.get(m.author_layer_id) if m.author_layer_id else layer_of_user.get(m.author_id)
        memos.append(qda.Memo(str(m.guid), _safe(m.text, f"memo “{m.name or m.text[:40]}”", notes), target,
                              _safe(m.name, f"memo “{m.name}”", notes), author, when_text(m.created)))
    fv = project.framework_version
    description = qda.project_description(project.description or "", fv.slug if fv else "",
                                          fv.version if fv else None)
    codes = _codes(project, notes)
    others = _other_sources(project, {c.guid for c in codes}, notes)
    cases = [qda.Case(str(c.guid), _safe(c.name, "a case", notes), _safe(c.description, "a case", notes),
                      {_safe(str(k), "a case", notes): _safe(str(v), "a case", notes)
                       for k, v in (c.attributes or {}).items()},
                      [str(s.guid) for s in c.sources.all()] + [str(g) for g in c.stored_refs],
                      [str(x.guid) for x in c.codes.all()], [str(g) for g in c.selection_refs])
             for c in project.cases.prefetch_related("sources", "codes")]
    sets = [qda.CodeSet(str(x.guid), _safe(x.name, "a set", notes), _safe(x.description, "a set", notes),
                        [str(c.guid) for c in x.codes.all()],
                        [str(s.guid) for s in x.sources.all()] + [str(g) for g in x.stored_refs],
                        [str(m.guid) for m in x.memos.all()])
            for x in project.code_sets.prefetch_related("codes", "sources", "memos")]
    return qda.Project(_safe(project.name, "the project name", notes), sources, codes, users,
                       codings, memos, _safe(description, "the project description", notes),
                       _variables(project, sources, cases, notes), cases, sets, others,
                       list(project.exchange_extra or []))


def _other_sources(project, code_guids: set[str], notes) -> list[qda.OtherSource]:
    out = []
    for stored in project.stored_sources.all():
        other, dropped = qda.without_unknown_codes(_other_source(stored), code_guids)
        if dropped and notes is not None:
            notes.append(f"{dropped} coding(s) on “{stored.name}” were left out: their codes have been deleted.")
        out.append(other)
    return out


def _exported(make, project):
    try:
        return make(project)
    except qda.QdaError as error:  # a broken reference in the database: say what, never half a file
        raise NotAllowed(f"The project could not be exported: {error}") from None


def export_qdpx(project, notes: list[str] | None = None) -> bytes:
    """The project as a REFI-QDA .qdpx archive."""
    return _exported(qda.export_qdpx, project_to_qda(project, notes))


def export_qdc(project, notes: list[str] | None = None) -> bytes:
    """The project's codebook as a REFI-QDA .qdc file (with the sets that group its codes)."""
    sets = [qda.CodeSet(str(x.guid), _safe(x.name, "a set", notes), _safe(x.description, "a set", notes),
                        [str(c.guid) for c in x.codes.all()]) for x in project.code_sets.prefetch_related("codes")]
    return _exported(qda.export_qdc, qda.Project(project.name, codes=_codes(project, notes), sets=sets))
