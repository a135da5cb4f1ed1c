"""REFI-QDA exchange (.qdpx projects, .qdc codebooks) on plain dataclasses.

Conventions:

- Export follows the QDA-XML 1.0 Project schema (namespace ``urn:QDA-XML:project:1.0``);
  a .qdpx is a ZIP with ``project.qde`` and each text source as UTF-8 ``Sources/<guid>.txt``
  (``plainTextPath="internal://<guid>.txt"``). A .qdc is ``<CodeBook>`` in
  ``urn:QDA-XML:codebook:1.0`` with the same ``Code`` elements.
- Positions are Unicode code points of the stored text (``startPosition`` inclusive,
  ``endPosition`` exclusive), exactly the Python ``str`` indices used everywhere else.
- Each coding is one ``PlainTextSelection`` holding one ``Coding``; the coding's guid is the
  ``Coding`` guid, the selection's guid is derived from it (uuid5). The coder is the
  ``Coding``'s ``creatingUser``. The selection's ``Description`` carries
  ``sha256:<hex>`` of the selected text, so an edited source is *detected* on import
  (the coding is skipped with a reason) instead of silently shifting.
- Source attributes are Text ``Variables`` with ``VariableValue``\\ s on the source.
- Memos are ``Notes``; the target is where the ``NoteRef`` sits: the project (target None),
  a source, a code or a coding.
- GUIDs are written and read as lower-case, without braces.
- Import is tolerant: any namespace spelling (``1:0`` or ``1.0``), ``Sources``/``sources``
  folder, any ``*.qde`` name, sources as ``.txt`` or ``.docx`` (text extracted), CRLF text
  (positions mapped onto the ``\\n``-normalised text). Whatever cannot be kept is listed in
  ``ImportReport.skipped`` with a reason; a file that cannot be read at all raises
  ``QdaError``. Parsing never resolves entities or reaches the network.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from lxml import etree

from . import sources as _sources

NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
_RGB = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
_HASH = re.compile(r"^sha256:([0-9a-f]{64})$")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DERIVED = uuid.UUID("6f1d3c52-3a5e-4a4e-9d53-0c9a8f1e2b10")
DEFAULT_ZIP_LIMIT = 500 * 1024 * 1024


class QdaError(ValueError):
    """A REFI-QDA file could not be read or written; the message is for the person."""


@dataclass
class User:
    guid: str
    name: str = ""


@dataclass
class Code:
    guid: str
    name: str
    description: str = ""
    parent_guid: str | None = None
    colour: str | None = None  # "#rrggbb"


@dataclass
class Source:
    guid: str
    name: str
    text: str
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class Coding:
    guid: str
    source_guid: str
    start: int
    end: int
    code_guid: str
    coder_guid: str | None = None
    text_hash: str = ""  # sha256 hex of source.text[start:end]; filled on export/import


@dataclass
class Memo:
    guid: str
    text: str
    target_guid: str | None = None  # None: the project
    name: str = ""


@dataclass
class Project:
    name: str
    sources: list[Source] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    memos: list[Memo] = field(default_factory=list)


@dataclass
class Skipped:
    kind: str  # "source", "coding", "code", "memo", "file", "element"
    ref: str  # guid or name
    reason: str


@dataclass
class ImportReport:
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def skip(self, kind: str, ref: str | None, reason: str) -> None:
        self.skipped.append(Skipped(kind, ref or "", reason))


def text_hash(text: str) -> str:
    """sha256 (hex) of the UTF-8 bytes of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_guid() -> str:
    return str(uuid.uuid4())


def _derived(kind: str, guid: str) -> str:
    return str(uuid.uuid5(_DERIVED, f"{kind}:{guid}"))


def _norm_guid(value: str | None) -> str | None:
    if value is None:
        return None
    m = _GUID.match(value.strip())
    return m.group(1).lower() if m else None


# --- export -----------------------------------------------------------------------------


