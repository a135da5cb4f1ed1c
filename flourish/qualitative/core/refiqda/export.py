"""Writing .qdpx projects and .qdc codebooks, and validating them against an XSD."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from .model import CODEBOOK_NS, NS, Code, Coding, Project, QdaError, Source, _derived, _parser, check, text_hash

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
    notes: Notes = {}
    for m in project.memos:
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
    variables = sorted({k for s in project.sources for k in s.attributes})
    if variables:
        var_el = _el(root, "Variables")
        for name in variables:
            _el(var_el, "Variable", guid=_derived("variable", name), name=name, typeOfVariable="Text")
    by_source: dict[str, list[Coding]] = {}
    for c in project.codings:
        by_source.setdefault(c.source_guid, []).append(c)
    if project.sources:
        src_el = _el(root, "Sources")
        for s in project.sources:
            _source_element(src_el, s, by_source.get(s.guid, []), notes)
    if project.memos:
        notes_el = _el(root, "Notes")
        for m in project.memos:
            note = _el(notes_el, "Note", guid=m.guid, name=m.name or None, creatingUser=m.author_guid)
            _el(note, "PlainTextContent").text = m.text
    if project.description:
        _el(root, "Description").text = project.description
    for memo_guid in notes.get(None, []):
        _el(root, "NoteRef", targetGUID=memo_guid)
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml


def _source_element(parent: Element, s: Source, codings: list[Coding], notes: Notes) -> None:
    """One TextSource: its selections with their codings, its memos and its variable values."""
    el = _el(parent, "TextSource", guid=s.guid, name=s.name, plainTextPath=f"internal://{s.guid}.txt")
    for c in sorted(codings, key=lambda c: (c.start, c.end, c.guid)):
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
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml


def validate(xml: bytes, schema_path: str | Path) -> list[str]:
    """Schema errors of ``xml`` against an XSD file (empty list: valid)."""
    schema = etree.XMLSchema(etree.parse(str(schema_path)))
    doc = etree.fromstring(xml, _parser())
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
