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
    author_guid: str | None = None  # a User's guid (the Note's creatingUser)


@dataclass
class Project:
    name: str
    sources: list[Source] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    memos: list[Memo] = field(default_factory=list)
    description: str = ""


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
            + _memo_problems(project.memos, set(texts) | set(codes) | {c.guid for c in project.codings}, users))


def _identity_problems(project: Project) -> list[str]:
    """GUIDs that are malformed or used twice, and text XML cannot carry."""
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
    xml_fields = [("project name", project.name), ("project description", project.description)] + [
        (f"source {s.guid} name", s.name) for s in project.sources] + [
        (f"source {s.guid} attribute", f"{k}{v}") for s in project.sources for k, v in s.attributes.items()] + [
        (f"code {c.guid}", c.name + c.description) for c in project.codes] + [
        (f"user {u.guid} name", u.name + u.id) for u in project.users] + [
        (f"memo {m.guid}", m.text + m.name) for m in project.memos]
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
