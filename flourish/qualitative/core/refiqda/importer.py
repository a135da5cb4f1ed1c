"""Reading .qdpx projects, bare .qde documents and .qdc codebooks, tolerantly: whatever
cannot be kept is listed in the report with a reason (see the package docstring)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np
from lxml import etree

from .. import sources as _sources
from .model import (
    _HASH,
    _RGB,
    DEFAULT_ZIP_LIMIT,
    Code,
    Coding,
    ImportReport,
    Memo,
    Project,
    QdaError,
    Source,
    User,
    _derived,
    _norm_guid,
    _parser,
    text_hash,
)

# An lxml element (lxml ships no type information).
Element = Any
# note guid -> the guid of what it is attached to (None: the project).
NoteTargets = dict[str | None, str | None]


def _local(el: Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _kids(el: Element, name: str) -> list[Element]:
    return [c for c in el if _local(c) == name]


def _kid(el: Element, name: str) -> Element | None:
    found = _kids(el, name)
    return found[0] if found else None


def _parse_xml(xml: bytes, what: str) -> Element:
    try:
        return etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as exc:
        raise QdaError(f"{what} is not well-formed XML ({exc}).") from None


class _Crlf:
    """Maps positions in a raw text onto its newline-normalised form."""

    def __init__(self, raw: str) -> None:
        self.text = _sources.normalise_newlines(raw)
        self.shift: np.ndarray | None = None
        if "\r\n" in raw:
            arr = np.frombuffer(raw.encode("utf-32-le"), dtype="<u4")
            removed = (arr[:-1] == 13) & (arr[1:] == 10)
            self.shift = np.concatenate([[0], np.cumsum(removed)])
            self.raw_len = len(raw)

    def __call__(self, pos: int) -> int:
        if self.shift is None:
            return pos
        return pos - int(self.shift[min(pos, self.raw_len - 1)]) if pos > 0 else 0


def _read_codes(codes_el: Element, project: Project, report: ImportReport, note_targets: NoteTargets) -> None:
    known: set[str] = set()

    def walk(el: Element, parent: str | None) -> None:
        guid = _norm_guid(el.get("guid"))
        if guid is None or guid in known:
            report.skip("code", el.get("name") or el.get("guid"), "missing or repeated GUID")
            return
        known.add(guid)
        colour = el.get("color") if el.get("color") and _RGB.match(el.get("color")) else None
        desc = _kid(el, "Description")
        project.codes.append(Code(guid, el.get("name") or "", (desc.text or "") if desc is not None else "",
                                  parent, colour))
        for ref in _kids(el, "NoteRef"):
            note_targets.setdefault(_norm_guid(ref.get("targetGUID")), guid)
        for child in _kids(el, "Code"):
            walk(child, guid)

    for el in _kids(codes_el, "Code"):
        walk(el, None)


def _zip_members(z: zipfile.ZipFile, limit: int) -> dict[str, str]:
    infos = z.infolist()
    if sum(i.file_size for i in infos) > limit:
        raise QdaError(f"the archive is too large once unpacked (limit {limit:,} bytes).")
    return {i.filename.replace("\\", "/").lower(): i.filename for i in infos if not i.is_dir()}


def _find_member(members: dict[str, str], path: str) -> str | None:
    name = path.split("://", 1)[-1].lstrip("/").replace("\\", "/").lower()
    for candidate in (f"sources/{name}", name):
        if candidate in members:
            return members[candidate]
    base = name.rsplit("/", 1)[-1]
    matches = [v for k, v in members.items() if k.rsplit("/", 1)[-1] == base]
    return matches[0] if len(matches) == 1 else None


def _source_text(el: Element, z: zipfile.ZipFile | None, members: dict[str, str],
                 report: ImportReport) -> str | None:
    label = el.get("name") or el.get("guid")
    content = _kid(el, "PlainTextContent")
    if content is not None:
        return content.text or ""
    path = el.get("plainTextPath") or el.get("richTextPath")
    if not path:
        report.skip("source", label, "no text: neither PlainTextContent nor a text path")
        return None
    if not path.lower().startswith("internal://"):
        report.skip("source", label, f"the text is outside the archive ({path})")
        return None
    member = _find_member(members, path) if z is not None else None
    if z is None or member is None:
        report.skip("source", label, f"file {path} is not in the archive")
        return None
    data = z.read(member)
    if member.lower().endswith(".docx"):
        try:
            text = _sources.parse(data, member).text
        except _sources.SourceError as exc:
            report.skip("source", label, str(exc))
            return None
        report.warnings.append(f"source {label}: text taken from a .docx; positions assume the same plain text")
        return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.skip("source", label, f"{member} is not UTF-8 text")
        return None


def _read_project(root: Element, z: zipfile.ZipFile | None, members: dict[str, str],
                  report: ImportReport) -> Project:
    project = Project(name=root.get("name") or "")
    description = _kid(root, "Description")
    project.description = _sources.normalise_newlines(description.text or "") if description is not None else ""
    note_targets: NoteTargets = {}  # note guid -> target guid (first reference wins)
    for ref in _kids(root, "NoteRef"):
        note_targets.setdefault(_norm_guid(ref.get("targetGUID")), None)
    users_el = _kid(root, "Users")
    for u in _kids(users_el, "User") if users_el is not None else []:
        guid = _norm_guid(u.get("guid"))
        if guid is None or any(x.guid == guid for x in project.users):
            report.skip("user", u.get("name") or u.get("guid"), "missing or repeated GUID")
        else:
            project.users.append(User(guid, u.get("name") or "", u.get("id") or ""))
    book = _kid(root, "CodeBook")
    if book is not None and _kid(book, "Codes") is not None:
        _read_codes(_kid(book, "Codes"), project, report, note_targets)
    variables: dict[str | None, str] = {}
    var_el = _kid(root, "Variables")
    for v in _kids(var_el, "Variable") if var_el is not None else []:
        variables[_norm_guid(v.get("guid"))] = v.get("name") or ""
    reading = _Reading(z, members, report, project, {c.guid for c in project.codes},
                       {u.guid for u in project.users}, note_targets)
    src_el = _kid(root, "Sources")
    for el in list(src_el) if src_el is not None else []:
        _read_source(el, variables, reading)
    for name in ("Cases", "Sets", "Links", "Graphs"):
        if _kid(root, name) is not None:
            report.skip("element", name, f"{name}: not supported by Flourish; left out")
    notes_el = _kid(root, "Notes")
    for note in _kids(notes_el, "Note") if notes_el is not None else []:
        _read_note(note, reading)
    return project


@dataclass
class _Reading:
    """What the readers of one project share: the archive, the report, the project so far and
    the GUIDs already known (coders found on codings are added to ``user_ids``)."""

    z: zipfile.ZipFile | None
    members: dict[str, str]
    report: ImportReport
    project: Project
    code_ids: set[str]
    user_ids: set[str]
    note_targets: NoteTargets


def _read_source(el: Element, variables: dict[str | None, str], r: _Reading) -> None:
    kind, label = _local(el), el.get("name") or el.get("guid")
    if kind != "TextSource":
        r.report.skip("source", label, f"{kind} is not a text source")
        return
    guid = _norm_guid(el.get("guid"))
    if guid is None or any(s.guid == guid for s in r.project.sources):
        r.report.skip("source", label, "missing or repeated GUID")
        return
    raw = _source_text(el, r.z, r.members, r.report)
    if raw is None:
        return
    mapped = _Crlf(raw)
    source = Source(guid, el.get("name") or "", mapped.text)
    for vv in _kids(el, "VariableValue"):
        ref = _kid(vv, "VariableRef")
        name = variables.get(_norm_guid(ref.get("targetGUID"))) if ref is not None else None
        values = [c for c in vv if _local(c).endswith("Value") and _local(c) != "VariableValue"]
        if name is None or not values:
            r.report.skip("attribute", label, "a variable value without a known variable")
        else:
            source.attributes[name] = values[0].text or ""
    r.project.sources.append(source)
    for ref in _kids(el, "NoteRef"):
        r.note_targets.setdefault(_norm_guid(ref.get("targetGUID")), guid)
    selections = [(s, s.get("startPosition"), s.get("endPosition")) for s in _kids(el, "PlainTextSelection")]
    selections += [(c, "0", str(len(raw))) for c in _kids(el, "Coding")]  # whole-source codings
    for sel, start_s, end_s in selections:
        _read_selection(sel, start_s, end_s, source, mapped, r.project, r.report, r.code_ids, r.user_ids,
                        r.note_targets)


def _read_note(note: Element, r: _Reading) -> None:
    guid = _norm_guid(note.get("guid"))
    text = _source_text(note, r.z, r.members, r.report) if guid else None
    if guid is None or text is None:
        r.report.skip("memo", note.get("name") or note.get("guid"), "missing GUID or text")
        return
    if any(m.guid == guid for m in r.project.memos):
        r.report.skip("memo", note.get("name") or guid, "repeated GUID")
        return
    author = _norm_guid(note.get("creatingUser"))
    if author is not None and author not in r.user_ids:
        author = None
    r.project.memos.append(Memo(guid, _sources.normalise_newlines(text), r.note_targets.get(guid),
                                note.get("name") or "", author))


def _read_selection(sel: Element, start_s: str | None, end_s: str | None, source: Source, mapped: _Crlf,
                    project: Project, report: ImportReport, code_ids: set[str], user_ids: set[str],
                    note_targets: NoteTargets) -> None:
    is_selection = _local(sel) == "PlainTextSelection"
    codings = _kids(sel, "Coding") if is_selection else [sel]
    label = sel.get("guid")
    try:
        start, end = mapped(int(start_s or "")), mapped(int(end_s or ""))  # a missing one is not a number
    except (TypeError, ValueError):
        report.skip("coding", label, "start or end position is not a number")
        return
    if not 0 <= start <= end <= len(source.text):
        report.skip("coding", label, f"positions {start_s}-{end_s} are outside source {source.name!r}")
        return
    h = text_hash(source.text[start:end])
    desc = _kid(sel, "Description") if is_selection else None
    desc_text = (desc.text or "").strip() if desc is not None else ""
    expected = _HASH.match(desc_text)
    if expected and expected.group(1) != h:
        report.skip("coding", label, f"the text of source {source.name!r} has changed since it was coded")
        return
    if not codings:
        report.skip("coding", label, "a selection without a coding (annotation) is not kept")
        return
    kept = []
    for c in codings:
        guid = _norm_guid(c.get("guid"))
        ref = _kid(c, "CodeRef")
        code = _norm_guid(ref.get("targetGUID")) if ref is not None else None
        coder = _norm_guid(c.get("creatingUser") or sel.get("creatingUser"))
        if guid is None or any(x.guid == guid for x in project.codings):
            report.skip("coding", c.get("guid"), "missing or repeated GUID")
        elif code not in code_ids:
            target = ref.get("targetGUID") if ref is not None else None
            report.skip("coding", guid, f"code {target} is not in the codebook")
        else:
            if coder is not None and coder not in user_ids:
                report.warnings.append(f"coding {guid}: coder {coder} is not among the users; added")
                project.users.append(User(coder, ""))
                user_ids.add(coder)
            project.codings.append(Coding(guid, source.guid, start, end, code, coder, h))
            kept.append(guid)
            for nref in _kids(c, "NoteRef"):
                note_targets.setdefault(_norm_guid(nref.get("targetGUID")), guid)
    if kept:
        for nref in _kids(sel, "NoteRef") if is_selection else []:
            note_targets.setdefault(_norm_guid(nref.get("targetGUID")), kept[0])
        if desc_text and not expected:
            project.memos.append(Memo(_derived("description", kept[0]), desc_text, kept[0], "Selection description"))


def import_qdpx(data: bytes, *, limit: int = DEFAULT_ZIP_LIMIT) -> tuple[Project, ImportReport]:
    """Read a .qdpx archive. Raises QdaError if it is not one; otherwise (project, report)."""
    if not data:
        raise QdaError("the file is empty.")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise QdaError("this is not a .qdpx file (it is not a ZIP archive).")
    report = ImportReport()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = _zip_members(z, limit)
        qdes = sorted((v for k, v in members.items() if k.endswith(".qde")),
                      key=lambda n: (n.lower() != "project.qde", n))
        if not qdes:
            raise QdaError("the archive has no project file (*.qde).")
        if len(qdes) > 1:
            report.warnings.append(f"several .qde files; read {qdes[0]}")
        root = _parse_xml(z.read(qdes[0]), qdes[0])
        if _local(root) != "Project":
            raise QdaError(f"{qdes[0]} is not a REFI-QDA project (root element <{_local(root)}>).")
        return _read_project(root, z, members, report), report


def import_qde(xml: bytes) -> tuple[Project, ImportReport]:
    """Read a bare project document (sources must be inline PlainTextContent)."""
    root = _parse_xml(xml, "the project file")
    if _local(root) != "Project":
        raise QdaError(f"not a REFI-QDA project (root element <{_local(root)}>).")
    report = ImportReport()
    return _read_project(root, None, {}, report), report


def import_qdc(data: bytes) -> tuple[Project, ImportReport]:
    """Read a .qdc codebook into a Project holding only codes (name left empty)."""
    if not data or not data.strip():
        raise QdaError("the file is empty.")
    root = _parse_xml(data, "the codebook")
    if _local(root) == "Project":
        root = _kid(root, "CodeBook")
    if root is None or _local(root) != "CodeBook":
        raise QdaError("this is not a REFI-QDA codebook (no <CodeBook> element).")
    project, report = Project(name=""), ImportReport()
    if _kid(root, "Codes") is not None:
        _read_codes(_kid(root, "Codes"), project, report, {})
    if _kid(root, "Sets") is not None:
        report.skip("element", "Sets", "Sets: not supported by Flourish; left out")
    return project, report
