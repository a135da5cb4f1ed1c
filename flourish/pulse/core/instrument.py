"""Read and check a team integration pulse file (JSON), naming the place of every problem.

Like framework files (``flourish/frameworks/validation.py``), every refusal is a
``PulseError`` whose ``problems`` are ``"place: problem"`` strings, the place a path into
the document (``items[3].domain``; indices count from 0) or empty for the whole file::

    pulse-v1.json: items[3].domain: "rolez" is not one of the domains (purpose, roles, ...)

All problems are collected before refusing, so one run shows every one of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DATA_DIR",
    "Instrument",
    "Item",
    "LICENCE",
    "MAX_ITEMS",
    "PulseError",
    "ROLE_ITEMS",
    "latest_path",
    "load_file",
    "parse",
    "validate",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
#: The pulse is open: anyone may reuse and adapt the items with attribution.
LICENCE = "CC BY 4.0"
#: At most this many team items, so the whole pulse stays under five minutes on a phone
#: (the role ratings and the collaboration map come on top).
MAX_ITEMS = 20
#: Each respondent rates each other profession on this many items (issue 15: 4–6).
ROLE_ITEMS = (4, 6)
#: A role wording names the profession being rated here.
PLACEHOLDER = "{profession}"
MAX_TEXT = 200
MAX_BYTES = 200_000

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TOP = ("slug", "name", "version", "status", "licence", "provenance", "scale", "domains", "items",
        "role_ratings", "collaboration_map")


class PulseError(Exception):
    """A pulse file that cannot be used; ``problems`` lists every ``"place: problem"`` found."""

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems = list(problems) or ["is not a usable pulse file"]
        super().__init__("\n".join(f"{source}: {p}" for p in self.problems))


@dataclass(frozen=True)
class Item:
    id: str
    domain: str
    text: str
    role_text: str | None


@dataclass(frozen=True)
class Instrument:
    """A checked pulse version; ``document`` is the file as read, for storing unchanged."""

    slug: str
    version: int
    items: tuple[Item, ...]
    domains: tuple[str, ...]
    scale_values: tuple[int, ...]
    role_items: tuple[str, ...]
    frequency_values: tuple[int, ...]
    frequency_labels: tuple[str, ...]
    document: Mapping[str, Any]

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)


def latest_path() -> Path:
    """The shipped pulse file with the highest version number."""
    found = sorted(DATA_DIR.glob("pulse-v*.json"), key=lambda p: int(p.stem.rsplit("v", 1)[1]))
    return found[-1]


def load_file(path: str | Path) -> Instrument:
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise PulseError(source, ["cannot be read: there is no such file"]) from None
    except OSError as exc:
        raise PulseError(source, [f"cannot be read: {exc.strerror or exc}"]) from None
    return parse(data, Path(path).name)


def parse(data: bytes | str, source: str = "<string>") -> Instrument:
    if len(data) > MAX_BYTES:
        raise PulseError(source, [f"is too large ({len(data)} bytes); a pulse file is well under 200 KB"])
    duplicates: list[str] = []

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    try:
        document = json.loads(data, object_pairs_hook=no_duplicates)
    except UnicodeDecodeError:
        raise PulseError(source, ["is not UTF-8 text"]) from None
    except json.JSONDecodeError as exc:
        raise PulseError(source, [f"line {exc.lineno}, column {exc.colno}: is not valid JSON: {exc.msg}"]) from None
    if duplicates:
        # json keeps the last of two equal keys without a word; a file that says two things is refused
        raise PulseError(source, [f'"{key}": is given twice in the same object' for key in duplicates])
    return validate(document, source)


def validate(document: object, source: str = "<string>") -> Instrument:
    """Check a parsed pulse document; return the Instrument or raise PulseError with every problem."""
    problems: list[str] = []
    if not isinstance(document, dict):
        raise PulseError(source, ["must be a JSON object with slug, name, version, items, ..."])
    _keys(document, "", _TOP, _TOP, problems)
    slug = _text(document, "", "slug", problems)
    if slug and not _SLUG.match(slug):
        problems.append(f'slug: "{slug}" must be lower case letters, digits and single hyphens')
    for key in ("name", "status", "provenance"):
        _text(document, "", key, problems, limit=1000)
    version = document.get("version")
    if not (isinstance(version, int) and not isinstance(version, bool) and version >= 1):
        problems.append("version: must be a whole number from 1")
    _licence(document.get("licence"), problems)
    scale = _scale(document.get("scale"), problems)
    domains = _domains(document.get("domains"), problems)
    items = _items(document.get("items"), domains, problems)
    role_items = _role_ratings(document.get("role_ratings"), items, problems)
    freq_values, freq_labels = _frequency(document.get("collaboration_map"), problems)
    if problems:
        raise PulseError(source, problems)
    assert isinstance(version, int) and slug is not None
    return Instrument(slug, version, tuple(items), tuple(domains), scale, role_items, freq_values, freq_labels,
                      document)


# ---------------------------------------------------------------------------


def _at(place: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{place}[{key}]"
    return f"{place}.{key}" if place else key


def _keys(obj: Mapping[str, Any], place: str, required: Sequence[str], allowed: Sequence[str],
          problems: list[str]) -> None:
    for key in required:
        if key not in obj:
            problems.append(f"{_at(place, key)}: is required")
    for key in obj:
        if key not in allowed:
            problems.append(f"{_at(place, key)}: is not a known field (known: {', '.join(allowed)})")


def _text(obj: Mapping[str, Any], place: str, key: str, problems: list[str], *, limit: int = MAX_TEXT) -> str | None:
    value = obj.get(key)
    where = _at(place, key)
    if value is None:
        return None  # a missing required key is reported by _keys
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: must be some text")
        return None
    if len(value) > limit:
        problems.append(f"{where}: is {len(value)} characters; keep it to {limit}")
    return value


def _list(value: object, place: str, problems: list[str]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list) or not value:
        problems.append(f"{place}: must be a non-empty list")
        return []
    return value


def _licence(value: object, problems: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        problems.append("licence: must be an object with name, url and attribution")
        return
    _keys(value, "licence", ("name", "url", "attribution"), ("name", "url", "attribution"), problems)
    if "name" in value and value["name"] != LICENCE:
        problems.append(f'licence.name: must be "{LICENCE}" (the pulse is open), not "{value["name"]}"')
    for key in ("url", "attribution"):
        _text(value, "licence", key, problems)


def _scale(value: object, problems: list[str]) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        problems.append("scale: must be an object with values and labels")
        return ()
    _keys(value, "scale", ("values", "labels"), ("values", "labels", "not_able_to_say"), problems)
    values = _list(value.get("values"), "scale.values", problems)
    labels = _list(value.get("labels"), "scale.labels", problems)
    ints = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    if values and (len(ints) != len(values) or ints != list(range(1, len(ints) + 1)) or len(ints) < 3):
        problems.append("scale.values: must be the whole numbers 1, 2, 3, ... in order (at least 3)")
    if values and labels and len(labels) != len(values):
        problems.append(f"scale.labels: has {len(labels)} labels for {len(values)} values")
    for i, label in enumerate(labels):
        if not isinstance(label, str) or not label.strip():
            problems.append(f"scale.labels[{i}]: must be some text")
    if "not_able_to_say" in value:
        _text(value, "scale", "not_able_to_say", problems)
    return tuple(ints)


def _domains(value: object, problems: list[str]) -> list[str]:
    ids: list[str] = []
    for i, domain in enumerate(_list(value, "domains", problems)):
        place = f"domains[{i}]"
        if not isinstance(domain, dict):
            problems.append(f"{place}: must be an object with id, name and description")
            continue
        _keys(domain, place, ("id", "name", "description"), ("id", "name", "description"), problems)
        did = _text(domain, place, "id", problems)
        _text(domain, place, "name", problems)
        _text(domain, place, "description", problems, limit=400)
        if did is None:
            continue
        if not _SLUG.match(did):
            problems.append(f'{place}.id: "{did}" must be lower case letters, digits and single hyphens')
        if did in ids:
            problems.append(f'{place}.id: "{did}" is used by another domain')
        ids.append(did)
    return ids


def _items(value: object, domains: list[str], problems: list[str]) -> list[Item]:
    raw = _list(value, "items", problems)
    if len(raw) > MAX_ITEMS:
        problems.append(f"items: has {len(raw)} items; at most {MAX_ITEMS} keep the pulse under five minutes")
    items: list[Item] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        place = f"items[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{place}: must be an object with id, domain and text")
            continue
        _keys(entry, place, ("id", "domain", "text"), ("id", "domain", "text", "role_text"), problems)
        iid = _text(entry, place, "id", problems)
        domain = _text(entry, place, "domain", problems)
        text = _text(entry, place, "text", problems)
        role_text = _text(entry, place, "role_text", problems) if "role_text" in entry else None
        if iid is not None:
            if iid in seen:
                problems.append(f'{place}.id: "{iid}" is used by another item')
            seen.add(iid)
        if domain is not None and domains and domain not in domains:
            problems.append(f'{place}.domain: "{domain}" is not one of the domains ({", ".join(domains)})')
        if role_text is not None and PLACEHOLDER not in role_text:
            problems.append(f"{place}.role_text: must name the profession being rated as {PLACEHOLDER}")
        if text is not None and PLACEHOLDER in text:
            problems.append(f"{place}.text: is about the whole team; {PLACEHOLDER} belongs in role_text")
        if iid is not None and domain is not None and text is not None:
            items.append(Item(iid, domain, text, role_text))
    used = {item.domain for item in items}
    for i, did in enumerate(domains):
        if did not in used:
            problems.append(f'domains[{i}]: "{did}" has no items')
    return items


def _role_ratings(value: object, items: list[Item], problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        problems.append("role_ratings: must be an object with prompt and items")
        return ()
    _keys(value, "role_ratings", ("prompt", "items"), ("prompt", "items"), problems)
    _text(value, "role_ratings", "prompt", problems, limit=400)
    chosen = _list(value.get("items"), "role_ratings.items", problems)
    low, high = ROLE_ITEMS
    if chosen and not low <= len(chosen) <= high:
        problems.append(f"role_ratings.items: has {len(chosen)} items; role-to-role ratings use {low} to {high}")
    by_id = {item.id: item for item in items}
    ids: list[str] = []
    for i, iid in enumerate(chosen):
        place = f"role_ratings.items[{i}]"
        if not isinstance(iid, str):
            problems.append(f"{place}: must be an item id")
            continue
        if iid in ids:
            problems.append(f'{place}: "{iid}" is listed twice')
        elif iid not in by_id:
            if by_id:
                problems.append(f'{place}: "{iid}" is not an item id')
        elif by_id[iid].role_text is None:
            problems.append(f'{place}: item "{iid}" has no role_text to ask about another profession')
        ids.append(iid)
    return tuple(ids)


def _frequency(value: object, problems: list[str]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    if not isinstance(value, dict):
        problems.append("collaboration_map: must be an object with prompt and scale")
        return (), ()
    _keys(value, "collaboration_map", ("prompt", "scale"), ("prompt", "scale"), problems)
    _text(value, "collaboration_map", "prompt", problems, limit=400)
    values: list[int] = []
    labels: list[str] = []
    for i, step in enumerate(_list(value.get("scale"), "collaboration_map.scale", problems)):
        place = f"collaboration_map.scale[{i}]"
        if not isinstance(step, dict):
            problems.append(f"{place}: must be an object with value and label")
            continue
        _keys(step, place, ("value", "label"), ("value", "label"), problems)
        v = step.get("value")
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v != i):
            problems.append(f"{place}.value: must be {i} (the steps count up from 0, never, in order)")
        label = _text(step, place, "label", problems)
        values.append(i)
        labels.append(label or "")
    if values and len(values) < 3:
        problems.append("collaboration_map.scale: needs at least 3 steps, from never upwards")
    return tuple(values), tuple(labels)
