"""Writes for coding projects: projects and members, sources, attributes, the codebook,
memos and coding. Each function is one transaction and refuses with NotAllowed (a message
saying what and where) rather than saving part of its input. Callers have already
authorised the user through `permissions`."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from flourish import audit
from flourish.accounts.models import Membership, Role, User
from flourish.core.actions import NotAllowed, required

from . import codebook
from .core import sources as parsing
from .models import (
    Code,
    Coder,
    CoderKind,
    Coding,
    MemberRole,
    Memo,
    Project,
    ProjectMember,
    Source,
    Speaker,
    UnitKind,
    text_hash,
)

ATTRIBUTE_MAX = 200  # characters in an attribute name or value


# --- projects and members -------------------------------------------------------------------

@transaction.atomic
def create_project(user, organisation, name: str, framework_version=None, description: str = "",
                   unit_kind: str = UnitKind.TURN) -> Project:
    name = required(name, "a name for the project")
    if Project.objects.filter(organisation=organisation, name=name).exists():
        raise NotAllowed(f"{organisation} already has a project called “{name}”. Choose another name.")
    project = Project.objects.create(organisation=organisation, name=name, description=description.strip(),
                                     framework_version=framework_version, unit_kind=unit_kind, created_by=user)
    # The shared layers exist from the start, so that reading them never writes.
    Coder.objects.bulk_create([Coder(project=project, kind=CoderKind.CONSENSUS, name="Consensus"),
                               Coder(project=project, kind=CoderKind.ASSISTANT, name="Assistant")])
    if user is not None:
        _add_member(project, user, MemberRole.LEAD)
    if framework_version is not None:
        seed_codebook(project, framework_version)
    return project


def seed_codebook(project, framework_version) -> list[Code]:
    return [Code.objects.create(project=project, **fields) for fields in codebook.framework_codes(framework_version)]


def _add_member(project, user, role) -> ProjectMember:
    """The membership and the person's own coding layer, made together when they join (a
    member who left and comes back finds their old layer), so no page has to make one."""
    member = ProjectMember.objects.create(project=project, user=user, role=role)
    Coder.objects.get_or_create(
        project=project, user=user, defaults={"kind": CoderKind.PERSON, "name": user.get_full_name() or user.email}
    )
    return member


@transaction.atomic
def add_member(project, email: str, role: str = MemberRole.CODER) -> ProjectMember:
    email = required(email, "the email address of the researcher to add")
    user = User.objects.filter(email__iexact=email).first()
    if user is None or not Membership.objects.filter(
        user=user, organisation=project.organisation, role=Role.RESEARCHER
    ).exists():
        raise NotAllowed(f"{email} is not a researcher in {project.organisation}. "
                         "An organisation admin can give them the researcher role first.")
    if project.members.filter(user=user).exists():
        raise NotAllowed(f"{email} is already a member of this project.")
    return _add_member(project, user, role)


@transaction.atomic
def remove_member(project, member: ProjectMember, by=None) -> None:
    """Their layer and codings stay (the project's record); they lose access."""
    if member.role == MemberRole.LEAD and project.members.filter(role=MemberRole.LEAD).count() == 1:
        raise NotAllowed("A project needs at least one lead researcher. Make someone else a lead first.")
    audit.record(by, "coding-member-removed", member.user, organisation=project.organisation_id,
                 project=project.pk, role=member.role)
    member.delete()


# --- sources and attributes -----------------------------------------------------------------

def _clean_attributes(attributes: dict, where: str) -> dict:
    cleaned = {}
    for key, value in (attributes or {}).items():
        key, value = str(key).strip(), str(value).strip()
        if not key:
            raise NotAllowed(f"{where}: an attribute needs a name.")
        if len(key) > ATTRIBUTE_MAX or len(value) > ATTRIBUTE_MAX:
            raise NotAllowed(f"{where}: attribute “{key[:40]}” is longer than {ATTRIBUTE_MAX} characters.")
        if value:
            cleaned[key] = value
    return cleaned


def _source_from_bytes(project, user, filename: str, data: bytes, attributes: dict) -> Source:
    try:
        parsed = parsing.parse(data, filename)
    except parsing.SourceError as error:
        raise NotAllowed(str(error)) from None
    name = filename.rsplit("/", 1)[-1]
    return Source(
        project=project, name=name, text=parsed.text, format=parsed.format,
        turns=[[t.start, t.end, t.body, t.speaker] for t in parsed.turns],
        attributes=_clean_attributes(attributes, name), text_hash=text_hash(parsed.text), imported_by=user,
    )


@transaction.atomic
def import_sources(project, user, files, attributes: dict | None = None, by=None, address=None) -> list[Source]:
    """Import transcripts, given as (filename, bytes) pairs, all or nothing: if any file
    cannot be read, nothing is saved and NotAllowed lists every problem, one per file.
    `address`: where the request came from, when a background job imports on its behalf."""
    built, problems, names = [], [], set(project.sources.values_list("name", flat=True))
    for filename, data in files:
        try:
            source = _source_from_bytes(project, user, filename, data, attributes or {})
            if source.name in names:
                raise NotAllowed(f"{source.name}: the project already has a source with this name.")
        except NotAllowed as problem:
            problems.append(str(problem))
            continue
        names.add(source.name)
        built.append(source)
    if problems:
        raise NotAllowed("Nothing was imported. " + " ".join(problems))
    if not built:
        raise NotAllowed("Choose at least one transcript file.")
    created = Source.objects.bulk_create(built)
    _ensure_speakers(project, {s for source in built for s in source.speakers()})
    audit.record(by if by is not None else user, "import", project, kind="transcripts", files=len(created),
                 file=", ".join(source.name for source in created)[:200], address=address)
    return created


def _ensure_speakers(project, names) -> None:
    Speaker.objects.bulk_create([Speaker(project=project, name=n[:100]) for n in names if n],
                                ignore_conflicts=True)


@transaction.atomic
def set_source_attributes(source, attributes: dict) -> Source:
    source.attributes = _clean_attributes(attributes, source.name)
    source.save(update_fields=["attributes"])
    return source


@transaction.atomic
def set_speaker_attributes(speaker, attributes: dict) -> Speaker:
    speaker.attributes = _clean_attributes(attributes, speaker.name)
    speaker.save(update_fields=["attributes"])
    return speaker


@transaction.atomic
def delete_source(source, by=None) -> None:
    # Recorded before the delete, in its transaction: afterwards the row has no id.
    audit.record(by, "source-deleted", source, organisation=source.project.organisation_id, project=source.project_id)
    source.delete()


@transaction.atomic
def revise_source(source, user, filename: str, data: bytes) -> list[Coding]:
    """Replace a source's text with a corrected transcript. Codings are not moved: those
    whose text no longer matches are returned (and shown as needing a check)."""
    revised = _source_from_bytes(source.project, user, filename, data, source.attributes)
    source.text, source.format, source.turns, source.text_hash = (
        revised.text, revised.format, revised.turns, revised.text_hash)
    source.save(update_fields=["text", "format", "turns", "text_hash"])
    _ensure_speakers(source.project, set(source.speakers()))
    return [c for c in source.codings.all() if not c.is_current]


# --- codebook -------------------------------------------------------------------------------

CODE_FIELDS = ("name", "definition", "inclusion", "exclusion", "examples", "colour")


def _clean_code_fields(fields: dict) -> dict:
    cleaned = {k: v for k, v in fields.items() if k in CODE_FIELDS}
    if "name" in cleaned:
        cleaned["name"] = required(cleaned["name"], "a name for the code")
    if "examples" in cleaned:
        examples = cleaned["examples"]
        if isinstance(examples, str):
            examples = examples.splitlines()
        cleaned["examples"] = [e.strip() for e in examples if e.strip()]
    for key in ("definition", "inclusion", "exclusion"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    return cleaned


@transaction.atomic
def add_code(project, user, name: str, parent=None, **fields) -> Code:
    """An emergent code (no process link), or a sub-code of any code."""
    if parent is not None and parent.project_id != project.pk:
        raise NotAllowed("The parent code belongs to another project.")
    cleaned = _clean_code_fields({"name": name, **fields})
    if project.codes.filter(parent=parent, name__iexact=cleaned["name"]).exists():
        raise NotAllowed(f"There is already a code called “{cleaned['name']}” here.")
    order = (project.codes.aggregate(m=Max("order"))["m"] or 0) + 1
    return Code.objects.create(project=project, parent=parent, created_by=user, order=order, **cleaned)


@transaction.atomic
def update_code(code, **fields) -> Code:
    """Edit a code. A framework code keeps its link to the process whatever it is renamed to."""
    cleaned = _clean_code_fields(fields)
    if "name" in cleaned and code.project.codes.filter(parent=code.parent_id, name__iexact=cleaned["name"]) \
            .exclude(pk=code.pk).exists():
        raise NotAllowed(f"There is already a code called “{cleaned['name']}” here.")
    for key, value in cleaned.items():
        setattr(code, key, value)
    code.save()
    return code


@transaction.atomic
def delete_code(code, by=None) -> None:
    if code.is_framework:
        raise NotAllowed(f"“{code.name}” stands for a process of the model, so it stays in the codebook. "
                         "You can edit its notes instead.")
    if code.codings.exists() or code.children.exists():
        raise NotAllowed(f"“{code.name}” has codings or sub-codes. Remove those first.")
    audit.record(by, "code-deleted", code, organisation=code.project.organisation_id, project=code.project_id)
    code.delete()


# --- memos ----------------------------------------------------------------------------------

@transaction.atomic
def add_memo(project, user, text: str, target=None, name: str = "") -> Memo:
    text = required(text, "the memo")
    memo = Memo(project=project, author=user, text=text, name=name.strip()[:200])
    if target is not None:
        field = {Code: "code", Source: "source", Coding: "coding"}[type(target)]
        setattr(memo, field, target)
    memo.save()
    return memo


@transaction.atomic
def update_memo(memo, text: str, name: str | None = None) -> Memo:
    memo.text = required(text, "the memo")
    if name is not None:
        memo.name = name.strip()[:200]
    memo.save()
    return memo


@transaction.atomic
def delete_memo(memo, by=None) -> None:
    # A memo's name or first words are the researcher's writing: the log names it by id only.
    audit.record(by, "memo-deleted", memo, organisation=memo.project.organisation_id, label=f"Memo {memo.pk}",
                 project=memo.project_id)
    memo.delete()


# --- coding ---------------------------------------------------------------------------------

def _check_codes(project, codes) -> list[Code]:
    codes = list(codes)
    if not codes:
        raise NotAllowed("Choose at least one code to apply.")
    if any(c.project_id != project.pk for c in codes):
        raise NotAllowed("A chosen code belongs to another project.")
    headings = [c.name for c in codes if not c.is_codable]
    if headings:
        raise NotAllowed(f"“{headings[0]}” is a heading in the codebook (it only groups other codes, as the file "
                         "it came from said); choose one of the codes under it.")
    return codes


@transaction.atomic
def apply_codes(coder, source, start: int, end: int, codes, user=None, score=None, method="") -> list[Coding]:
    """Apply codes to source.text[start:end] on the coder's layer. Positions are code
    points, end exclusive. Applying a code that is already there changes nothing."""
    project = source.project
    if coder.project_id != project.pk:
        raise NotAllowed("That layer belongs to another project.")
    codes = _check_codes(project, codes)
    if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end <= len(source.text):
        raise NotAllowed(f"{source.name}: choose some text to code (positions {start}–{end} are outside "
                         f"the transcript's {len(source.text)} characters).")
    if not source.text[start:end].strip():
        raise NotAllowed(f"{source.name}: the selection is only spaces or line breaks. Choose some words.")
    digest = text_hash(source.text[start:end])
    made = []
    for code in codes:
        coding, _ = Coding.objects.get_or_create(
            coder=coder, source=source, code=code, start=start, end=end,
            defaults={"text_hash": digest, "created_by": user, "score": score, "method": method},
        )
        made.append(coding)
    return made


def turn_span(source, index: int) -> tuple[int, int]:
    """The words of a speaker turn, after its "Name:" label."""
    try:
        if index < 0:  # not a Python index from the end
            raise IndexError(index)
        start, end, body, _ = source.turns[index]
    except (IndexError, TypeError):
        raise NotAllowed(f"{source.name} has no turn {index + 1}.") from None
    return (body if body < end else start), end


def add_code_to_turn(coder, source, index: int, codes, user=None) -> list[Coding]:
    """Add `codes` over one whole turn, keeping the codes already there (`set_turn_codes`
    replaces them)."""
    start, end = turn_span(source, index)
    return apply_codes(coder, source, start, end, codes, user=user)


@transaction.atomic
def set_turn_codes(coder, source, index: int, codes, user=None) -> list[Coding]:
    """Make the coder's codes over one whole turn exactly `codes` (the turn-mode form sends
    the full set of ticked boxes). Codings over other spans are left alone."""
    start, end = turn_span(source, index)
    wanted = {c.pk for c in codes}
    Coding.objects.filter(coder=coder, source=source, start=start, end=end).exclude(code__in=wanted).delete()
    if not wanted:
        return []
    return apply_codes(coder, source, start, end, codes, user=user)


@transaction.atomic
def remove_coding(coding) -> None:
    coding.delete()


@transaction.atomic
def choose_to_compare(coder) -> Coder:
    """The coder chooses to see the other layers; recorded so the method note can say
    which coding was done blind."""
    if coder.compared_at is None:
        coder.compared_at = timezone.now()
        coder.save(update_fields=["compared_at"])
    return coder


# --- quotations as a PDF (laid out by a worker: flourish/qualitative/jobs.py) ----------------

QUOTATIONS_PDF_JOB = "qualitative.quotations_pdf"


def quotations_pdf_key(project, layer, user, codes=None) -> str:
    """One job per reader, layer, choice of codes and version of the quotations (the printed
    content's digest): asking again for unchanged quotations returns the PDF already made."""
    import hashlib

    from . import quotations

    digest = hashlib.sha256(quotations.print_html(project, layer, quotations.quotations(project, layer, codes))
                            .encode()).hexdigest()[:24]
    chosen = ",".join(str(c.pk) for c in sorted(codes, key=lambda c: c.pk)) if codes else "all"
    return f"{QUOTATIONS_PDF_JOB}:{project.pk}:{layer.pk}:{user.pk}:{chosen}:{digest}"


@transaction.atomic
def prepare_quotations_pdf(project, layer, user, codes=None):
    from flourish.jobs import actions as jobs_actions

    return jobs_actions.enqueue(QUOTATIONS_PDF_JOB, key=quotations_pdf_key(project, layer, user, codes), owner=user,
                                label=f"Quotations of “{project.name}” ({layer.name}) as a PDF", args={
                                    "project_id": project.pk, "layer_id": layer.pk,
                                    "code_ids": sorted(c.pk for c in codes) if codes else None,
                                })
