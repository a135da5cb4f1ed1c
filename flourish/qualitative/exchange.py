"""REFI-QDA exchange of coding projects: the database side of `core.refiqda`.

Export (`project_to_qda`, `export_qdpx`, `export_qdc`):

- every source with its attributes (as text variables), the codebook tree with colours,
  every coding layer as a REFI-QDA user, every coding and every memo with its target;
- a code's definition, when (not) to use it, its examples and its framework process are
  written into the code's description in the readable form `core.refiqda.descriptions`
  documents (``When to use:`` …, ``Flourish process: <id>``), which import reads back;
- a layer's kind is the user's ``id`` (``flourish:person``, ``flourish:consensus``,
  ``flourish:assistant``, ``flourish:imported``), the project's framework a last line of the
  project description (``Flourish framework: <slug> <version>``);
- a coding whose source text has changed since it was coded (see `Coding.is_current`) is
  left out, and said so: the file would otherwise point at the wrong words. Characters
  XML cannot carry (control characters) in names, memos and descriptions become U+FFFD.

Import (`import_qdpx`, `import_qdc`) writes, so it is in `actions_exchange`; the report and
error types it returns are here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
                            str(code.parent.guid) if code.parent_id else None, colour))
    return out


def project_to_qda(project, notes: list[str] | None = None) -> qda.Project:
    """The project as `core.refiqda` dataclasses. What is left out or changed on the way is
    appended to `notes` (a list of sentences for the person) when given."""
    coders = list(project.coders.all())
    users = [qda.User(str(c.guid), _safe(c.name, f"coder “{c.name}”", notes), LAYER_ID + c.kind) for c in coders]
    layer_of_user = {c.user_id: str(c.guid) for c in coders if c.user_id and c.kind == CoderKind.PERSON}
    sources = [qda.Source(str(s.guid), _safe(s.name, f"source “{s.name}”", notes), s.text,
                          {_safe(str(k), f"source “{s.name}”", notes): _safe(str(v), f"source “{s.name}”", notes)
                           for k, v in (s.attributes or {}).items()})
               for s in project.sources.all()]
    stale = {c.pk for c in stale_codings(project)}
    if stale and notes is not None:
        notes.append(f"{len(stale)} coding(s) were left out because their source has changed since they were "
                     "coded; check them in the project first.")
    codings = [
        qda.Coding(str(c.guid), str(c.source.guid), c.start, c.end, str(c.code.guid), str(c.coder.guid), c.text_hash)
        for c in Coding.objects.filter(source__project=project).select_related("source", "code", "coder")
        .order_by("source__name", "start", "end", "pk") if c.pk not in stale
    ]
    memos = []
    for m in project.memos.select_related("code", "source", "coding").order_by("created", "pk"):
        if m.coding_id in stale:
            if notes is not None:
                notes.append(f"The memo “{m.name or m.text[:40]}” is on a coding that was left out; "
                             "it is exported as a memo on the project.")
            target = None
        else:
            target = str(m.target.guid) if m.target is not None else None
        memos.append(qda.Memo(str(m.guid), _safe(m.text, f"memo “{m.name or m.text[:40]}”", notes), target,
                              _safe(m.name, f"memo “{m.name}”", notes), layer_of_user.get(m.author_id)))
    fv = project.framework_version
    description = qda.project_description(project.description or "", fv.slug if fv else "",
                                          fv.version if fv else None)
    return qda.Project(_safe(project.name, "the project name", notes), sources, _codes(project, notes), users,
                       codings, memos, _safe(description, "the project description", notes))


def _exported(make, project):
    try:
        return make(project)
    except qda.QdaError as error:  # a broken reference in the database: say what, never half a file
        raise NotAllowed(f"The project could not be exported: {error}") from None


def export_qdpx(project, notes: list[str] | None = None) -> bytes:
    """The project as a REFI-QDA .qdpx archive."""
    return _exported(qda.export_qdpx, project_to_qda(project, notes))


def export_qdc(project, notes: list[str] | None = None) -> bytes:
    """The project's codebook as a REFI-QDA .qdc file."""
    return _exported(qda.export_qdc, qda.Project(project.name, codes=_codes(project, notes)))