def check(project: Project) -> list[str]:
    """Problems that make ``project`` unexportable (dangling references, bad GUIDs, …)."""
    problems = []
    items = [("source", s.guid) for s in project.sources] + [("code", c.guid) for c in project.codes] + [
        ("user", u.guid) for u in project.users] + [("coding", c.guid) for c in project.codings] + [
        ("memo", m.guid) for m in project.memos]
    seen = set()
    for kind, guid in items:
        if _norm_guid(guid) != guid:
            problems.append(f"{kind} {guid!r}: not a lower-case GUID")
        if guid in seen:
            problems.append(f"{kind} {guid}: the GUID is used twice")
        seen.add(guid)
    xml_fields = [("project name", project.name)] + [(f"source {s.guid} name", s.name) for s in project.sources] + [
        (f"source {s.guid} attribute", f"{k}{v}") for s in project.sources for k, v in s.attributes.items()] + [
        (f"code {c.guid}", c.name + c.description) for c in project.codes] + [
        (f"user {u.guid} name", u.name) for u in project.users] + [(f"memo {m.guid}", m.text + m.name) for m in project.memos]
    problems += [f"{what}: contains characters XML cannot carry" for what, value in xml_fields if _XML_BAD.search(value)]
    texts = {s.guid: s.text for s in project.sources}
    codes = {c.guid: c for c in project.codes}
    users = {u.guid for u in project.users}
    for c in project.codes:
        if c.colour and not _RGB.match(c.colour):
            problems.append(f"code {c.name!r}: colour {c.colour!r} is not #rrggbb")
        seen_parents, p = set(), c.parent_guid
        while p is not None:
            if p not in codes:
                problems.append(f"code {c.name!r}: parent {p} is not in the codebook")
                break
            if p in seen_parents or p == c.guid:
                problems.append(f"code {c.name!r}: parents form a cycle")
                break
            seen_parents.add(p)
            p = codes[p].parent_guid
    for c in project.codings:
        if c.source_guid not in texts:
            problems.append(f"coding {c.guid}: source {c.source_guid} is not in the project")
        elif not 0 <= c.start <= c.end <= len(texts[c.source_guid]):
            problems.append(f"coding {c.guid}: positions {c.start}-{c.end} are outside the source")
        elif c.text_hash and c.text_hash != text_hash(texts[c.source_guid][c.start:c.end]):
            problems.append(f"coding {c.guid}: the source text has changed since it was coded")
        if c.code_guid not in codes:
            problems.append(f"coding {c.guid}: code {c.code_guid} is not in the codebook")
        if c.coder_guid is not None and c.coder_guid not in users:
            problems.append(f"coding {c.guid}: coder {c.coder_guid} is not a user of the project")
    targets = set(texts) | set(codes) | {c.guid for c in project.codings}
    for m in project.memos:
        if m.target_guid is not None and m.target_guid not in targets:
            problems.append(f"memo {m.guid}: target {m.target_guid} is not a source, code or coding")
    return problems


def _el(parent, tag: str, ns: str = NS, **attrs):
    el = etree.SubElement(parent, f"{{{ns}}}{tag}")
    for k, v in attrs.items():
        if v is not None:
            el.set(k, str(v))
    return el


def _codes_element(parent, project: Project, ns: str, notes: dict | None) -> None:
    children: dict = {}
    for c in project.codes:
        children.setdefault(c.parent_guid, []).append(c)
    codes_el = _el(parent, "Codes", ns)

    def add(container, code: Code) -> None:
        el = _el(container, "Code", ns, guid=code.guid, name=code.name, isCodable="true", color=code.colour)
        if code.description:
            _el(el, "Description", ns).text = code.description
        for memo_guid in (notes or {}).get(code.guid, []):
            _el(el, "NoteRef", ns, targetGUID=memo_guid)
        for child in children.get(code.guid, []):
            add(el, child)

    for root in children.get(None, []):
        add(codes_el, root)


