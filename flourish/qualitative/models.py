"""The qualitative workbench: research projects whose transcripts are coded against the
model, with the model's processes as a living codebook.

Conventions shared with the pure core (`flourish.qualitative.core`):

- A source's text is stored once, as imported, with line endings normalised to ``\\n``.
- Positions are Unicode code points (Python ``str`` indices), end exclusive:
  ``source.text[coding.start:coding.end]`` is what was coded.
- Every coding keeps the SHA-256 of its text (`text_hash`), so a changed source is detected
  (the coding is reported as needing a check) rather than silently shifted.
- Codings live on layers (`Coder`): one per project member, the consensus layer that
  adjudication writes to, the "assistant" layer that holds machine suggestions, and layers
  of coders imported from other tools. A member codes only on their own layer and does
  not see the others until they choose to compare (`Coder.compared_at`).
- Every object that REFI-QDA exchanges has a `guid`, kept on import and export. What the
  format carries that Flourish does not show is kept too, so a round trip loses nothing:
  a user's id (`Coder.external_id`), ``isCodable`` (`Code.is_codable`), source descriptions
  and creators, selection guids, names and descriptions (`Coding.selection_*`), note authors
  and dates (`Memo.author_layer`, `Memo.created`), typed variables (`Project.variables`),
  cases (`Case`), sets (`CodeSet`), picture/PDF/audio/video sources as they came
  (`StoredSource`) and Links/Graphs (`Project.exchange_extra`).
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from flourish.accounts.models import Organisation
from flourish.frameworks.models import FrameworkVersion


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class UnitKind(models.TextChoices):
    TURN = "turn", "Speaker turn"
    SENTENCE = "sentence", "Sentence"


class Project(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="coding_projects")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # The framework whose processes seeded the codebook; null for a project imported
    # without one. Codes keep their own link (`Code.process_id`).
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="coding_projects"
    )
    unit_kind = models.CharField(max_length=10, choices=UnitKind.choices, default=UnitKind.TURN,
                                 help_text="The unit agreement and coverage are counted in, unless chosen otherwise.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    # REFI-QDA variables: [{"guid", "name", "type" (Text/Boolean/Integer/Float/Date/DateTime),
    # "description"}]; values are the text values in `Source.attributes` / `Case.attributes`.
    variables = models.JSONField(default=list, blank=True)
    # REFI-QDA <Links> and <Graphs> exactly as imported (XML strings), exported again.
    exchange_extra = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="qual_project_name_unique")]

    def __str__(self):
        return self.name

    # Both layers are made with the project (`actions.create_project`), so these only read.
    def consensus(self) -> "Coder":
        return self.coders.get(kind=CoderKind.CONSENSUS)

    def assistant(self) -> "Coder":
        return self.coders.get(kind=CoderKind.ASSISTANT)


class MemberRole(models.TextChoices):
    # Leads manage members, import and remove sources, edit the codebook and adjudicate.
    LEAD = "lead", "Lead researcher"
    # Coders code on their own layer, write memos and add emergent codes.
    CODER = "coder", "Coder"


class ProjectMember(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coding_memberships")
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.CODER)
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added"]
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="qual_member_unique")]

    def __str__(self):
        return f"{self.user} in {self.project}"


class CoderKind(models.TextChoices):
    PERSON = "person", "Person"
    CONSENSUS = "consensus", "Consensus"
    ASSISTANT = "assistant", "Assistant"
    IMPORTED = "imported", "Imported coder"


class Coder(models.Model):
    """A coding layer. People have one each; a project has at most one consensus and one
    assistant layer; coders imported from another tool keep their name and guid."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="coders")
    kind = models.CharField(max_length=10, choices=CoderKind.choices)
    name = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="coder_layers")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    # When this coder first chose to see the other layers; null while still blind.
    compared_at = models.DateTimeField(null=True, blank=True)
    # The REFI-QDA User/@id this layer came with ("CP"); exported as the user's id (else
    # "flourish:<kind>").
    external_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], condition=Q(user__isnull=False),
                                    name="qual_coder_user_unique"),
            models.UniqueConstraint(fields=["project", "kind"], condition=Q(kind__in=["consensus", "assistant"]),
                                    name="qual_coder_single_layer"),
            models.UniqueConstraint(fields=["project", "guid"], name="qual_coder_guid_unique"),
        ]

    def __str__(self):
        return self.name


