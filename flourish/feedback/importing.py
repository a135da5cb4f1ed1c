"""CSV importers for 360° feedback: all-or-nothing, with row- and column-level errors.

- `parse_nominations(data, cycle)` reads a list of people to ask for feedback and returns
  rows ready for `actions.nominate_many` (which adds them in one transaction).
- `import_responses(data, ...)` turns a completed cycle from another source (paper
  surveys, another tool) into a closed cycle with its released report, in one transaction.

Both read the whole file first and collect every problem they find (up to
`MAX_PROBLEMS`); on any problem they raise `ImportProblems` and nothing is saved. Rows are
numbered as a spreadsheet numbers them: the header is row 1, the first person row 2.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from flourish.accounts.models import Organisation
from flourish.frameworks.models import Framework

from . import actions
from .models import DEFAULT_GROUPS, Cycle, Rater, Relationship

MAX_PROBLEMS = 50
MAX_NOMINATIONS = 500
MAX_RESPONDENTS = 5000
MAX_COMMENT = 2000

NOT_UTF8 = "the file is not UTF-8 text; save it as CSV UTF-8"


class ImportProblems(Exception):
    """The file cannot be imported. `problems` lists every problem found, each naming its
    row and column where it has one; nothing has been saved."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _Problems:
    """Collects problems up to MAX_PROBLEMS, then only counts the rest."""

    def __init__(self):
        self.items: list[str] = []
        self.more = 0

    def add(self, message: str):
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(message)
        else:
            self.more += 1

    def __bool__(self):
        return bool(self.items)

    def raise_if_any(self):
        if self.items:
            extra = [f"… and {self.more} more problem{'s' if self.more != 1 else ''}"] if self.more else []
            raise ImportProblems(self.items + extra)


# --- reading a CSV file ----------------------------------------------------------------


