"""Reading .qdpx projects, bare .qde documents and .qdc codebooks, tolerantly: whatever
cannot be kept is listed in the report with a reason (see the package docstring)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np
from lxml import etree

from .. import sources as _sources
from .model import (
    _HASH,
    _RGB,
    DEFAULT_LIMITS,
    DEFAULT_ZIP_LIMIT,
    NS,
    VARIABLE_TYPES,
    Case,
    Code,
    CodeSet,
    Coding,
    ImportReport,
    Limits,
    Memo,
    OtherSource,
    Project,
    QdaError,
    Source,
    User,
    Variable,
    _derived,
    _norm_guid,
    _parser,
    fits,
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



def _limit_error(what: str) -> QdaError:
    return QdaError(f"{what}; nothing was imported (the limits are listed under “What Flourish keeps in "
                    "REFI-QDA files”).")


def _read_codes(codes_el: Element, project: Project, report: ImportReport, note_targets: NoteTargets,
                limits: Limits = DEFAULT_LIMITS) -> None:
    known: set[str] = set()

    def walk(el: Element, parent: str | None, depth: int) -> None:
        guid = _norm_guid(el.get("guid"))
        if guid is None or guid in known:
            report.skip("code", el.get("name") or el.get("guid"), "missing or repeated GUID")
            return
        if depth > limits.depth:
            raise _limit_error(f"code “{el.get('name') or guid}” is nested {depth} levels deep, "
                                       f"more than the limit of {limits.depth}")
        if len(project.codes) >= limits.codes:
            raise _limit_error(f"the codebook has more than {limits.codes:,} codes (the limit was "
                                       f"reached at code “{el.get('name') or guid}”)")
        known.add(guid)
        colour = el.get("color") if el.get("color") and _RGB.match(el.get("color")) else None
        desc = _kid(el, "Description")
        codable = (el.get("isCodable") or "true").strip().lower() not in ("false", "0")
        project.codes.append(Code(guid, el.get("name") or "", (desc.text or "") if desc is not None else "",
                                  parent, colour, codable))
        for ref in _kids(el, "NoteRef"):
            note_targets.setdefault(_norm_guid(ref.get("targetGUID")), guid)
        for child in _kids(el, "Code"):
            walk(child, guid, depth + 1)

    for el in _kids(codes_el, "Code"):
        walk(el, None, 1)


def _zip_members(z: zipfile.ZipFile, limit: int) -> dict[str, str]:
    infos = z.infolist()
    if sum(i.file_size for i in infos) > limit:
        raise QdaError(f"the archive is too large once unpacked (limit {limit:,} bytes).")
    return {i.filename.replace("\\", "/").lower(): i.filename for i in infos if not i.is_dir()}


def _path_name(path: str) -> tuple[str, bool]:
    """(the path inside the archive, whether the standard puts it inside the archive).

    ``internal://x`` is ``sources/x`` in the archive; ``relative://x`` is relative to the
    project's ``basePath`` (outside, but tools also pack it); a bare or relative name (as
    QualCoder writes, ``board_2017.txt``) is looked for under ``sources/`` and the archive's
    root; ``file://``, ``absolute://`` and absolute paths are outside the archive."""
    p = path.strip().replace("\\", "/")
    lower = p.lower()
    for scheme in ("internal://", "relative://"):
        if lower.startswith(scheme):
            return p[len(scheme):].lstrip("/"), scheme == "internal://"
    if "://" in p or p.startswith("/") or re.match(r"^[A-Za-z]:/", p):
        return p.split("://", 1)[-1].lstrip("/"), False
    return re.sub(r"^(\./)+", "", p), True


def _find_member(members: dict[str, str], path: str) -> str | None:
    name = _path_name(path)[0].lower()
    for candidate in (f"sources/{name}", name):
        if candidate in members:
            return members[candidate]
    base = name.rsplit("/", 1)[-1]
    matches = [v for k, v in members.items() if k.rsplit("/", 1)[-1] == base and not k.endswith(".qde")]
    return matches[0] if len(matches) == 1 else None