class Source(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(max_length=255)
    text = models.TextField()
    format = models.CharField(max_length=8, default="txt")  # txt, md, docx, vtt, srt
    # Speaker turns found at import: [[start, end, body_start, speaker or null], ...].
    turns = models.JSONField(default=list)
    # stage (interview / PAR session), site, … : str -> str
    attributes = models.JSONField(default=dict, blank=True)
    text_hash = models.CharField(max_length=64)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    imported = models.DateTimeField(auto_now_add=True)
    description = models.TextField(blank=True)
    # The REFI-QDA TextSource's creatingUser and creationDateTime, when it came from a file.
    origin_layer = models.ForeignKey("Coder", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    origin_created = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="qual_source_name_unique"),
            models.UniqueConstraint(fields=["project", "guid"], name="qual_source_guid_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def stage(self) -> str:
        return self.attributes.get("stage", "")

    def speakers(self) -> list[str]:
        seen: dict[str, None] = {}
        for turn in self.turns:
            if turn[3]:
                seen.setdefault(turn[3], None)
        return list(seen)


class Speaker(models.Model):
    """A speaker label as it appears in the project's transcripts, with attributes
    (role, profession, site, …). Speakers are per project, matched by label."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(max_length=100)
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="qual_speaker_unique")]

    def __str__(self):
        return self.name


class Code(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    inclusion = models.TextField(blank=True, help_text="When to apply this code.")
    exclusion = models.TextField(blank=True, help_text="When not to apply it, and what to use instead.")
    examples = models.JSONField(default=list, blank=True)  # example quotes, list of str
    # The framework process this code stands for ("" for an emergent code). Kept through
    # renames and exchange so that model-check figures still find the process.
    process_id = models.CharField(max_length=100, blank=True)
    colour = models.CharField(max_length=7, blank=True)  # "#rrggbb"
    order = models.PositiveIntegerField(default=0)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    # REFI-QDA isCodable: False for a heading that only groups other codes.
    is_codable = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "guid"], name="qual_code_guid_unique")]

    def __str__(self):
        return self.name

    @property
    def is_framework(self) -> bool:
        return bool(self.process_id)


class Coding(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="codings")
    coder = models.ForeignKey(Coder, on_delete=models.CASCADE, related_name="codings")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text_hash = models.CharField(max_length=64)
    # Only on the assistant's layer: how sure the suggestion is (0–1) and how it was made.
    score = models.FloatField(null=True, blank=True)
    method = models.CharField(max_length=20, blank=True)  # "similarity", "classifier"
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)  # on import: the file's creationDateTime
    # The REFI-QDA PlainTextSelection that holds this coding when it came from a file (null:
    # one selection of its own), with its name and Description.
    selection_guid = models.UUIDField(null=True, blank=True)
    selection_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["source", "start", "end", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="qual_coding_nonempty"),
            models.UniqueConstraint(fields=["coder", "source", "code", "start", "end"], name="qual_coding_unique"),
            models.UniqueConstraint(fields=["coder", "guid"], name="qual_coding_guid_unique"),
        ]
        indexes = [models.Index(fields=["source", "coder"])]

    def __str__(self):
        return f"{self.code} [{self.start}:{self.end}] by {self.coder}"

    @property
    def text(self) -> str:
        return self.source.text[self.start:self.end]

    @property
    def is_current(self) -> bool:
        """False when the source text under the coding is no longer what was coded."""
        return text_hash(self.text) == self.text_hash


class Memo(models.Model):
    """A researcher's note on the project (no target), a code, a source or a coding."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memos")
    name = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    code = models.ForeignKey(Code, on_delete=models.CASCADE, null=True, blank=True, related_name="memos")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, null=True, blank=True, related_name="memos")
    coding = models.ForeignKey(Coding, on_delete=models.CASCADE, null=True, blank=True, related_name="memos")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created = models.DateTimeField(auto_now_add=True)  # on import: the note's creationDateTime
    updated = models.DateTimeField(auto_now=True)
    # The layer of the note's author when it came from a file (its creatingUser), which may
    # be a coder who is not a member here.
    author_layer = models.ForeignKey(Coder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(code__isnull=True) | (Q(source__isnull=True) & Q(coding__isnull=True)))
                & (Q(source__isnull=True) | Q(coding__isnull=True)),
                name="qual_memo_one_target",
            ),
            models.UniqueConstraint(fields=["project", "guid"], name="qual_memo_guid_unique"),
        ]

    def __str__(self):
        return self.name or self.text[:60]

    @property
    def target(self):
        return self.code or self.source or self.coding


class Case(models.Model):
    """A REFI-QDA case (a participant, a site, …): attributes and the sources (and codes)
    that belong to it. `stored_refs` / `selection_refs` are GUIDs of stored sources and of
    selections, kept as they came."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cases")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True)  # variable name -> value as text
    sources = models.ManyToManyField(Source, blank=True, related_name="cases")
    codes = models.ManyToManyField(Code, blank=True, related_name="cases")
    stored_refs = models.JSONField(default=list, blank=True)
    selection_refs = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "guid"], name="qual_case_guid_unique")]

    def __str__(self):
        return self.name or str(self.guid)


class CodeSet(models.Model):
    """A REFI-QDA set: a named group of codes, sources and memos."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="code_sets")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    codes = models.ManyToManyField(Code, blank=True, related_name="sets")
    sources = models.ManyToManyField(Source, blank=True, related_name="sets")
    memos = models.ManyToManyField(Memo, blank=True, related_name="sets")
    stored_refs = models.JSONField(default=list, blank=True)  # GUIDs of stored sources
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "guid"], name="qual_set_guid_unique")]

    def __str__(self):
        return self.name


class StoredSource(models.Model):
    """A picture, PDF, audio or video source Flourish cannot show or code yet, kept exactly
    as it came so an export gives it back: its REFI-QDA element (`element`, XML with its
    selections and codings) and its files (`files`: a ZIP of archive name -> bytes)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stored_sources")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=20)  # PictureSource, PDFSource, AudioSource, VideoSource
    element = models.TextField()
    files = models.BinaryField(default=bytes)
    size = models.PositiveBigIntegerField(default=0)  # bytes of the files, unpacked
    order = models.PositiveIntegerField(default=0)
    imported = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "guid"], name="qual_stored_source_guid_unique")]

    def __str__(self):
        return self.name or self.kind


class Adjudication(models.Model):
    """A decision on one disagreement: whether `code` applies to the unit
    `source[start:end]`. The decision is written to the consensus layer (a coding over the
    unit when it applies); the coders' own codings are never changed."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="adjudications")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="adjudications")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="adjudications")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    applies = models.BooleanField()
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    decided = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source", "start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["source", "code", "start", "end"], name="qual_adjudication_unique"),
        ]

    def __str__(self):
        verdict = "applies" if self.applies else "does not apply"
        return f"{self.code} {verdict} at {self.source} [{self.start}:{self.end}]"
