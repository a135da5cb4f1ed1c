"""How Flourish carries what REFI-QDA has no field for inside ``<Description>`` text, readably
for people using other tools and exactly re-parseably for Flourish.

A code's description::

    <definition>

    When to use:
    <inclusion>

    When not to use:
    <exclusion>

    Examples:
    - <example>
    - <example>

    Flourish process: <process id>

Empty parts are left out (a code with only a definition exports just the definition). A
heading is a line that is exactly one of the headings above, at the start of the line.
Inside the free-text parts a line that would read as a heading gets one extra leading space
on export and loses it on import, so any text survives the round trip. An example is one
line (line breaks inside an example become spaces). A description written by another tool
without these headings is read as the definition.

A project's description ends, in the same way, with ``Flourish framework: <slug> <version>``
when the project's codebook was seeded from a framework.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

USE, NOT_USE, EXAMPLES = "When to use:", "When not to use:", "Examples:"
_PROCESS = re.compile(r"^Flourish process: (\S+)$")
_FRAMEWORK = re.compile(r"^Flourish framework: (\S+) (\d+)$")
_TRAILERS = r"Flourish process: \S+|Flourish framework: \S+ \d+"
_HEADING = re.compile(rf"^( *)({re.escape(USE)}|{re.escape(NOT_USE)}|{re.escape(EXAMPLES)}|{_TRAILERS})$")
_ESCAPED = re.compile(rf"^ ( *)({re.escape(USE)}|{re.escape(NOT_USE)}|{re.escape(EXAMPLES)}|{_TRAILERS})$")
_SLUG = re.compile(r"^\S+$")


@dataclass
class CodeNotes:
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    examples: list[str] = field(default_factory=list)
    process_id: str = ""


def _escape(text: str) -> str:
    return "\n".join(" " + line if _HEADING.match(line) else line for line in text.strip().split("\n"))


def _unescape(lines: list[str]) -> str:
    return "\n".join(line[1:] if _ESCAPED.match(line) else line for line in lines).strip()


def code_description(notes: CodeNotes) -> str:
    """The ``<Description>`` of a code (see the module docstring)."""
    parts = []
    if notes.definition.strip():
        parts.append(_escape(notes.definition))
    if notes.inclusion.strip():
        parts.append(f"{USE}\n{_escape(notes.inclusion)}")
    if notes.exclusion.strip():
        parts.append(f"{NOT_USE}\n{_escape(notes.exclusion)}")
    examples = [re.sub(r"[\r\n]+", " ", e).strip() for e in notes.examples]
    if any(examples):
        parts.append(EXAMPLES + "".join(f"\n- {e}" for e in examples if e))
    if notes.process_id and _SLUG.match(notes.process_id):
        parts.append(f"Flourish process: {notes.process_id}")
    return "\n\n".join(parts)


def parse_code_description(description: str) -> CodeNotes:
    """The inverse of `code_description`; any other text becomes the definition."""
    sections: dict[str, list[str]] = {"definition": [], USE: [], NOT_USE: [], EXAMPLES: []}
    order = list(sections)
    notes = CodeNotes()
    current: str | None = "definition"
    for line in (description or "").split("\n"):
        process = _PROCESS.match(line)
        if process and not notes.process_id:
            notes.process_id, current = process.group(1), None
        elif line in (USE, NOT_USE, EXAMPLES) and (current is None or order.index(line) > order.index(current)) \
                and not sections[line]:
            current = line
        elif current is not None:
            sections[current].append(line)
        elif line.strip():  # text after the process line: keep it with the definition
            sections["definition"].append(line)
    notes.definition = _unescape(sections["definition"])
    notes.inclusion = _unescape(sections[USE])
    notes.exclusion = _unescape(sections[NOT_USE])
    for line in sections[EXAMPLES]:
        line = line.strip()
        if line:
            notes.examples.append(line[2:].strip() if line.startswith("- ") else line)
    return notes


def project_description(description: str, framework_slug: str = "", framework_version: int | None = None) -> str:
    """A project's ``<Description>``: its own text, then the framework line if any."""
    parts = [_escape(description)] if description.strip() else []
    if framework_slug and framework_version is not None and _SLUG.match(framework_slug):
        parts.append(f"Flourish framework: {framework_slug} {framework_version}")
    return "\n\n".join(parts)


def parse_project_description(description: str) -> tuple[str, str, int | None]:
    """(description, framework slug or "", framework version or None)."""
    lines, slug, version = [], "", None
    for line in (description or "").split("\n"):
        found = _FRAMEWORK.match(line)
        if found and not slug:
            slug, version = found.group(1), int(found.group(2))
        else:
            lines.append(line)
    return _unescape(lines), slug, version