def project_xml(project: Project) -> bytes:
    """The ``project.qde`` document (UTF-8 bytes). Raises QdaError if ``check`` finds problems."""
    problems = check(project)
    if problems:
        raise QdaError("cannot export the project: " + "; ".join(problems[:10]))
    notes: dict = {}
    for m in project.memos:
        notes.setdefault(m.target_guid, []).append(m.guid)
    root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS})
    root.set("name", project.name)
    root.set("origin", "Flourish")
    if project.users:
        users = _el(root, "Users")
        for u in project.users:
            _el(users, "User", guid=u.guid, name=u.name)
    if project.codes:
        _codes_element(_el(root, "CodeBook"), project, NS, notes)
    variables = sorted({k for s in project.sources for k in s.attributes})
    if variables:
        var_el = _el(root, "Variables")
        for name in variables:
            _el(var_el, "Variable", guid=_derived("variable", name), name=name, typeOfVariable="Text")
    by_source: dict = {}
    for c in project.codings:
        by_source.setdefault(c.source_guid, []).append(c)
    if project.sources:
        src_el = _el(root, "Sources")
        for s in project.sources:
            el = _el(src_el, "TextSource", guid=s.guid, name=s.name, plainTextPath=f"internal://{s.guid}.txt")
            for c in sorted(by_source.get(s.guid, []), key=lambda c: (c.start, c.end, c.guid)):
                sel = _el(el, "PlainTextSelection", guid=_derived("selection", c.guid), startPosition=c.start,
                          endPosition=c.end)
                _el(sel, "Description").text = "sha256:" + text_hash(s.text[c.start:c.end])
                coding = _el(sel, "Coding", guid=c.guid, creatingUser=c.coder_guid)
                _el(coding, "CodeRef", targetGUID=c.code_guid)
                for memo_guid in notes.get(c.guid, []):
                    _el(coding, "NoteRef", targetGUID=memo_guid)
            for memo_guid in notes.get(s.guid, []):
                _el(el, "NoteRef", targetGUID=memo_guid)
            for name in sorted(s.attributes):
                vv = _el(el, "VariableValue")
                _el(vv, "VariableRef", targetGUID=_derived("variable", name))
                _el(vv, "TextValue").text = s.attributes[name]
    if project.memos:
        notes_el = _el(root, "Notes")
        for m in project.memos:
            note = _el(notes_el, "Note", guid=m.guid, name=m.name or None)
            _el(note, "PlainTextContent").text = m.text
    for memo_guid in notes.get(None, []):
        _el(root, "NoteRef", targetGUID=memo_guid)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def export_qdpx(project: Project) -> bytes:
    """The project as a .qdpx ZIP: ``project.qde`` plus ``Sources/<guid>.txt``."""
    xml = project_xml(project)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", xml)
        for s in project.sources:
            z.writestr(f"Sources/{s.guid}.txt", s.text.encode("utf-8"))
    return buf.getvalue()


def export_qdc(project: Project) -> bytes:
    """The codebook as a .qdc document (codes, descriptions, hierarchy, colours)."""
    problems = [p for p in check(Project(project.name, codes=project.codes)) if p.startswith("code")]
    if problems:
        raise QdaError("cannot export the codebook: " + "; ".join(problems[:10]))
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", "Flourish")
    if project.codes:
        _codes_element(root, project, CODEBOOK_NS, None)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def validate(xml: bytes, schema_path: str | Path) -> list[str]:
    """Schema errors of ``xml`` against an XSD file (empty list: valid)."""
    schema = etree.XMLSchema(etree.parse(str(schema_path)))
    doc = etree.fromstring(xml, _parser())
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


# --- import -----------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _kids(el, name: str) -> list:
    return [c for c in el if _local(c) == name]


def _kid(el, name: str):
    found = _kids(el, name)
    return found[0] if found else None


def _parse_xml(xml: bytes, what: str):
    try:
        return etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as exc:
        raise QdaError(f"{what} is not well-formed XML ({exc}).") from None


class _Crlf:
    """Maps positions in a raw text onto its newline-normalised form."""

    def __init__(self, raw: str):
        self.text = _sources.normalise_newlines(raw)
        self.shift = None
        if "\r\n" in raw:
            arr = np.frombuffer(raw.encode("utf-32-le"), dtype="<u4")
            removed = (arr[:-1] == 13) & (arr[1:] == 10)
            self.shift = np.concatenate([[0], np.cumsum(removed)])
            self.raw_len = len(raw)

    def __call__(self, pos: int) -> int:
        if self.shift is None:
            return pos
        return pos - int(self.shift[min(pos, self.raw_len - 1)]) if pos > 0 else 0