def _source_text(el: Element, z: zipfile.ZipFile | None, members: dict[str, str],
                 report: ImportReport) -> str | None:
    label = el.get("name") or el.get("guid")
    content = _kid(el, "PlainTextContent")
    if content is not None:
        return content.text or ""
    paths = [p for p in (el.get("plainTextPath"), el.get("richTextPath")) if p and p.strip()]
    if not paths:
        report.skip("source", label, "no text: neither PlainTextContent nor a text path")
        return None
    found = [(p, _find_member(members, p)) for p in paths] if z is not None else []
    member = next((m for _, m in found if m is not None), None)
    if z is None or member is None:
        inside = [p for p in paths if _path_name(p)[1]]
        if inside:
            report.skip("source", label, f"file {inside[0]} is not in the archive")
        else:
            report.skip("source", label, f"the text is outside the archive ({paths[0]})")
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


def _read_variables(root: Element, project: Project, report: ImportReport) -> dict[str | None, Variable]:
    variables: dict[str | None, Variable] = {}
    var_el = _kid(root, "Variables")
    for v in _kids(var_el, "Variable") if var_el is not None else []:
        guid, name = _norm_guid(v.get("guid")), v.get("name") or ""
        kind = v.get("typeOfVariable") or "Text"
        if guid is None or guid in variables or any(x.name == name for x in project.variables):
            report.skip("variable", name or v.get("guid"), "missing or repeated GUID or name")
            continue
        if kind not in VARIABLE_TYPES:
            report.warnings.append(f"variable {name}: type {kind} is not in the standard; read as Text")
            kind = "Text"
        desc = _kid(v, "Description")
        variables[guid] = Variable(guid, name, kind, (desc.text or "") if desc is not None else "")
        project.variables.append(variables[guid])
    return variables


def _read_values(el: Element, variables: dict[str | None, Variable], label: str | None,
                 report: ImportReport) -> dict[str, str]:
    out: dict[str, str] = {}
    for vv in _kids(el, "VariableValue"):
        ref = _kid(vv, "VariableRef")
        var = variables.get(_norm_guid(ref.get("targetGUID"))) if ref is not None else None
        values = [c for c in vv if _local(c).endswith("Value") and _local(c) != "VariableValue"]
        if var is None or not values:
            report.skip("attribute", label, "a variable value without a known variable")
            continue
        value = values[0].text or ""
        if not fits(var.type, value):
            report.warnings.append(f"{label}: {value!r} is not a {var.type} value of {var.name}; "
                                   "the variable is read as Text")
            var.type = "Text"
        out[var.name] = value
    return out


def _refs(el: Element, tag: str) -> list[str]:
    return [g for g in (_norm_guid(r.get("targetGUID")) for r in _kids(el, tag)) if g is not None]


def _read_cases(root: Element, variables: dict[str | None, Variable], r: _Reading) -> None:
    cases_el = _kid(root, "Cases")
    for el in _kids(cases_el, "Case") if cases_el is not None else []:
        guid = _norm_guid(el.get("guid"))
        if guid is None or any(c.guid == guid for c in r.project.cases):
            r.report.skip("case", el.get("name") or el.get("guid"), "missing or repeated GUID")
            continue
        desc = _kid(el, "Description")
        case = Case(guid, el.get("name") or "", (desc.text or "") if desc is not None else "",
                    _read_values(el, variables, f"case {el.get('name') or guid}", r.report),
                    _refs(el, "SourceRef"), _refs(el, "CodeRef"), _refs(el, "SelectionRef"))
        r.project.cases.append(case)


def _read_sets(root: Element, project: Project, report: ImportReport) -> None:
    sets_el = _kid(root, "Sets")
    for el in _kids(sets_el, "Set") if sets_el is not None else []:
        guid = _norm_guid(el.get("guid"))
        if guid is None or any(s.guid == guid for s in project.sets):
            report.skip("set", el.get("name") or el.get("guid"), "missing or repeated GUID")
            continue
        desc = _kid(el, "Description")
        project.sets.append(CodeSet(guid, el.get("name") or "", (desc.text or "") if desc is not None else "",
                                    _refs(el, "MemberCode"), _refs(el, "MemberSource"), _refs(el, "MemberNote")))


