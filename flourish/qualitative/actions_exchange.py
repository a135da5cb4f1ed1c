"""Import of REFI-QDA files into the database (the writes of exchange; export, the report and
the error types are in `exchange`).

Import (`import_qdpx` makes a new project, `import_qdc` adds codes to one) is all or
nothing: the file is read completely first (`NotAllowed` if it cannot be), then everything
is saved in one transaction; a file beyond `IMPORT_LIMITS` is refused before anything is
saved. GUIDs, positions and text hashes are kept, and so is everything else the file
carries (selections, dates, typed variables, cases, sets, stored non-text sources: see the
`models` docstring). What cannot be kept
is listed in the `ExchangeReport` with a reason. Users become layers:

- ``flourish:consensus`` / ``flourish:assistant`` -> the project's consensus / assistant layer;
- the first user whose name equals (ignoring case) the importing person's full name or
  email -> that person's own layer (they become the project's lead);
- everyone else -> an imported layer with the user's name and GUID; codings without a
  coder go on one imported layer called "Unattributed".

A code keeps the framework process named in its description; a code without one whose
name is exactly a process's name is linked to that process (of the framework the file
names, else the default framework), each process at most once. The project takes that
framework when any code is linked to it. Speaker turns are found again in each text
(`core.sources.find_turns`), so turn-mode coding works on imported sources.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile

from django.db import transaction
from django.db.models import Count, Max

from flourish.frameworks.models import FrameworkVersion
from flourish.frameworks.selectors import default_version

from . import actions, selectors
from .actions import ATTRIBUTE_MAX, NotAllowed
from .core import refiqda as qda
from .core.sources import DEFAULT_LIMIT as SOURCE_LIMIT
from .core.sources import FORMATS, find_turns
from .exchange import (
    LAYER_ID,
    PROJECT_NAME_MAX,
    UNATTRIBUTED,
    ExchangeReport,
    FileUnreadable,
    _file_error,
    parse_when,
)
from .models import Case, Code, Coder, CoderKind, CodeSet, Coding, Memo, Source, Speaker, StoredSource, text_hash

_COLOUR = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
# What one uploaded file may hold (codes, nesting, sources, characters, codings, bytes of
# picture/PDF/audio/video files); beyond any of them the file is refused and nothing saved.
IMPORT_LIMITS = qda.DEFAULT_LIMITS


# --- import: codes --------------------------------------------------------------------------


def _framework(slug: str, version: int | None, report: ExchangeReport):
    """The framework the file names, else the default one (None if not installed)."""
    if slug:
        found = FrameworkVersion.objects.filter(framework__slug=slug, version=version).first()
        if found is not None:
            return found
        report.warnings.append(f"The file was coded with framework {slug} version {version}, which is not "
                               "installed here; codes are matched against the default framework instead.")
    return default_version()


def _colour(value: str | None) -> str:
    if not value or not _COLOUR.match(value):
        return ""
    return value if len(value) == 7 else "#" + "".join(ch * 2 for ch in value[1:])


def _add_codes(project, user, parsed_codes, report, framework_version, existing: dict) -> list[Code]:
    """Create `parsed_codes` (parents first), linking framework processes; `existing` maps
    guid -> Code already in the project (such codes are skipped, and can be parents)."""
    processes = {p["id"]: p["name"] for p in framework_version.processes} if framework_version else {}
    by_name = {name: pid for pid, name in processes.items()}
    used = set(project.codes.exclude(process_id="").values_list("process_id", flat=True))
    top = project.codes.aggregate(m=Max("order"))["m"]
    order = 0 if top is None else top + 1
    made = []
    for item in parsed_codes:
        if item.guid in existing:
            report.skip("code", item.name, "the codebook already has this code (same GUID); kept as it is")
            continue
        notes = qda.parse_code_description(item.description)
        process_id = notes.process_id[:100]
        if process_id and process_id in used:
            report.warnings.append(f"Code “{item.name}”: another code already stands for process {process_id}; "
                                   "this one is kept as an emergent code.")
            process_id = ""
        elif process_id and processes and process_id not in processes:
            report.warnings.append(f"Code “{item.name}”: process {process_id} is not in {framework_version}.")
        if not process_id and by_name.get(item.name) and by_name[item.name] not in used:
            process_id = by_name[item.name]
        used.add(process_id)
        name = item.name.strip()[:200] or "Unnamed code"
        if name != item.name:
            report.warnings.append(f"Code “{item.name[:60]}” is called “{name[:60]}” here (names are at most "
                                   "200 characters and cannot be empty).")
        code = Code.objects.create(
            project=project, parent=existing.get(item.parent_guid), name=name, definition=notes.definition,
            inclusion=notes.inclusion, exclusion=notes.exclusion, examples=notes.examples, process_id=process_id,
            colour=_colour(item.colour), order=order, guid=uuid.UUID(item.guid), created_by=user,
            is_codable=item.is_codable,
        )
        order += 1
        existing[item.guid] = code
        made.append(code)
    return made


def import_qdc(data: bytes, project, user=None) -> tuple[list[Code], ExchangeReport]:
    """Add a .qdc codebook's codes to `project`. Codes whose GUID the project already has are
    skipped (and reported); a new code under one of them becomes its sub-code."""
    try:
        parsed, core_report = qda.import_qdc(data, limits=IMPORT_LIMITS)
    except qda.QdaError as error:
        raise _file_error(error) from None
    report = ExchangeReport.from_core(core_report)
    if not parsed.codes:
        raise FileUnreadable("The codebook has no codes to add.")
    with transaction.atomic():
        existing = {str(c.guid): c for c in project.codes.all()}
        new = sum(1 for c in parsed.codes if c.guid not in existing)
        if len(existing) + new > IMPORT_LIMITS.codes:
            raise FileUnreadable(f"The codebook would have {len(existing) + new:,} codes, more than the limit of "
                                 f"{IMPORT_LIMITS.codes:,}; nothing was added.")
        made = _add_codes(project, user, parsed.codes, report, project.framework_version, existing)
        sets = _sets(project, parsed, {str(c.guid): c for c in project.codes.all()}, {}, {}, report)
    report.counts = {"codes": len(made)}
    if sets:
        report.counts["sets"] = sets
    return made, report


# --- import: a whole project ----------------------------------------------------------------


def _matches(user, name: str) -> bool:
    wanted = (name or "").strip().casefold()
    return bool(wanted) and wanted in {(user.get_full_name() or "").strip().casefold(), user.email.casefold()}


def _layers(project, users, importer) -> dict[str, Coder]:
    """guid -> layer for every user of the file (see the module docstring)."""
    layers: dict[str, Coder] = {}
    special = {LAYER_ID + CoderKind.CONSENSUS: project.consensus, LAYER_ID + CoderKind.ASSISTANT: project.assistant}
    mine = None
    for u in users:
        name = u.name.strip()[:200] or f"Coder {u.guid[:8]}"
        if u.id in special:
            coder = special.pop(u.id)()
            coder.external_id = ""
        elif importer is not None and mine is None and _matches(importer, u.name):
            coder = mine = selectors.person_layer(project, importer)
        else:
            coder = Coder(project=project, kind=CoderKind.IMPORTED, name=name)
        if coder.kind != CoderKind.PERSON:
            coder.name = name
        if coder.kind == CoderKind.IMPORTED or not u.id.startswith(LAYER_ID):
            coder.external_id = u.id[:200]  # written back as it came (``flourish:person`` included)
        coder.guid = uuid.UUID(u.guid)
        coder.save()
        layers[u.guid] = coder
    return layers


def _unique_name(name: str, taken: set[str], report) -> str:
    base = (name or "").strip()[:240] or "Source"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base} ({n})"
    if candidate != name:
        report.warnings.append(f"Source “{name}” is called “{candidate}” here (names must be unique and not empty).")
    taken.add(candidate)
    return candidate


def _attributes(source, report) -> dict:
    kept = {}
    for key, value in source.attributes.items():
        key, value = key.strip(), value.strip()
        if not key or len(key) > ATTRIBUTE_MAX or len(value) > ATTRIBUTE_MAX:
            report.skip("attribute", f"{source.name}: {key[:40]}",
                        f"attribute names and values must be 1–{ATTRIBUTE_MAX} characters")
        elif value:
            kept[key] = value
    return kept


def _sources(project, user, parsed, report, layers) -> dict[str, Source]:
    taken: set[str] = set()
    built = []
    for s in parsed.sources:
        if "\x00" in s.text:
            report.skip("source", s.name or s.guid, "the text contains NUL characters (is it a binary file?)")
            continue
        if len(s.text.encode("utf-8")) > SOURCE_LIMIT:
            report.skip("source", s.name or s.guid, f"the text is larger than {SOURCE_LIMIT:,} bytes, the limit "
                                                    "for a transcript")
            continue
        ext = s.name.rsplit(".", 1)[-1].lower() if "." in s.name else ""
        turns = find_turns(s.text)
        built.append(Source(
            project=project, name=_unique_name(s.name, taken, report), text=s.text, format=FORMATS.get(ext, "txt"),
            turns=[[t.start, t.end, t.body, t.speaker] for t in turns], attributes=_attributes(s, report),
            text_hash=text_hash(s.text), guid=uuid.UUID(s.guid), imported_by=user, description=s.description,
            origin_layer=layers.get(s.creating_user) if s.creating_user else None,
            origin_created=parse_when(s.created),
        ))
    Source.objects.bulk_create(built)
    speakers = {t[3][:100] for source in built for t in source.turns if t[3]}
    Speaker.objects.bulk_create([Speaker(project=project, name=n) for n in sorted(speakers)], ignore_conflicts=True)
    return {str(s.guid): s for s in project.sources.all()}


def _codings(project, parsed, layers, sources, codes, report) -> dict[str, Coding]:
    built, seen = [], set()
    for c in parsed.codings:
        if c.source_guid not in sources:
            report.skip("coding", c.guid, "its source was left out")
            continue
        if c.coder_guid is None or c.coder_guid not in layers:
            if UNATTRIBUTED not in layers:
                layers[UNATTRIBUTED] = Coder.objects.create(project=project, kind=CoderKind.IMPORTED,
                                                            name=UNATTRIBUTED)
            coder = layers[UNATTRIBUTED]
        else:
            coder = layers[c.coder_guid]
        key = (coder.pk, c.source_guid, c.code_guid, c.start, c.end)
        if c.start >= c.end:
            report.skip("coding", c.guid, "an empty selection (start and end are the same)")
        elif key in seen:
            report.skip("coding", c.guid, f"{coder.name} already has this code on the same text")
        else:
            seen.add(key)
            built.append(Coding(source=sources[c.source_guid], code=codes[c.code_guid], coder=coder, start=c.start,
                                end=c.end, text_hash=c.text_hash, guid=uuid.UUID(c.guid), created_by=coder.user,
                                selection_guid=uuid.UUID(c.selection_guid) if c.selection_guid else None,
                                selection_name=c.selection_name[:255], description=c.description))
            built[-1].file_created = parse_when(c.created)
    Coding.objects.bulk_create(built, batch_size=500)
    _keep_dates(Coding, built)
    return {str(c.guid): c for c in Coding.objects.filter(source__project=project)}


def _keep_dates(model, built) -> None:
    """Set `created` to the file's creationDateTime (auto_now_add filled it on create)."""
    dated = [obj for obj in built if getattr(obj, "file_created", None) is not None]
    for obj in dated:
        obj.created = obj.file_created
    model.objects.bulk_update(dated, ["created"], batch_size=500)