def _read_codes(codes_el, project: Project, report: ImportReport, note_targets: dict) -> None:
    known = set()

    def walk(el, parent):
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


def _source_text(el, z, members, report: ImportReport) -> str | None:
    guid, label = el.get("guid"), el.get("name") or el.get("guid")
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
    if member is None:
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


def _read_project(root, z, members, report: ImportReport) -> Project:
    project = Project(name=root.get("name") or "")
    note_targets: dict = {}  # note guid -> target guid (first reference wins)
    for ref in _kids(root, "NoteRef"):
        note_targets.setdefault(_norm_guid(ref.get("targetGUID")), None)
    users_el = _kid(root, "Users")
    for u in _kids(users_el, "User") if users_el is not None else []:
        guid = _norm_guid(u.get("guid"))
        if guid is None:
            report.skip("user", u.get("name"), "missing or invalid GUID")
        else:
            project.users.append(User(guid, u.get("name") or ""))
    book = _kid(root, "CodeBook")
    if book is not None and _kid(book, "Codes") is not None:
        _read_codes(_kid(book, "Codes"), project, report, note_targets)
    variables = {}
    var_el = _kid(root, "Variables")
    for v in _kids(var_el, "Variable") if var_el is not None else []:
        variables[_norm_guid(v.get("guid"))] = v.get("name") or ""
    code_ids = {c.guid for c in project.codes}
    user_ids = {u.guid for u in project.users}
    src_el = _kid(root, "Sources")
    for el in list(src_el) if src_el is not None else []:
        kind, label = _local(el), el.get("name") or el.get("guid")
        if kind != "TextSource":
            report.skip("source", label, f"{kind} is not a text source")
            continue
        guid = _norm_guid(el.get("guid"))
        if guid is None or any(s.guid == guid for s in project.sources):
            report.skip("source", label, "missing or repeated GUID")
            continue
        raw = _source_text(el, z, members, report)
        if raw is None:
            continue
        mapped = _Crlf(raw)
        source = Source(guid, el.get("name") or "", mapped.text)
        for vv in _kids(el, "VariableValue"):
            ref = _kid(vv, "VariableRef")
            name = variables.get(_norm_guid(ref.get("targetGUID"))) if ref is not None else None
            values = [c for c in vv if _local(c).endswith("Value") and _local(c) != "VariableValue"]
            if name is None or not values:
                report.skip("attribute", label, "a variable value without a known variable")
            else:
                source.attributes[name] = values[0].text or ""
        project.sources.append(source)
        for ref in _kids(el, "NoteRef"):
            note_targets.setdefault(_norm_guid(ref.get("targetGUID")), guid)
        selections = [(s, s.get("startPosition"), s.get("endPosition")) for s in _kids(el, "PlainTextSelection")]
        selections += [(c, "0", str(len(raw))) for c in _kids(el, "Coding")]  # whole-source codings
        for sel, start_s, end_s in selections:
            _read_selection(sel, start_s, end_s, source, mapped, project, report, code_ids, user_ids, note_targets)
    for name in ("Cases", "Sets", "Links", "Graphs"):
        if _kid(root, name) is not None:
            report.skip("element", name, f"{name}: not supported by Flourish; left out")
    notes_el = _kid(root, "Notes")
    for note in _kids(notes_el, "Note") if notes_el is not None else []:
        guid = _norm_guid(note.get("guid"))
        text = _source_text(note, z, members, report) if guid else None
        if guid is None or text is None:
            report.skip("memo", note.get("name") or note.get("guid"), "missing GUID or text")
            continue
        target = note_targets.get(guid)
        project.memos.append(Memo(guid, _sources.normalise_newlines(text), target, note.get("name") or ""))
    return project


def _read_selection(sel, start_s, end_s, source, mapped, project, report, code_ids, user_ids, note_targets):
    is_selection = _local(sel) == "PlainTextSelection"
    codings = _kids(sel, "Coding") if is_selection else [sel]
    label = sel.get("guid")
    try:
        start, end = mapped(int(start_s)), mapped(int(end_s))
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
            report.skip("coding", guid, f"code {ref.get('targetGUID') if ref is not None else None} is not in the codebook")
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