def _decode(data: bytes) -> str:
    """Bytes to text, or ImportProblems saying why the file is not UTF-8 CSV text."""
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("data must be bytes")
    data = bytes(data)
    if not data.strip():
        raise ImportProblems(["the file is empty"])
    if data.startswith(b"PK\x03\x04"):
        raise ImportProblems(["the file is a spreadsheet workbook (for example .xlsx), not CSV; "
                              "save it as CSV UTF-8"])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportProblems([NOT_UTF8 + " (it is UTF-16 text)"])
    if b"\x00" in data:
        raise ImportProblems(["the file is binary, not CSV text; save it as CSV UTF-8"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportProblems([f"{NOT_UTF8} (the first character that is not UTF-8 is on line {line})"]) from error
    if not text.strip():
        raise ImportProblems(["the file is empty"])
    return text


def _delimiter(text: str) -> str:
    """Comma, unless the header line has none and uses semicolons or tabs (spreadsheets
    in some languages save "CSV" with semicolons)."""
    first = text.split("\n", 1)[0]
    if "," not in first:
        for candidate in (";", "\t"):
            if candidate in first:
                return candidate
    return ","


@dataclass
class _Table:
    columns: list[str]                      # normalised header names ('' for a blank heading)
    headings: list[str]                     # as written
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)


def _read_table(text: str, problems: _Problems) -> _Table:
    """Header and non-blank rows. Raises at once for a file with no usable header or rows."""
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as error:
        raise ImportProblems([f"the file is not readable as CSV: {error}"]) from error
    records = [[cell.strip() for cell in record] for record in records]
    header_index = next((i for i, r in enumerate(records) if any(r)), None)
    if header_index is None:
        raise ImportProblems(["the file is empty"])
    headings = records[header_index]
    table = _Table(columns=[h.casefold() for h in headings], headings=headings)
    for index, record in enumerate(records[header_index + 1:], start=header_index + 2):
        if any(record):
            table.rows.append((index, record))
    if not table.rows:
        raise ImportProblems(["the file has a header row but no rows of data below it"])
    width = len(headings)
    for number, cells in table.rows:
        extra = [c for c in cells[width:] if c]
        if extra:
            problems.add(f"row {number}: {len(cells)} cells but the header row has {width} columns "
                         f"(extra value {extra[0]!r})")
        for position, name in enumerate(headings):
            if not name and position < len(cells) and cells[position]:
                problems.add(f"row {number}, column {position + 1}: a value under a column with no heading")
    return table


def _cell(cells: list[str], position: int) -> str:
    return cells[position] if position < len(cells) else ""


def _column_problems(table: _Table, required: list[str], optional: list[str]) -> list[str]:
    found = [c for c in table.columns if c]
    messages = []
    duplicated = sorted({c for c in found if found.count(c) > 1})
    if duplicated:
        messages.append("the header row repeats column(s): " + ", ".join(duplicated))
    missing = [c for c in required if c not in found]
    unknown = [h for h, c in zip(table.headings, table.columns) if c and c not in required + optional]
    if missing:
        messages.append("missing column(s): " + ", ".join(missing))
    if unknown:
        messages.append("unknown column(s): " + ", ".join(unknown))
    if missing or unknown:
        allowed = ", ".join(required) + (f" (optional: {', '.join(optional)})" if optional else "")
        messages.append(f"the columns must be: {allowed}")
    return messages


def _positions(table: _Table) -> dict[str, int]:
    return {name: position for position, name in enumerate(table.columns) if name}


# --- shared value rules ----------------------------------------------------------------


def _normalise_words(value: str) -> str:
    return re.sub(r"[\s_\-]+", " ", value).strip().casefold()


def normalise_relationship(value: str) -> str | None:
    """A relationship value or label, in any case ("Line manager", "line_manager"), to its
    stored value; None if it is not one."""
    wanted = _normalise_words(value)
    for choice_value, label in Relationship.choices:
        if wanted in (_normalise_words(choice_value), _normalise_words(label)):
            return choice_value
    return None


def _relationship_problem(value: str) -> str:
    return f"{value!r} is not a relationship; use one of: " + ", ".join(Relationship.values)


def _field_limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# --- 1. bulk nomination ----------------------------------------------------------------

NOMINATION_COLUMNS = ["name", "email", "group", "employer", "relationship"]
NOMINATION_OPTIONAL: list[str] = []


def nominations_template() -> str:
    """A CSV to download and fill in: the header row and one example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(NOMINATION_COLUMNS + NOMINATION_OPTIONAL)
    writer.writerow(["Ann Example", "ann@example.org", DEFAULT_GROUPS[0], "City NHS Trust", "peer"])
    return out.getvalue()


def _check_nominated_email(
    problems: _Problems, where: str, number: int, raw: str, limit: int, seen: dict[str, int], existing: set[str]
) -> None:
    """The email cell of one nomination row: present, valid, and new to the file and to the
    cycle. Records the row of a first use in `seen`."""
    email = raw.lower()
    if not email:
        problems.add(f"{where}, column email: missing email")
        return
    try:
        validate_email(email)
        valid = len(email) <= limit
    except ValidationError:
        valid = False
    if not valid:
        problems.add(f"{where}, column email: {raw!r} is not a valid email address")
    elif email in seen:
        problems.add(f"{where}: duplicate of row {seen[email]} ({email})")
    elif email in existing:
        problems.add(f"{where}, column email: {email} is already on this cycle's list")
    else:
        seen[email] = number


def parse_nominations(data: bytes, cycle) -> list[dict]:
    """Read a CSV of people to ask for feedback on `cycle`.

    Returns one dict per row, keyword arguments for `actions.nominate` (name, email,
    profession, employer, relationship), or raises ImportProblems
    listing every problem by row and column."""
    problems = _Problems()
    table = _read_table(_decode(data), problems)
    header = _column_problems(table, NOMINATION_COLUMNS, NOMINATION_OPTIONAL)
    if header:
        raise ImportProblems(header)
    if len(table.rows) > MAX_NOMINATIONS:
        raise ImportProblems([f"the file has {len(table.rows)} rows of people; at most {MAX_NOMINATIONS} "
                              "can be added at once"])
    problems.raise_if_any()

    at = _positions(table)
    groups = {g.casefold(): g for g in cycle.professional_groups}
    existing = {e.lower() for e in cycle.raters.exclude(email="").values_list("email", flat=True)}
    seen: dict[str, int] = {}
    limits = {"name": _field_limit(Rater, "name"), "employer": _field_limit(Rater, "employer"),
              "email": _field_limit(Rater, "email")}
    rows = []
    for number, cells in table.rows:
        value = {column: _cell(cells, position) for column, position in at.items()}
        where = f"row {number}"
        name, email, employer = value["name"], value["email"].lower(), value["employer"]

        if not name:
            problems.add(f"{where}, column name: missing name")
        elif len(name) > limits["name"]:
            problems.add(f"{where}, column name: longer than {limits['name']} characters")
        if len(employer) > limits["employer"]:
            problems.add(f"{where}, column employer: longer than {limits['employer']} characters")

        _check_nominated_email(problems, where, number, value["email"], limits["email"], seen, existing)

        group = groups.get(value["group"].casefold())
        if not value["group"]:
            problems.add(f"{where}, column group: missing professional group "
                         f"(one of: {', '.join(cycle.professional_groups)})")
        elif group is None:
            problems.add(f"{where}, column group: {value['group']!r} is not a professional group of this "
                         f"cycle ({', '.join(cycle.professional_groups)})")

        relationship = normalise_relationship(value["relationship"])
        if not value["relationship"]:
            problems.add(f"{where}, column relationship: missing relationship "
                         f"(one of: {', '.join(Relationship.values)})")
        elif relationship is None:
            problems.add(f"{where}, column relationship: {_relationship_problem(value['relationship'])}")

        rows.append({
            "name": name, "email": email, "profession": group, "employer": employer,
            "relationship": relationship,
        })
    problems.raise_if_any()
    return rows


# --- 5. import of a completed cycle ----------------------------------------------------

RESPONSE_COLUMNS = ["respondent", "role", "group", "relationship"]
SELF, OTHER = "self", "other"
_NOT_ABLE = {"", "n/a", "na", "not able to observe"}


@dataclass
class Respondent:
    row: int
    label: str
    role: str
    group: str
    relationship: str
    answers: dict[str, int | None]
    comments: dict[str, str]


@dataclass
class ParsedResponses:
    respondents: list[Respondent]

    @property
    def own(self) -> Respondent | None:
        return next((r for r in self.respondents if r.role == SELF), None)

    @property
    def others(self) -> list[Respondent]:
        return [r for r in self.respondents if r.role == OTHER]

    def groups(self) -> list[str]:
        """The default professional groups, then any other group in the file as written."""
        groups = list(DEFAULT_GROUPS)
        for r in self.others:
            if r.group not in groups:
                groups.append(r.group)
        return groups


def _min_k() -> int:
    return Cycle._meta.get_field("min_k").default


def _response_header_problems(
    table: _Table, version, item_ids: list[str], process_ids: list[str], by_item: dict[str, str],
    by_process: dict[str, str],
) -> tuple[list[str], dict[str, int]]:
    """The header row's problems (repeated, missing and unknown columns), and the position
    of each process's comment column."""
    header: list[str] = []
    found = [c for c in table.columns if c]
    duplicated = sorted({c for c in found if found.count(c) > 1})
    if duplicated:
        header.append("the header row repeats column(s): " + ", ".join(duplicated))
    missing = [c for c in RESPONSE_COLUMNS if c not in found]
    if missing:
        header.append("missing column(s): " + ", ".join(missing))
    missing_items = [i for i in item_ids if i.casefold() not in found]
    if missing_items:
        header.append(f"missing item column(s) for {version.slug}: " + ", ".join(missing_items))
    unknown, unknown_comments = [], []
    comment_at: dict[str, int] = {}
    for position, (heading, column) in enumerate(zip(table.headings, table.columns)):
        if not column or column in RESPONSE_COLUMNS or column in by_item:
            continue
        if column.startswith("comment:"):
            process_id = by_process.get(column.split(":", 1)[1].strip())
            if process_id is None:
                unknown_comments.append(heading)
            else:
                comment_at[process_id] = position
        else:
            unknown.append(heading)
    if unknown:
        header.append(f"unknown column(s): {', '.join(unknown)} (not items of {version.slug}; its items "
                      f"are {', '.join(item_ids)})")
    if unknown_comments:
        header.append(f"comment column(s) for unknown processes: {', '.join(unknown_comments)} "
                      f"(use comment:<process id>, one of: {', '.join(process_ids)})")
    return header, comment_at


def _other_rater_fields(
    problems: _Problems, where: str, group: str, relationship_text: str, group_limit: int,
    default_groups: dict[str, str],
) -> tuple[str, str]:
    """An other rater's group (a default group in its own spelling) and relationship ("" if unreadable)."""
    relationship = ""
    if not group:
        problems.add(f"{where}, column group: missing professional group")
    elif len(group) > group_limit:
        problems.add(f"{where}, column group: longer than {group_limit} characters")
    group = default_groups.get(group.casefold(), group)
    if not relationship_text:
        problems.add(f"{where}, column relationship: missing relationship "
                     f"(one of: {', '.join(Relationship.values)})")
    else:
        relationship = normalise_relationship(relationship_text) or ""
        if not relationship:
            problems.add(f"{where}, column relationship: {_relationship_problem(relationship_text)}")
    return group, relationship


def _row_answers(
    problems: _Problems, where: str, cells: list[str], item_at: dict[str, int], item_ids: list[str]
) -> dict[str, int | None]:
    """One row's answers: 1 to 5, or None for not able to observe; at least one answered."""
    answers: dict[str, int | None] = {}
    for item_id, position in item_at.items():
        raw = _cell(cells, position)
        if raw.casefold() in _NOT_ABLE:
            answers[item_id] = None
        elif re.fullmatch(r"[1-5]", raw):
            answers[item_id] = int(raw)
        else:
            problems.add(f"{where}, column {item_id}: {raw!r} is not 1 to 5 "
                         "(leave it empty for not able to observe)")
    if len(answers) == len(item_at) and all(v is None for v in answers.values()):
        problems.add(f"{where}: no item is answered ({item_ids[0]} to {item_ids[-1]} are all empty)")
    return answers


def _row_comments(
    problems: _Problems, where: str, cells: list[str], comment_at: dict[str, int], headings: list[str], role: str
) -> dict[str, str]:
    """One row's comments by process: only from other raters, each within MAX_COMMENT."""
    comments: dict[str, str] = {}
    for process_id, position in comment_at.items():
        text = _cell(cells, position)
        if not text:
            continue
        column = headings[position]
        if role == SELF:
            problems.add(f"{where}, column {column}: the self row cannot have comments "
                         "(comments are kept only from other raters); clear the cell")
        elif len(text) > MAX_COMMENT:
            problems.add(f"{where}, column {column}: the comment is {len(text)} characters; "
                         f"at most {MAX_COMMENT}")
        else:
            comments[process_id] = text
    return comments


def parse_responses(data: bytes, version) -> ParsedResponses:
    """Read a completed cycle's responses for framework `version` (no database writes)."""
    problems = _Problems()
    table = _read_table(_decode(data), problems)
    item_ids = [item for items in version.items_by_process().values() for item in items]
    process_ids = [p["id"] for p in version.processes]
    by_item = {i.casefold(): i for i in item_ids}
    by_process = {p.casefold(): p for p in process_ids}

    header, comment_at = _response_header_problems(table, version, item_ids, process_ids, by_item, by_process)
    if header:
        raise ImportProblems(header)
    if len(table.rows) > MAX_RESPONDENTS:
        raise ImportProblems([f"the file has {len(table.rows)} rows; at most {MAX_RESPONDENTS} can be imported"])
    problems.raise_if_any()

    at = _positions(table)
    item_at = {by_item[c]: p for c, p in at.items() if c in by_item}
    label_limit = _field_limit(Rater, "name")
    group_limit = _field_limit(Rater, "profession")
    default_groups = {g.casefold(): g for g in DEFAULT_GROUPS}
    seen: dict[str, int] = {}
    self_row = None
    respondents = []
    for number, cells in table.rows:
        where = f"row {number}"
        label = _cell(cells, at["respondent"])
        role = _cell(cells, at["role"]).casefold()
        group = _cell(cells, at["group"])
        relationship_text = _cell(cells, at["relationship"])

        if not label:
            problems.add(f"{where}, column respondent: missing respondent id")
        elif len(label) > label_limit:
            problems.add(f"{where}, column respondent: longer than {label_limit} characters")
        elif label.casefold() in seen:
            problems.add(f"{where}, column respondent: {label!r} is a duplicate of row {seen[label.casefold()]}")
        else:
            seen[label.casefold()] = number

        if not role:
            problems.add(f"{where}, column role: missing role (self or other)")
        elif role not in (SELF, OTHER):
            problems.add(f"{where}, column role: {_cell(cells, at['role'])!r} is not self or other")
        elif role == SELF:
            if self_row is not None:
                problems.add(f"{where}, column role: a second self row (row {self_row} is already self); "
                             "a cycle has one leader")
            else:
                self_row = number

        relationship = ""
        if role == OTHER:
            group, relationship = _other_rater_fields(problems, where, group, relationship_text, group_limit,
                                                      default_groups)

        answers = _row_answers(problems, where, cells, item_at, item_ids)
        comments = _row_comments(problems, where, cells, comment_at, table.headings, role)

        respondents.append(Respondent(number, label, role, group, relationship, answers, comments))

    if not problems:
        k = _min_k()
        others = sum(1 for r in respondents if r.role == OTHER)
        if others < k:
            problems.add(f"the file has {others} other respondent{'s' if others != 1 else ''}; a report "
                         f"needs at least {k}, so it could never be released")
    problems.raise_if_any()
    return ParsedResponses(respondents)


def _framework(slug: str, organisation_name: str) -> Framework:
    framework = Framework.objects.filter(slug=slug).select_related("organisation").first()
    if framework is None:
        known = ", ".join(Framework.objects.order_by("slug").values_list("slug", flat=True)) or "none"
        raise ImportProblems([f"unknown framework {slug!r} (known: {known})"])
    if framework.organisation is not None and framework.organisation.name != organisation_name:
        raise ImportProblems([f"framework {slug!r} belongs to another organisation"])
    if framework.latest() is None:
        raise ImportProblems([f"framework {slug!r} has no version loaded"])
    return framework


def import_responses(data: bytes, *, leader_email: str, organisation_name: str, framework_slug: str,
                     title: str | None = None) -> Cycle:
    """Create a closed cycle, with its report released, from a file of completed responses.

    The file is read and checked here; the writes are one transaction in
    `actions.import_closed_cycle` (the organisation and the leader, with a leader
    membership, are created if they do not exist; the cycle closes through the real
    `actions.close`). Raises ImportProblems, saving nothing, on any problem."""
    leader_email = (leader_email or "").strip().lower()
    organisation_name = (organisation_name or "").strip()
    setup = []
    try:
        validate_email(leader_email)
    except ValidationError:
        setup.append(f"the leader's email {leader_email!r} is not a valid email address")
    if not organisation_name:
        setup.append("the organisation name is missing")
    elif len(organisation_name) > _field_limit(Organisation, "name"):
        setup.append(f"the organisation name is longer than {_field_limit(Organisation, 'name')} characters")
    title = (title or "").strip() or f"Imported feedback, {timezone.localdate():%-d %B %Y}"
    if len(title) > _field_limit(Cycle, "title"):
        setup.append(f"the title is longer than {_field_limit(Cycle, 'title')} characters")
    if setup:
        raise ImportProblems(setup)
    version = _framework(framework_slug, organisation_name).latest()
    parsed = parse_responses(data, version)

    try:
        return actions.import_closed_cycle(
            leader_email=leader_email, organisation_name=organisation_name, version=version, title=title,
            own_answers=parsed.own.answers if parsed.own is not None else None,
            others=[(r.group, r.relationship, r.answers, r.comments) for r in parsed.others],
            groups=parsed.groups(),
        )
    except actions.NotAllowed as problem:
        raise ImportProblems([str(problem)]) from None
