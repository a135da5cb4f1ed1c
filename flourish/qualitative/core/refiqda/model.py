"""The exchanged objects as plain dataclasses, shared helpers, and `check` (what makes a
project unexportable). See the package docstring for the conventions."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field

from lxml import etree

NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
_RGB = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
_HASH = re.compile(r"^sha256:([0-9a-f]{64})$")
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DERIVED = uuid.UUID("6f1d3c52-3a5e-4a4e-9d53-0c9a8f1e2b10")
DEFAULT_ZIP_LIMIT = 500 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one file may hold; beyond any of these the whole file is refused (`QdaError`
    naming what and where), so nothing is saved partially."""

    codes: int = 5_000  # codes in the codebook
    depth: int = 30  # nesting of codes
    sources: int = 2_000  # sources (text and other)
    source_chars: int = 5_000_000  # characters of one text source
    codings: int = 200_000  # codings in the project
    other_bytes: int = 100 * 1024 * 1024  # the files of picture/PDF/audio/video sources together


DEFAULT_LIMITS = Limits()


class QdaError(ValueError):
    """A REFI-QDA file could not be read or written; the message is for the person."""


@dataclass
class User:
    guid: str
    name: str = ""
    id: str = ""  # the schema's free-form User/@id; Flourish writes its layer kind here


@dataclass
class Code:
    guid: str
    name: str
    description: str = ""
    parent_guid: str | None = None
    colour: str | None = None  # "#rrggbb"
    is_codable: bool = True  # the schema's Code/@isCodable (a heading only, when False)


@dataclass
class Source:
    guid: str
    name: str
    text: str
    attributes: dict[str, str] = field(default_factory=dict)  # variable name -> value as text
    description: str = ""
    creating_user: str | None = None  # the TextSource's creatingUser (a User's guid)
    created: str = ""  # its creationDateTime as written ("" = none)


@dataclass
class Coding:
    guid: str
    source_guid: str
    start: int
    end: int
    code_guid: str
    coder_guid: str | None = None
    text_hash: str = ""  # sha256 hex of source.text[start:end]; filled on export/import
    # The PlainTextSelection holding the coding: its guid ("" = derived from the coding's
    # guid, one selection per coding), name and Description (the hash is written there only
    # when the selection has no description of its own), and the coding's creationDateTime.
    selection_guid: str = ""
    selection_name: str = ""
    description: str = ""
    created: str = ""  # xsd:dateTime as written in the file ("" = none)


@dataclass
class Memo:
    guid: str
    text: str
    target_guid: str | None = None  # None: the project
    name: str = ""
    author_guid: str | None = None  # a User's guid (the Note's creatingUser)
    created: str = ""  # the Note's creationDateTime as written ("" = none)


VARIABLE_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")
# typeOfVariable -> the element carrying a value of that type
VALUE_ELEMENTS = {"Text": "TextValue", "Boolean": "BooleanValue", "Integer": "IntegerValue",
                  "Float": "FloatValue", "Date": "DateValue", "DateTime": "DateTimeValue"}
_VALUE_FORMS = {
    "Boolean": re.compile(r"^(true|false|1|0)$"),
    "Integer": re.compile(r"^[+-]?\d+$"),
    "Float": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    "Date": re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$"),
    "DateTime": re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"),
}
_DATETIME = _VALUE_FORMS["DateTime"]


def fits(type_of_variable: str, value: str) -> bool:
    """Whether ``value`` (as text) is a valid value of a variable of that type."""
    form = _VALUE_FORMS.get(type_of_variable)
    return form is None or bool(form.match(value.strip()))


@dataclass
class Variable:
    """A typed variable (``typeOfVariable`` one of `VARIABLE_TYPES`); values are carried as
    text in ``Source.attributes`` / ``Case.attributes`` under the variable's name."""

    guid: str
    name: str
    type: str = "Text"
    description: str = ""


