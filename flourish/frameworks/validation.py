"""Read and check framework files: YAML, against schema.json, then whole-file rules.

Pure Python (PyYAML, jsonschema, the standard library): no Django, so the command line,
the admin upload and the tests all use the same checks.

Every refusal is a FrameworkError naming the file, the place in it and the problem in
plain English, e.g.::

    vaggers-anderson.yaml: processes[3].items[1].self: is required
    vaggers-anderson.yaml: line 4, column 7: is not valid YAML: mapping values are not allowed here

A place is a path into the document (``processes[3].items[1].self``; indices count
from 0), a line and column (both counted from 1) when the YAML itself cannot be read,
or empty when the problem is the whole file. All problems found are kept, one per
line, in ``FrameworkError.problems``; ``.place`` and ``.problem`` are the first one.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

__all__ = [
    "FrameworkError",
    "Problem",
    "MAX_ITEMS",
    "SCALE_VALUES",
    "load_file",
    "parse",
    "validate",
    "items_by_process",
    "schema",
]

SCHEMA_PATH = Path(__file__).with_name("schema.json")

#: At most this many items in a framework: a rater's questionnaire of about 15 minutes.
MAX_ITEMS = 40
#: Both scales run 1..5 (the scoring rules assume it).
SCALE_VALUES = (1, 2, 3, 4, 5)
#: Framework files are a few dozen kilobytes; anything this big is not one.
MAX_BYTES = 1_000_000
#: Stop listing after this many problems.
MAX_PROBLEMS = 50

KINDS = ("main", "borderline")


class Problem(str):
    """One problem: a string ``"place: problem"`` that also has ``.place`` and ``.problem``."""

    place: str
    problem: str

    def __new__(cls, place: str, problem: str) -> Problem:
        self = super().__new__(cls, f"{place}: {problem}" if place else problem)
        self.place = place
        self.problem = problem
        return self

    def __getnewargs__(self):  # keeps copy/pickle working
        return (self.place, self.problem)


class FrameworkError(Exception):
    """A framework file that cannot be used, and why.

    ``source`` is the file path (or ``'<string>'``), ``place`` and ``problem`` describe
    the first problem, ``problems`` lists every problem found (at least one).
    ``str(error)`` is ``"{source}: {place}: {problem}"`` (no place part when the place
    is empty), one line per problem.
    """

    def __init__(
        self,
        source: str,
        place: str = "",
        problem: str = "",
        problems: Iterable[Problem | tuple[str, str]] | None = None,
    ) -> None:
        listed = [p if isinstance(p, Problem) else Problem(*p) for p in (problems or ())]
        if not listed:
            listed = [Problem(place, problem)]
        self.source = str(source)
        self.problems: list[Problem] = listed
        self.place = listed[0].place
        self.problem = listed[0].problem
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{self.source}: {p}" for p in self.problems)

    def __reduce__(self):
        return (type(self), (self.source, "", "", list(self.problems)))


# ---------------------------------------------------------------------------
# Public API


def load_file(path: str | os.PathLike) -> dict:
    """Read a framework file; return the document as a plain dict or raise FrameworkError."""
    source = os.fspath(path)
    source = source.decode(errors="replace") if isinstance(source, bytes) else source
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise FrameworkError(source, "", "is a folder, not a framework file") from None
    except FileNotFoundError:
        raise FrameworkError(source, "", "cannot be read: there is no such file") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise FrameworkError(source, "", f"cannot be read: {reason}") from None
    return parse(data, source)


def parse(data: bytes | str, source: str = "<string>") -> dict:
    """Parse framework YAML (bytes or text) and validate it; return the document."""
    text = _decode(data, source)
    if not text.strip():
        raise FrameworkError(source, "", "is empty; a framework file needs its fields (slug, name, processes, ...)")
    if len(text) > MAX_BYTES:
        raise FrameworkError(source, "", f"is too large ({len(text)} characters); a framework file is well under 1 MB")
    try:
        # First the node tree only (nothing is constructed), to catch what safe_load
        # lets through silently: a key given twice, and aliases (which can nest a
        # document inside itself).
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        problems = _check_nodes(root) if root is not None else []
        if problems:
            raise FrameworkError(source, problems=problems)
        document = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        raise FrameworkError(source, _mark_place(exc.problem_mark or exc.context_mark), _yaml_problem(exc)) from None
    except yaml.reader.ReaderError as exc:
        raise FrameworkError(
            source,
            _offset_place(text, exc.position),
            f"contains a control character that YAML does not allow ({_char_name(exc.character)})",
        ) from None
    except yaml.YAMLError as exc:  # any other reader/parser complaint without a position
        raise FrameworkError(source, "", f"is not valid YAML: {exc}") from None
    except RecursionError:
        raise FrameworkError(source, "", "is nested too deeply to be a framework file") from None
    if document is None:
        raise FrameworkError(source, "", "is empty; a framework file needs its fields (slug, name, processes, ...)")
    return validate(document, source)


def validate(document: Any, source: str = "<string>") -> dict:
    """Check an already-parsed document against the schema and the whole-file rules.

    Returns the document unchanged, or raises FrameworkError listing the problems.
    """
    if not isinstance(document, dict):
        raise FrameworkError(
            source,
            "",
            "must be a mapping of fields (slug: ..., name: ...) at the top level, "
            f"but it is {_kind_of(document)}",
        )
    try:
        problems = _key_problems(document, [])
        if not problems:
            problems = _schema_problems(document)
        if not problems:
            problems = _whole_file_problems(document)
    except RecursionError:
        raise FrameworkError(source, "", "is nested too deeply to be a framework file") from None
    if problems:
        if len(problems) > MAX_PROBLEMS:
            extra = len(problems) - MAX_PROBLEMS
            problems = problems[:MAX_PROBLEMS] + [Problem("", f"... and {extra} more problems")]
        raise FrameworkError(source, problems=problems)
    return document


def items_by_process(document: dict) -> dict[str, list[str]]:
    """Process id -> its item ids, both in file order."""
    return {process["id"]: [item["id"] for item in process["items"]] for process in document["processes"]}


@lru_cache(maxsize=1)
def schema() -> dict:
    """The JSON Schema of framework files (a fresh copy is not made: do not modify it)."""
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


# ---------------------------------------------------------------------------
# Reading bytes and YAML


def _decode(data: bytes | str, source: str) -> str:
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > MAX_BYTES:
            raise FrameworkError(source, "", f"is too large ({len(data)} bytes); a framework file is well under 1 MB")
        if b"\x00" in data:
            raise FrameworkError(
                source,
                "",
                "is a binary file, not YAML text (it contains NUL bytes); save it as UTF-8 text",
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            place = _offset_place_bytes(data, exc.start)
            raise FrameworkError(
                source,
                place,
                f"is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read); save the file as UTF-8",
            ) from None
    elif isinstance(data, str):
        text = data
        if "\x00" in text:
            raise FrameworkError(source, "", "is a binary file, not YAML text (it contains NUL characters)")
    else:
        raise TypeError(f"parse() needs bytes or str, not {type(data).__name__}")
    return text[1:] if text.startswith("\ufeff") else text


def _mark_place(mark) -> str:
    if mark is None:
        return ""
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _offset_place(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _offset_place_bytes(data: bytes, offset: int) -> str:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return f"line {line}, column {column}"


def _char_name(char: Any) -> str:
    # PyYAML reports the offending character as its code point.
    if isinstance(char, str) and len(char) == 1:
        char = ord(char)
    if isinstance(char, int):
        return f"U+{char:04X}"
    return repr(char)


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    what = exc.problem or "cannot be read"
    context = exc.context or ""
    if "expected a single document" in context:
        return "has a second YAML document (after '---'); a framework file is one document"
    if "'\\t'" in what:
        return f"is not valid YAML: {what} (use spaces, not tabs, to indent)"
    if (
        context
        and exc.context_mark is not None
        and exc.problem_mark is not None
        and exc.context_mark.line != exc.problem_mark.line
    ):
        what += f" ({context} that starts at {_mark_place(exc.context_mark)})"
    elif context and not context.startswith("while scanning for the next token"):
        what += f" ({context})"
    if isinstance(exc, yaml.constructor.ConstructorError):
        return f"uses a YAML feature framework files do not allow: {what}"
    return f"is not valid YAML: {what}"


def _check_nodes(root: yaml.Node) -> list[Problem]:
    """Duplicate keys and aliases, found in the composed node tree."""
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, list]] = [(root, [])]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            problems.append(
                Problem(_format_path(path), "repeats content with a YAML alias (*name); write the content out in full")
            )
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first_line: dict[Any, int] = {}
            children = []
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                line = key_node.start_mark.line + 1
                if key is not None and key in first_line:
                    problems.append(
                        Problem(
                            _format_path(path + [key]),
                            f"is given twice in the same place (lines {first_line[key]} and {line}); keep one",
                        )
                    )
                elif key is not None:
                    first_line[key] = line
                if key_node.tag == "tag:yaml.org,2002:merge":
                    problems.append(
                        Problem(
                            _format_path(path + ["<<"]), "uses a YAML merge key (<<); write the content out in full"
                        )
                    )
                children.append((value_node, path + [key if key is not None else "?"]))
            stack.extend(reversed(children))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed([(child, path + [i]) for i, child in enumerate(node.value)]))
    problems.sort(key=lambda p: _natural_key(p.place))
    return problems


def _natural_key(place: str):
    # Good enough to list problems roughly in file order.
    return [int(part) if part.isdigit() else part for part in place.replace("[", ".").replace("]", "").split(".")]


# ---------------------------------------------------------------------------
# Checks on the parsed document


def _format_path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    name = type(value).__name__
    if name in ("date", "datetime"):
        return "a date"
    return f"a {name}"


def _key_problems(value: Any, path: list) -> list[Problem]:
    """Every mapping key must be text (YAML also allows numbers, true/false, null...)."""
    problems: list[Problem] = []
    stack = [(value, path)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                if not isinstance(key, str):
                    problems.append(
                        Problem(
                            _format_path(where + [_show(key).strip("'")]),
                            "is not a valid key: keys must be text, "
                            f"but this one was read as {_kind_of(key)} (put it in quotes)",
                        )
                    )
                stack.append((child, where + [str(key)]))
        elif isinstance(node, list):
            stack.extend((child, where + [i]) for i, child in enumerate(node))
    return problems


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a mapping (key: value pairs)",
    "boolean": "true or false",
}

_PATTERN_WORDS = {
    "\\S": "must not be empty",
    "^[a-z0-9]+(-[a-z0-9]+)*$": (
        "must use only lowercase letters, digits and single hyphens between them (like 'thinking-systematically')"
    ),
    "^[a-z0-9_-]+$": "must use only lowercase letters, digits, hyphens and underscores (like 'ts1')",
    "^10\\.[0-9]{4,9}/\\S+$": "must be a DOI like 10.1080/13561820.2021.1897553",
    "^https?://\\S+$": "must be a web address starting with https:// or http://",
}


def _schema_problems(document: dict) -> list[Problem]:
    found: list[tuple[list, Problem]] = []
    for error in _validator().iter_errors(document):
        path = list(error.absolute_path)
        for extra_path, problem in _describe(error, path):
            found.append((extra_path, Problem(_format_path(extra_path), problem)))
    found.sort(key=lambda pair: _position(document, pair[0]))
    problems: list[Problem] = []
    places: set[str] = set()
    for _, problem in found:
        if problem.place in places:  # one problem per place: the first is the useful one
            continue
        places.add(problem.place)
        problems.append(problem)
    return problems


def _unknown_fields(allowed: list, instance: Any, path: list) -> list[tuple[list, str]]:
    """Each field the schema does not know, with the nearest known name if one is close."""
    extras = [key for key in instance if key not in allowed]
    out = []
    for key in extras:
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        problem = f"is not a known field (allowed here: {', '.join(allowed)})"
        if hint:
            problem = f"is not a known field; did you mean '{hint[0]}'? (allowed here: {', '.join(allowed)})"
        out.append((path + [key], problem))
    return out


def _wrong_type(value: Any, instance: Any, path: list) -> list[tuple[list, str]]:
    """A value of the wrong type, in words; a hint to quote values YAML read as numbers or dates."""
    if isinstance(value, str):
        wanted = _TYPE_WORDS.get(value, value)
    else:
        wanted = " or ".join(_TYPE_WORDS.get(v, v) for v in value)
    if instance is None and value == "string":
        return [(path, "must not be empty")]
    if instance is None:
        return [(path, f"must be {wanted}, but it is empty")]
    hint = " (put it in quotes)" if value == "string" and isinstance(instance, (bool, int, float)) else ""
    if value == "string" and _kind_of(instance) == "a date":
        hint = " (put it in quotes)"
    return [(path, f"must be {wanted}, not {_kind_of(instance)}{hint}")]


def _describe(error: jsonschema.ValidationError, path: list) -> list[tuple[list, str]]:
    keyword = error.validator
    value = error.validator_value
    instance = error.instance
    if keyword == "required":
        missing = [key for key in value if isinstance(instance, dict) and key not in instance]
        return [(path + [key], "is required") for key in missing]
    if keyword == "additionalProperties":
        return _unknown_fields(list(error.schema.get("properties", {})), instance, path)
    if keyword == "type":
        return _wrong_type(value, instance, path)
    if keyword == "enum":
        allowed = ", ".join(str(v) for v in value)
        return [(path, f"must be one of: {allowed} (it is {_show(instance)})")]
    if keyword == "const":
        if path == ["schema"]:
            return [(path, f"must be {value}, the only framework file format this version of Flourish reads "
                           f"(it is {_show(instance)})")]
        return [(path, f"must be {_show(value)} (it is {_show(instance)})")]
    if keyword == "pattern":
        words = _PATTERN_WORDS.get(value, f"must match the pattern {value}")
        if value == "\\S":
            return [(path, words)]
        return [(path, f"{words}; it is {_show(instance)}")]
    if keyword == "minItems":
        if value == 1:
            return [(path, "must have at least one entry")]
        return [(path, f"must have at least {value} entries (it has {len(instance)})")]
    if keyword == "maxItems":
        return [(path, f"must have at most {value} entries (it has {len(instance)})")]
    if keyword == "maxLength":
        return [(path, f"is too long ({len(instance)} characters; at most {value})")]
    if keyword == "minimum":
        return [(path, f"must be {value} or more (it is {_show(instance)})")]
    if keyword == "uniqueItems":
        return [(path, "must not list the same entry twice")]
    return [(path, error.message)]


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return _kind_of(value)


def _position(document: Any, path: list) -> tuple:
    """Sort key placing a path in file order (missing keys after their siblings)."""
    key: list[int] = []
    node = document
    for part in path:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            key.append(part)
            node = node[part]
        elif isinstance(node, dict) and part in node:
            key.append(list(node).index(part))
            node = node[part]
        else:
            key.append(len(node) if isinstance(node, (list, dict)) else 0)
            node = None
    return tuple(key)


def _between_problems(processes: list) -> list[Problem]:
    """A 'between' only on borderline processes, naming main processes of this file."""
    problems: list[Problem] = []
    kinds: dict[str, str] = {}
    for process in processes:  # a duplicated id counts as its first process
        kinds.setdefault(process["id"], process["kind"])
    main_ids = [pid for pid, kind in kinds.items() if kind == "main"]
    for p, process in enumerate(processes):
        if "between" not in process:
            continue
        if process["kind"] != "borderline":
            problems.append(
                Problem(f"processes[{p}].between", "is only for borderline processes; this process is main")
            )
            continue
        for b, other_id in enumerate(process["between"]):
            place = f"processes[{p}].between[{b}]"
            allowed = ", ".join(main_ids) or "(none in this file)"
            if other_id not in kinds:
                problems.append(
                    Problem(
                        place, f"'{other_id}' is not a process in this file; it must name a main process ({allowed})"
                    )
                )
            elif kinds[other_id] != "main":
                problems.append(
                    Problem(
                        place, f"'{other_id}' is a {kinds[other_id]} process; it must name a main process ({allowed})"
                    )
                )
    return problems


def _whole_file_problems(document: dict) -> list[Problem]:
    """Rules the schema cannot say: unique ids, item total, scales, 'between'."""
    problems: list[Problem] = []

    for scale_key in ("scale", "importance_scale"):
        values = [point["value"] for point in document[scale_key]["points"]]
        if tuple(values) != SCALE_VALUES:
            problems.append(
                Problem(
                    f"{scale_key}.points",
                    "values must be 1, 2, 3, 4, 5, once each and in that order "
                    f"(they are {', '.join(str(v) for v in values)})",
                )
            )

    processes = document["processes"]
    ids_used: dict[str, str] = {}  # id -> place it was first used (process and item ids share one space)
    names_used: dict[str, str] = {}
    for p, process in enumerate(processes):
        place = f"processes[{p}].id"
        if process["id"] in ids_used:
            problems.append(
                Problem(place, f"'{process['id']}' is already used at {ids_used[process['id']]}; ids must be unique")
            )
        else:
            ids_used[process["id"]] = place
        name_place = f"processes[{p}].name"
        folded = process["name"].strip().casefold()
        if folded in names_used:
            problems.append(
                Problem(
                    name_place, f"'{process['name']}' is already used at {names_used[folded]}; names must be unique"
                )
            )
        else:
            names_used[folded] = name_place
    for p, process in enumerate(processes):
        for i, item in enumerate(process["items"]):
            place = f"processes[{p}].items[{i}].id"
            if item["id"] in ids_used:
                problems.append(
                    Problem(
                        place,
                        f"'{item['id']}' is already used at {ids_used[item['id']]}; "
                        "ids must be unique in the whole file",
                    )
                )
            else:
                ids_used[item["id"]] = place

    total = sum(len(process["items"]) for process in processes)
    if total > MAX_ITEMS:
        problems.append(
            Problem(
                "processes",
                f"have {total} items in total; at most {MAX_ITEMS} are allowed, "
                "so the questionnaire takes about 15 minutes",
            )
        )

    problems += _between_problems(processes)
    problems.sort(key=lambda problem: _position(document, _parse_place(problem.place)))
    return problems


def _parse_place(place: str) -> list:
    parts: list = []
    for chunk in place.split("."):
        name, _, rest = chunk.partition("[")
        if name:
            parts.append(name)
        for index in filter(None, rest.replace("]", "").split("[")):
            parts.append(int(index))
    return parts