def _memos(project, parsed, layers, targets: dict, report, stored: set[str]) -> int:
    built = []
    for m in parsed.memos:
        if not m.text.strip():
            report.skip("memo", m.name or m.guid, "the memo is empty")
            continue
        target = targets.get(m.target_guid)
        if m.target_guid is not None and target is None and m.target_guid not in stored:
            report.warnings.append(f"Memo “{m.name or m.text[:40]}”: what it was about was not imported; "
                                   "it is a memo on the project.")
        author = layers.get(m.author_guid) if m.author_guid else None
        memo = Memo(project=project, name=m.name.strip()[:200], text=m.text, guid=uuid.UUID(m.guid),
                    author=author.user if author is not None and author.kind == CoderKind.PERSON else None,
                    author_layer=author)
        memo.file_created = parse_when(m.created)
        if target is not None:
            setattr(memo, {Code: "code", Source: "source", Coding: "coding"}[type(target)], target)
        built.append(memo)
    Memo.objects.bulk_create(built)
    _keep_dates(Memo, built)
    return len(built)


def _stored_sources(project, parsed, report) -> dict[str, StoredSource]:
    """Picture, PDF, audio and video sources, kept as they came (element and files)."""
    built = []
    for order, o in enumerate(parsed.other_sources):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for member, data in o.files.items():
                z.writestr(member, data)
        built.append(StoredSource(project=project, guid=uuid.UUID(o.guid), name=o.name[:255], kind=o.kind,
                                  element=o.xml, files=buf.getvalue(), size=sum(len(d) for d in o.files.values()),
                                  order=order))
    StoredSource.objects.bulk_create(built)
    return {str(s.guid): s for s in built}