_GUID_ATTRS = ("guid", "targetGUID", "creatingUser", "modifyingUser", "fromSyncPoint", "toSyncPoint",
               "representedGUID", "sourceVertex", "targetVertex", "originGUID")


def _renamespaced(el: Element) -> str:
    """``el`` serialised with every element in the project namespace (files may spell it
    ``1:0``) and GUIDs lower-case without braces, as everywhere else."""
    copy = etree.fromstring(etree.tostring(el), _parser())
    copy.tail = None
    for node in copy.iter():
        if len(node) and not (node.text or "").strip():  # indentation between elements
            node.text = None
        for child in node:
            if not (child.tail or "").strip():
                child.tail = None
        if isinstance(node.tag, str):
            node.tag = f"{{{NS}}}{_local(node)}"
            for attr in _GUID_ATTRS:
                guid = _norm_guid(node.get(attr))
                if guid is not None:
                    node.set(attr, guid)
    etree.cleanup_namespaces(copy)
    xml: str = etree.tostring(copy, encoding="unicode")
    return xml


def _resolve_refs(project: Project, report: ImportReport) -> None:
    """Drop references of cases and sets to what was not imported (and say so)."""
    sources = {s.guid for s in project.sources} | {o.guid for o in project.other_sources}
    codes, memos = {c.guid for c in project.codes}, {m.guid for m in project.memos}
    for case in project.cases:
        for attr, known in (("source_guids", sources), ("code_guids", codes)):
            kept = [g for g in getattr(case, attr) if g in known]
            if len(kept) != len(getattr(case, attr)):
                report.skip("case", case.name or case.guid, f"{len(getattr(case, attr)) - len(kept)} reference(s) "
                                                            "to what was not imported left out")
            setattr(case, attr, kept)
    for group in project.sets:
        for attr, known in (("code_guids", codes), ("source_guids", sources), ("memo_guids", memos)):
            kept = [g for g in getattr(group, attr) if g in known]
            if len(kept) != len(getattr(group, attr)):
                report.skip("set", group.name or group.guid, f"{len(getattr(group, attr)) - len(kept)} member(s) "
                                                             "that were not imported left out")
            setattr(group, attr, kept)


def _read_project(root: Element, z: zipfile.ZipFile | None, members: dict[str, str],
                  report: ImportReport, limits: Limits = DEFAULT_LIMITS) -> Project:
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
        _read_codes(_kid(book, "Codes"), project, report, note_targets, limits)
    variables = _read_variables(root, project, report)
    reading = _Reading(z, members, report, project, {c.guid for c in project.codes},
                       {u.guid for u in project.users}, note_targets, limits)
    src_el = _kid(root, "Sources")
    elements = [el for el in src_el if isinstance(el.tag, str)] if src_el is not None else []
    if len(elements) > limits.sources:
        raise _limit_error(f"the project has {len(elements):,} sources, more than the limit of "
                                   f"{limits.sources:,}")
    for el in elements:
        _read_source(el, variables, reading)
    _read_cases(root, variables, reading)
    for name in ("Links", "Graphs"):
        if _kid(root, name) is not None:
            project.extra_xml.append(_renamespaced(_kid(root, name)))
            report.warnings.append(f"{name}: kept as they came and exported again, but not shown in Flourish")
    notes_el = _kid(root, "Notes")
    for note in _kids(notes_el, "Note") if notes_el is not None else []:
        _read_note(note, reading)
    _read_sets(root, project, report)
    _resolve_refs(project, report)
    if len(project.codings) > limits.codings:
        raise _limit_error(f"the project has {len(project.codings):,} codings, more than the limit of "
                                   f"{limits.codings:,}")
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
    limits: Limits = DEFAULT_LIMITS
    other_bytes: int = 0

    def user(self, guid: str | None, what: str) -> str | None:
        """``guid`` as a known user (added, with a warning, when the file did not list it)."""
        if guid is not None and guid not in self.user_ids:
            self.report.warnings.append(f"{what}: user {guid} is not among the users; added")
            self.project.users.append(User(guid, ""))
            self.user_ids.add(guid)
        return guid


