"""Writing .qdpx projects and .qdc codebooks, and validating them against an XSD."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from .model import (
    CODEBOOK_NS,
    NS,
    VALUE_ELEMENTS,
    Code,
    CodeSet,
    Coding,
    OtherSource,
    Project,
    QdaError,
    Source,
    Variable,
    _derived,
    _parser,
    check,
    text_hash,
)

# An lxml element (lxml ships no type information).
Element = Any
# target GUID (None: the project itself) -> GUIDs of the memos attached to it.
Notes = dict[str | None, list[str]]


def _el(parent: Element, tag: str, ns: str = NS, **attrs: object) -> Element:
    el = etree.SubElement(parent, f"{{{ns}}}{tag}")
    for k, v in attrs.items():
        if v is not None:
            el.set(k, str(v))
    return el


def _codes_element(parent: Element, project: Project, ns: str, notes: Notes | None) -> None:
    children: dict[str | None, list[Code]] = {}
    for c in project.codes:
        children.setdefault(c.parent_guid, []).append(c)
    codes_el = _el(parent, "Codes", ns)

    def add(container: Element, code: Code) -> None:
        codable = "true" if code.is_codable else "false"
        el = _el(container, "Code", ns, guid=code.guid, name=code.name, isCodable=codable, color=code.colour)
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
    notes: Notes = {}
    others = {o.guid for o in project.other_sources}
    for m in project.memos:
        if m.target_guid not in others:  # those NoteRefs are inside the source's element as it came
            notes.setdefault(m.target_guid, []).append(m.guid)
    root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS})
    root.set("name", project.name)
    root.set("origin", "Flourish")
    if project.users:
        users = _el(root, "Users")
        for u in project.users:
            _el(users, "User", guid=u.guid, name=u.name, id=u.id or None)
    if project.codes:
        _codes_element(_el(root, "CodeBook"), project, NS, notes)
    variables = _variables(project)
    _variables_and_cases(root, project, variables)
    by_source: dict[str, list[Coding]] = {}
    for c in project.codings:
        by_source.setdefault(c.source_guid, []).append(c)
    if project.sources or project.other_sources:
        src_el = _el(root, "Sources")
        for s in project.sources:
            _source_element(src_el, s, by_source.get(s.guid, []), notes, variables)
        for other in project.other_sources:
            src_el.append(etree.fromstring(other.xml.encode("utf-8"), _parser()))
    if project.memos:
        notes_el = _el(root, "Notes")
        for m in project.memos:
            note = _el(notes_el, "Note", guid=m.guid, name=m.name or None, creatingUser=m.author_guid,
                       creationDateTime=m.created or None)
            _el(note, "PlainTextContent").text = m.text
    _links_sets_graphs(root, project)
    if project.description:
        _el(root, "Description").text = project.description
    for memo_guid in notes.get(None, []):
        _el(root, "NoteRef", targetGUID=memo_guid)
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml


def _variables_and_cases(root: Element, project: Project, variables: dict[str, Variable]) -> None:
    if variables:
        var_el = _el(root, "Variables")
        for v in variables.values():
            v_el = _el(var_el, "Variable", guid=v.guid, name=v.name, typeOfVariable=v.type)
            if v.description:
                _el(v_el, "Description").text = v.description
    if not project.cases:
        return
    cases_el = _el(root, "Cases")
    for case in project.cases:
        case_el = _el(cases_el, "Case", guid=case.guid, name=case.name or None)
        if case.description:
            _el(case_el, "Description").text = case.description
        for g in case.code_guids:
            _el(case_el, "CodeRef", targetGUID=g)
        _values(case_el, case.attributes, variables)
        for g in case.source_guids:
            _el(case_el, "SourceRef", targetGUID=g)
        for g in case.selection_guids:
            _el(case_el, "SelectionRef", targetGUID=g)


def _links_sets_graphs(root: Element, project: Project) -> None:
    """Links (kept as they came), Sets, then Graphs (kept as they came), in schema order."""
    kept = [etree.fromstring(raw.encode("utf-8"), _parser()) for raw in project.extra_xml]
    for el in kept:
        if etree.QName(el).localname == "Links":
            root.append(el)
    if project.sets:
        _sets_element(root, project.sets, NS)
    for el in kept:
        if etree.QName(el).localname != "Links":
            root.append(el)


def _variables(project: Project) -> dict[str, Variable]:
    """name -> Variable for every variable the project defines or uses (an attribute without
    a defined variable is a Text variable with a GUID derived from its name)."""
    out = {v.name: v for v in project.variables}
    used = sorted({k for s in project.sources for k in s.attributes} | {k for c in project.cases for k in c.attributes})
    for name in used:
        out.setdefault(name, Variable(_derived("variable", name), name))
    return out


def _values(parent: Element, attributes: dict[str, str], variables: dict[str, Variable]) -> None:
    for name in sorted(attributes):
        v = variables[name]
        vv = _el(parent, "VariableValue")
        _el(vv, "VariableRef", targetGUID=v.guid)
        value = attributes[name]
        _el(vv, VALUE_ELEMENTS.get(v.type, "TextValue")).text = value if v.type == "Text" else value.strip()


def _sets_element(parent: Element, sets: list[CodeSet], ns: str) -> None:
    sets_el = _el(parent, "Sets", ns)
    for group in sets:
        set_el = _el(sets_el, "Set", ns, guid=group.guid, name=group.name)
        if group.description:
            _el(set_el, "Description", ns).text = group.description
        for tag, guids in (("MemberCode", group.code_guids), ("MemberSource", group.source_guids),
                           ("MemberNote", group.memo_guids)):
            for g in guids:
                _el(set_el, tag, ns, targetGUID=g)


def _selections(codings: list[Coding]) -> list[tuple[str, list[Coding]]]:
    """(selection guid, its codings): codings sharing a ``selection_guid`` share one
    selection; any other coding has a selection of its own with a derived guid."""
    groups: dict[str, list[Coding]] = {}
    for c in sorted(codings, key=lambda c: (c.start, c.end, c.guid)):
        groups.setdefault(c.selection_guid or _derived("selection", c.guid), []).append(c)
    return list(groups.items())


def _source_element(parent: Element, s: Source, codings: list[Coding], notes: Notes,
                    variables: dict[str, Variable]) -> None:
    """One TextSource: its selections with their codings, its memos and its variable values."""
    el = _el(parent, "TextSource", guid=s.guid, name=s.name, plainTextPath=f"internal://{s.guid}.txt",
             creatingUser=s.creating_user, creationDateTime=s.created or None)
    if s.description:
        _el(el, "Description").text = s.description
    for guid, group in _selections(codings):
        first = group[0]
        sel = _el(el, "PlainTextSelection", guid=guid, name=first.selection_name or None,
                  startPosition=first.start, endPosition=first.end, creatingUser=first.coder_guid,
                  creationDateTime=first.created or None)
        description = first.description or "sha256:" + text_hash(s.text[first.start:first.end])
        _el(sel, "Description").text = description
        for c in group:
            coding = _el(sel, "Coding", guid=c.guid, creatingUser=c.coder_guid, creationDateTime=c.created or None)
            _el(coding, "CodeRef", targetGUID=c.code_guid)
            for memo_guid in notes.get(c.guid, []):
                _el(coding, "NoteRef", targetGUID=memo_guid)
    for memo_guid in notes.get(s.guid, []):
        _el(el, "NoteRef", targetGUID=memo_guid)
    _values(el, s.attributes, variables)


def source_bytes(text: str) -> bytes:
    """A source's text as stored in the archive: UTF-8, with a byte-order mark only when the
    text itself starts with U+FEFF (readers drop one leading BOM, so the text survives)."""
    return (("\ufeff" if text.startswith("\ufeff") else "") + text).encode("utf-8")


def export_qdpx(project: Project) -> bytes:
    """The project as a .qdpx ZIP: ``project.qde`` plus ``Sources/<guid>.txt``."""
    xml = project_xml(project)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", xml)
        for s in project.sources:
            z.writestr(f"Sources/{s.guid}.txt", source_bytes(s.text))
        written = {f"sources/{s.guid}.txt" for s in project.sources}
        for other in project.other_sources:
            for member, data in other.files.items():
                if member.lower() not in written and member.lower() != "project.qde":
                    written.add(member.lower())
                    z.writestr(member, data)
    return buf.getvalue()


def export_qdc(project: Project) -> bytes:
    """The codebook as a .qdc document (codes, descriptions, hierarchy, colours, isCodable, and
    the sets that group codes, with their codes only)."""
    problems = [p for p in check(Project(project.name, codes=project.codes, sets=[
        CodeSet(x.guid, x.name, x.description, x.code_guids) for x in project.sets]))
        if p.startswith(("code", "set"))]
    if problems:
        raise QdaError("cannot export the codebook: " + "; ".join(problems[:10]))
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", "Flourish")
    if project.codes:
        _codes_element(root, project, CODEBOOK_NS, None)
    code_sets = [CodeSet(x.guid, x.name, x.description, x.code_guids) for x in project.sets if x.code_guids]
    if code_sets:
        _sets_element(root, code_sets, CODEBOOK_NS)
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml


def note_refs(other: OtherSource) -> list[str]:
    """GUIDs of the notes an other source's element refers to (anywhere inside it)."""
    root = etree.fromstring(other.xml.encode("utf-8"), _parser())
    return [str(ref.get("targetGUID")) for ref in root.iter(f"{{{NS}}}NoteRef")]


def without_unknown_codes(other: OtherSource, code_guids: set[str]) -> tuple[OtherSource, int]:
    """``other`` without the codings whose code is not in ``code_guids`` (a code deleted since
    the import), and how many were taken out."""
    root = etree.fromstring(other.xml.encode("utf-8"), _parser())
    gone = [c for c in root.iter(f"{{{NS}}}Coding")
            if any(ref.get("targetGUID") not in code_guids for ref in c.iter(f"{{{NS}}}CodeRef"))]
    for c in gone:
        c.getparent().remove(c)
    if not gone:
        return other, 0
    xml: str = etree.tostring(root, encoding="unicode")
    return OtherSource(other.guid, other.name, other.kind, xml, dict(other.files)), len(gone)


def validate(xml: bytes, schema_path: str | Path) -> list[str]:
    """Schema errors of ``xml`` against an XSD file (empty list: valid)."""
    schema = etree.XMLSchema(etree.parse(str(schema_path)))
    doc = etree.fromstring(xml, _parser())
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