def _cases(project, parsed, sources, codes, stored, report) -> int:
    for order, c in enumerate(parsed.cases):
        case = Case.objects.create(project=project, guid=uuid.UUID(c.guid), name=c.name[:255],
                                   description=c.description, attributes=dict(c.attributes), order=order,
                                   stored_refs=[g for g in c.source_guids if g in stored],
                                   selection_refs=list(c.selection_guids))
        left = [g for g in c.source_guids if g not in sources and g not in stored]
        if left:
            report.skip("case", c.name or c.guid, f"{len(left)} of its sources were left out")
        case.sources.set([sources[g] for g in c.source_guids if g in sources])
        case.codes.set([codes[g] for g in c.code_guids if g in codes])
    return len(parsed.cases)


def _sets(project, parsed, codes, sources, memos, report, stored=frozenset()) -> int:
    made = 0
    taken = set(project.code_sets.values_list("guid", flat=True))
    for order, x in enumerate(parsed.sets):
        if uuid.UUID(x.guid) in taken:
            report.skip("set", x.name, "the project already has this set (same GUID); kept as it is")
            continue
        group = CodeSet.objects.create(project=project, guid=uuid.UUID(x.guid), name=x.name[:255] or "Set",
                                       description=x.description, order=order,
                                       stored_refs=[g for g in x.source_guids if g in stored])
        group.codes.set([codes[g] for g in x.code_guids if g in codes])
        group.sources.set([sources[g] for g in x.source_guids if g in sources])
        group.memos.set([memos[g] for g in x.memo_guids if g in memos])
        made += 1
    return made