@dataclass
class Case:
    guid: str
    name: str = ""
    description: str = ""
    attributes: dict[str, str] = field(default_factory=dict)  # variable name -> value as text
    source_guids: list[str] = field(default_factory=list)  # SourceRef (text or other sources)
    code_guids: list[str] = field(default_factory=list)  # CodeRef
    selection_guids: list[str] = field(default_factory=list)  # SelectionRef, kept as written


@dataclass
class CodeSet:
    """A REFI-QDA ``Set``: a named group of codes, sources and notes."""

    guid: str
    name: str
    description: str = ""
    code_guids: list[str] = field(default_factory=list)
    source_guids: list[str] = field(default_factory=list)
    memo_guids: list[str] = field(default_factory=list)


@dataclass
class OtherSource:
    """A picture, PDF, audio or video source (or any source Flourish cannot code): its
    element exactly as it came (``xml``, in the project namespace) and the archive files it
    names (archive member name -> bytes), written back unchanged on export."""

    guid: str
    name: str
    kind: str  # "PictureSource", "PDFSource", "AudioSource", "VideoSource"
    xml: str
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Project:
    name: str
    sources: list[Source] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    memos: list[Memo] = field(default_factory=list)
    description: str = ""
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sets: list[CodeSet] = field(default_factory=list)
    other_sources: list[OtherSource] = field(default_factory=list)
    # Links and Graphs, kept as written (project namespace) and written back unchanged.
    extra_xml: list[str] = field(default_factory=list)


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