_OTHER_KINDS = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")


def _read_other_source(el: Element, guid: str, r: _Reading) -> None:
    """A source Flourish cannot code: kept as it came, with the archive files it names."""
    kind, label = _local(el), el.get("name") or guid
    files: dict[str, bytes] = {}
    for node in el.iter():
        for attr in ("path", "plainTextPath", "richTextPath"):
            path = node.get(attr) if isinstance(node.tag, str) else None
            member = _find_member(r.members, path) if path and r.z is not None else None
            if member is not None:
                files[member] = r.z.read(member) if r.z is not None else b""
            elif path and _path_name(path)[1]:
                r.report.warnings.append(f"source {label}: file {path} is not in the archive; "
                                         "the source is kept without it")
    r.other_bytes += sum(len(d) for d in files.values())
    if r.other_bytes > r.limits.other_bytes:
        raise _limit_error(f"the picture, PDF, audio and video files together are larger than "
                                     f"{r.limits.other_bytes:,} bytes (at source “{label}”)")
    for node in el.iter():
        if isinstance(node.tag, str) and _local(node) == "Coding":
            r.user(_norm_guid(node.get("creatingUser")), f"source {label}")
        if isinstance(node.tag, str) and _local(node) == "NoteRef":
            r.note_targets.setdefault(_norm_guid(node.get("targetGUID")), guid)
    r.project.other_sources.append(OtherSource(guid, el.get("name") or "", kind, _renamespaced(el), files))
    word = {"PictureSource": "picture", "PDFSource": "PDF", "AudioSource": "audio", "VideoSource": "video"}[kind]
    r.report.warnings.append(f"source {label}: the {word} source is kept with its files and selections and "
                             "exported again, but Flourish cannot show or code it")


def _read_source(el: Element, variables: dict[str | None, Variable], r: _Reading) -> None:
    kind, label = _local(el), el.get("name") or el.get("guid")
    guid = _norm_guid(el.get("guid"))
    if guid is None or any(s.guid == guid for s in r.project.sources) or any(
            o.guid == guid for o in r.project.other_sources):
        r.report.skip("source", label, "missing or repeated GUID")
        return
    if kind in _OTHER_KINDS:
        _read_other_source(el, guid, r)
        return
    if kind != "TextSource":
        r.report.skip("source", label, f"{kind} is not a source kind of the standard")
        return
    raw = _source_text(el, r.z, r.members, r.report)
    if raw is None:
        return
    if len(raw) > r.limits.source_chars:
        raise _limit_error(f"source “{label}” has {len(raw):,} characters, more than the limit of "
                                     f"{r.limits.source_chars:,}")
    mapped = _Crlf(raw)
    desc = _kid(el, "Description")
    source = Source(guid, el.get("name") or "", mapped.text, _read_values(el, variables, f"source {label}", r.report),
                    (desc.text or "") if desc is not None else "",
                    r.user(_norm_guid(el.get("creatingUser")), f"source {label}"),
                    (el.get("creationDateTime") or "").strip())
    r.project.sources.append(source)
    for ref in _kids(el, "NoteRef"):
        r.note_targets.setdefault(_norm_guid(ref.get("targetGUID")), guid)
    selections = [(s, s.get("startPosition"), s.get("endPosition")) for s in _kids(el, "PlainTextSelection")]
    selections += [(c, "0", str(len(raw))) for c in _kids(el, "Coding")]  # whole-source codings
    for sel, start_s, end_s in selections:
        _read_selection(sel, start_s, end_s, source, mapped, r)