def _coders_used(project) -> int:
    """The project's layers, leaving out its consensus and assistant layers while they are
    empty (every project has them from the start; the file may have had none)."""
    shared = (CoderKind.CONSENSUS, CoderKind.ASSISTANT)
    return sum(1 for c in project.coders.annotate(n=Count("codings")) if c.n or c.kind not in shared)


def import_qdpx(data: bytes, organisation, user, name: str = "") -> tuple:
    """A new project in `organisation` from a .qdpx archive, with `user` (if any) as its lead.
    `name` defaults to the project name in the file. Returns (project, ExchangeReport);
    raises NotAllowed (nothing saved) if the file cannot be read or the name is taken."""
    try:
        parsed, core_report = qda.import_qdpx(data, limits=IMPORT_LIMITS)
    except qda.QdaError as error:
        raise _file_error(error) from None
    report = ExchangeReport.from_core(core_report)
    description, slug, version = qda.parse_project_description(parsed.description)
    name = (name or "").strip() or parsed.name.strip()
    if len(name) > PROJECT_NAME_MAX:
        raise NotAllowed(f"A project name can be at most {PROJECT_NAME_MAX} characters; choose a shorter one.")
    with transaction.atomic():
        framework_version = _framework(slug, version, report)
        project = actions.create_project(user, organisation, name, description=description)
        layers = _layers(project, parsed.users, user)
        project.variables = [{"guid": v.guid, "name": v.name, "type": v.type, "description": v.description}
                             for v in parsed.variables]
        project.exchange_extra = list(parsed.extra_xml)
        project.save(update_fields=["variables", "exchange_extra"])
        sources = _sources(project, user, parsed, report, layers)
        stored = _stored_sources(project, parsed, report)
        codes = {str(c.guid): c for c in _add_codes(project, user, parsed.codes, report, framework_version, {})}
        codings = _codings(project, parsed, layers, sources, codes, report)
        memos = _memos(project, parsed, layers, {**sources, **codes, **codings}, report, set(stored))
        cases = _cases(project, parsed, sources, codes, stored, report)
        memo_rows = {str(m.guid): m for m in project.memos.all()}
        sets = _sets(project, parsed, codes, sources, memo_rows, report, set(stored))
        if framework_version is not None and any(
                framework_version.process(c.process_id) for c in codes.values() if c.process_id):
            project.framework_version = framework_version
            project.save(update_fields=["framework_version"])
    report.counts = {"sources": len(sources), "codes": len(codes), "codings": len(codings), "memos": memos,
                     "coders": _coders_used(project)}
    for what, n in (("picture, PDF, audio or video sources", len(stored)), ("cases", cases), ("sets", sets)):
        if n:
            report.counts[what] = n
    return project, report