def _parser() -> etree.XMLParser:
    """An XML parser that never resolves entities, loads a DTD or reaches the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def check(project: Project) -> list[str]:
    """Problems that make ``project`` unexportable (dangling references, bad GUIDs, …)."""
    codes = {c.guid: c for c in project.codes}
    texts = {s.guid: s.text for s in project.sources}
    users = {u.guid for u in project.users}
    return (_identity_problems(project) + _code_problems(project.codes, codes)
            + _coding_problems(project.codings, texts, codes, users)
            + _memo_problems(project.memos, set(texts) | set(codes) | {c.guid for c in project.codings}
                             | {o.guid for o in project.other_sources}, users)
            + _group_problems(project))


def _group_problems(project: Project) -> list[str]:
    """Variables, cases and sets: known types, values that fit, references that resolve."""
    problems = []
    types = {}
    for v in project.variables:
        if v.type not in VARIABLE_TYPES:
            problems.append(f"variable {v.name!r}: type {v.type!r} is not one of {', '.join(VARIABLE_TYPES)}")
        if v.name in types:
            problems.append(f"variable {v.name!r}: the name is used twice")
        types[v.name] = v.type
    owners = [(f"source {s.guid}", s.attributes) for s in project.sources] + [
        (f"case {c.guid}", c.attributes) for c in project.cases]
    for owner, attributes in owners:
        for name, value in attributes.items():
            if not fits(types.get(name, "Text"), value):
                problems.append(f"{owner}: {value!r} is not a {types[name]} value of variable {name!r}")
    sources = {s.guid for s in project.sources} | {o.guid for o in project.other_sources}
    codes = {c.guid for c in project.codes}
    memos = {m.guid for m in project.memos}
    for case in project.cases:
        problems += [f"case {case.guid}: source {g} is not in the project" for g in case.source_guids
                     if g not in sources]
        problems += [f"case {case.guid}: code {g} is not in the codebook" for g in case.code_guids if g not in codes]
    for group in project.sets:
        problems += [f"set {group.name!r}: {what} {g} is not in the project"
                     for what, guids, known in (("code", group.code_guids, codes), ("source", group.source_guids,
                                                sources), ("note", group.memo_guids, memos))
                     for g in guids if g not in known]
    selections: dict[str, tuple[str, int, int]] = {}
    for c in project.codings:
        if c.selection_guid:
            at = (c.source_guid, c.start, c.end)
            if selections.setdefault(c.selection_guid, at) != at:
                problems.append(f"coding {c.guid}: selection {c.selection_guid} is used for other text")
        if c.created and not _DATETIME.match(c.created):
            problems.append(f"coding {c.guid}: {c.created!r} is not a date and time")
    problems += [f"{what} {x.guid}: {x.created!r} is not a date and time"
                 for what, items in (("memo", project.memos), ("source", project.sources))
                 for x in items if x.created and not _DATETIME.match(x.created)]
    users = {u.guid for u in project.users}
    problems += [f"source {s.guid}: creating user {s.creating_user} is not a user of the project"
                 for s in project.sources if s.creating_user is not None and s.creating_user not in users]
    for other in project.other_sources:
        root = etree.fromstring(other.xml.encode("utf-8"), _parser())
        problems += [f"source {other.name!r}: code {ref.get('targetGUID')} is not in the codebook"
                     for ref in root.iter(f"{{{NS}}}CodeRef") if _norm_guid(ref.get("targetGUID")) not in codes]
    return problems


def _identity_problems(project: Project) -> list[str]:
    """GUIDs that are malformed or used twice, and text XML cannot carry."""
    problems = []
    items = [("source", s.guid) for s in project.sources] + [("code", c.guid) for c in project.codes] + [
        ("user", u.guid) for u in project.users] + [("coding", c.guid) for c in project.codings] + [
        ("memo", m.guid) for m in project.memos] + [("variable", v.guid) for v in project.variables] + [
        ("case", c.guid) for c in project.cases] + [("set", x.guid) for x in project.sets] + [
        ("source", o.guid) for o in project.other_sources]
    seen = set()
    for kind, guid in items:
        if _norm_guid(guid) != guid:
            problems.append(f"{kind} {guid!r}: not a lower-case GUID")
        if guid in seen:
            problems.append(f"{kind} {guid}: the GUID is used twice")
        seen.add(guid)
    xml_fields = [("project name", project.name), ("project description", project.description)] + [
        (f"source {s.guid} name", s.name) for s in project.sources] + [
        (f"source {s.guid} attribute", f"{k}{v}") for s in project.sources for k, v in s.attributes.items()] + [
        (f"code {c.guid}", c.name + c.description) for c in project.codes] + [
        (f"user {u.guid} name", u.name + u.id) for u in project.users] + [
        (f"memo {m.guid}", m.text + m.name) for m in project.memos] + [
        (f"source {s.guid} description", s.description) for s in project.sources] + [
        (f"coding {c.guid} selection", c.selection_name + c.description) for c in project.codings] + [
        (f"variable {v.guid}", v.name + v.description) for v in project.variables] + [
        (f"case {c.guid}", c.name + c.description + "".join(k + v for k, v in c.attributes.items()))
        for c in project.cases] + [(f"set {x.guid}", x.name + x.description) for x in project.sets]
    problems += [f"{what}: contains characters XML cannot carry" for what, value in xml_fields if XML_BAD.search(value)]
    return problems


def _code_problems(code_list: list[Code], codes: dict[str, Code]) -> list[str]:
    problems = []
    for c in code_list:
        if c.colour and not _RGB.match(c.colour):
            problems.append(f"code {c.name!r}: colour {c.colour!r} is not #rrggbb")
        seen_parents: set[str] = set()
        p = c.parent_guid
        while p is not None:
            if p not in codes:
                problems.append(f"code {c.name!r}: parent {p} is not in the codebook")
                break
            if p in seen_parents or p == c.guid:
                problems.append(f"code {c.name!r}: parents form a cycle")
                break
            seen_parents.add(p)
            p = codes[p].parent_guid
    return problems


def _coding_problems(codings: list[Coding], texts: dict[str, str], codes: dict[str, Code],
                     users: set[str]) -> list[str]:
    problems = []
    for c in codings:
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
    return problems


def _memo_problems(memos: list[Memo], targets: set[str], users: set[str]) -> list[str]:
    problems = []
    for m in memos:
        if m.target_guid is not None and m.target_guid not in targets:
            problems.append(f"memo {m.guid}: target {m.target_guid} is not a source, code or coding")
        if m.author_guid is not None and m.author_guid not in users:
            problems.append(f"memo {m.guid}: author {m.author_guid} is not a user of the project")
    return problems