def _read_note(note: Element, r: _Reading) -> None:
    guid = _norm_guid(note.get("guid"))
    text = _source_text(note, r.z, r.members, r.report) if guid else None
    if guid is None or text is None:
        r.report.skip("memo", note.get("name") or note.get("guid"), "missing GUID or text")
        return
    if any(m.guid == guid for m in r.project.memos):
        r.report.skip("memo", note.get("name") or guid, "repeated GUID")
        return
    author = r.user(_norm_guid(note.get("creatingUser")), f"note {note.get('name') or guid}")
    r.project.memos.append(Memo(guid, _sources.normalise_newlines(text), r.note_targets.get(guid),
                                note.get("name") or "", author, (note.get("creationDateTime") or "").strip()))


def _read_selection(sel: Element, start_s: str | None, end_s: str | None, source: Source, mapped: _Crlf,
                    r: _Reading) -> None:
    project, report = r.project, r.report
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
    desc_text = desc.text or "" if desc is not None else ""
    expected = _HASH.match(desc_text.strip())
    if expected and expected.group(1) != h:
        report.skip("coding", label, f"the text of source {source.name!r} has changed since it was coded")
        return
    if not codings:
        report.skip("coding", label, "a selection without a coding (annotation) is not kept")
        return
    sel_guid = _norm_guid(label) if is_selection else None
    kept = []
    for c in codings:
        guid = _norm_guid(c.get("guid"))
        ref = _kid(c, "CodeRef")
        code = _norm_guid(ref.get("targetGUID")) if ref is not None else None
        if guid is None or any(x.guid == guid for x in project.codings):
            report.skip("coding", c.get("guid"), "missing or repeated GUID")
        elif code not in r.code_ids:
            target = ref.get("targetGUID") if ref is not None else None
            report.skip("coding", guid, f"code {target} is not in the codebook")
        else:
            coder = r.user(_norm_guid(c.get("creatingUser") or sel.get("creatingUser")), f"coding {guid}")
            implied = sel_guid is None or (len(codings) == 1 and sel_guid == _derived("selection", guid))
            created = (c.get("creationDateTime") or sel.get("creationDateTime") or "").strip()
            project.codings.append(Coding(guid, source.guid, start, end, code, coder, h,
                                          "" if implied else sel_guid or "", sel.get("name") or "",
                                          "" if expected else desc_text, created))
            kept.append(guid)
            for nref in _kids(c, "NoteRef"):
                r.note_targets.setdefault(_norm_guid(nref.get("targetGUID")), guid)
    if kept:
        for nref in _kids(sel, "NoteRef") if is_selection else []:
            r.note_targets.setdefault(_norm_guid(nref.get("targetGUID")), kept[0])


def import_qdpx(data: bytes, *, limit: int = DEFAULT_ZIP_LIMIT,
                limits: Limits = DEFAULT_LIMITS) -> tuple[Project, ImportReport]:
    """Read a .qdpx archive. Raises QdaError if it is not one (or exceeds ``limits``);
    otherwise (project, report)."""
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
        return _read_project(root, z, members, report, limits), report


def import_qde(xml: bytes, *, limits: Limits = DEFAULT_LIMITS) -> tuple[Project, ImportReport]:
    """Read a bare project document (sources must be inline PlainTextContent)."""
    root = _parse_xml(xml, "the project file")
    if _local(root) != "Project":
        raise QdaError(f"not a REFI-QDA project (root element <{_local(root)}>).")
    report = ImportReport()
    return _read_project(root, None, {}, report, limits), report


def import_qdc(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> tuple[Project, ImportReport]:
    """Read a .qdc codebook into a Project holding only codes and sets (name left empty)."""
    if not data or not data.strip():
        raise QdaError("the file is empty.")
    root = _parse_xml(data, "the codebook")
    if _local(root) == "Project":
        root = _kid(root, "CodeBook")
    if root is None or _local(root) != "CodeBook":
        raise QdaError("this is not a REFI-QDA codebook (no <CodeBook> element).")
    project, report = Project(name=""), ImportReport()
    if _kid(root, "Codes") is not None:
        _read_codes(_kid(root, "Codes"), project, report, {}, limits)
    _read_sets(root, project, report)
    _resolve_refs(project, report)
    return project, report
