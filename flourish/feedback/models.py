import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from flourish.accounts.models import Organisation
from flourish.core.tokens import new_token
from flourish.frameworks.models import FrameworkVersion
from flourish.lib.disclosure import MIN_K
from flourish.selfassess.models import SelfAssessment

DEFAULT_GROUPS = [
    "Health", "Social care", "Education and early years", "Family support",
    "Voluntary and community", "Other",
]


def default_groups():
    return list(DEFAULT_GROUPS)


def new_salt():
    return secrets.token_hex(16)


class Relationship(models.TextChoices):
    LINE_MANAGER = "line manager", "Line manager"
    PEER = "peer", "Peer"
    TEAM_MEMBER = "team member", "Team member"
    PARTNER = "partner agency", "Partner agency"


class Status(models.TextChoices):
    DRAFT = "draft", "Being set up"
    AWAITING_APPROVAL = "awaiting approval", "Waiting for approval"
    OPEN = "open", "Open for feedback"
    CLOSED = "closed", "Closed"


class Cycle(models.Model):
    """One round of 360° feedback on a leader, pinned to a framework version.

    When it closes, the report is built once (through the disclosure rules) and stored
    in `report`: every output reads that fixed version; later answers are refused.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cycles")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cycles")
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="cycles")
    title = models.CharField(max_length=200)
    closes_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    professional_groups = models.JSONField(default=default_groups)
    # This cycle's k (never below the one anonymity minimum, flourish.lib.disclosure.MIN_K).
    min_k = models.PositiveSmallIntegerField(default=MIN_K, validators=[MinValueValidator(MIN_K)])
    min_comments = models.PositiveSmallIntegerField(default=MIN_K, validators=[MinValueValidator(MIN_K)])
    gap_margin = models.FloatField(default=0.5, validators=[MinValueValidator(0)])
    self_assessment = models.OneToOneField(
        SelfAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="cycle"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="cycles_to_approve",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The approver's note when they send the list back to the leader.
    approval_comment = models.TextField(blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    # The day the leader last sent reminders by hand: at most once a day, per round, so two
    # clicks never send two emails (a per-person limit would tell who has answered).
    reminded_on = models.DateField(null=True, blank=True)
    report_salt = models.CharField(max_length=32, default=new_salt)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reports_shared_with_me"
    )
    imported = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    # The leader's revocable opt-in to de-identified research use of this cycle (their
    # self part, and raters' answers about them where the raters also opted in).
    research_consent = models.BooleanField(default=False)
    # Professional groups whose live milestone ("at least k have answered") has been
    # reached, decided by flourish/lib/live.py at each answer and never taken back.
    live_milestones = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(condition=Q(min_k__gte=MIN_K), name="k_at_least_three"),
            models.CheckConstraint(condition=Q(min_comments__gte=3), name="comment_k_at_least_three"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def is_past_closing_date(self) -> bool:
        """The closing date is the last day to answer; after it the cycle is closed even
        before the scheduled `flourish feedback close-due` has run."""
        return timezone.localdate() > self.closes_on

    @property
    def is_released(self) -> bool:
        return self.report is not None


class Rater(models.Model):
    """Someone asked for feedback. No account: they answer from a personal link."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="raters")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    profession = models.CharField("professional group", max_length=100)
    employer = models.CharField("employing organisation", max_length=200, blank=True)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    # With a cycle that has an approver, a person added stays uninvited until the approver
    # agrees, however late they are added.
    awaiting_approval = models.BooleanField(default=False)
    # Days only (issue 10): a time to the second next to a named person, beside answers
    # and mail times, could point at them. The reminder windows and the live view need no
    # more than the day.
    invited_at = models.DateField("invited on", null=True, blank=True)
    reminded_at = models.DateField("reminded on", null=True, blank=True)
    revoked_at = models.DateField("withdrawn on", null=True, blank=True)
    created = models.DateField("added on", auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "email"], condition=~Q(email=""), name="one_rater_per_email_per_cycle"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.profession})"


class RaterLink(models.Model):
    """A personal link. Only the SHA-256 of its token is stored; a reminder issues a new
    link and earlier ones keep working, so no draft is stranded."""

    rater = models.ForeignKey(Rater, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateField("issued on", auto_now_add=True)  # the day only, as for its rater

    def __str__(self):
        # Ids only: never the token hash.
        return f"Link #{self.pk} for rater #{self.rater_id}"

    @classmethod
    def issue(cls, rater) -> str:
        raw, token_hash = new_token()
        cls.objects.create(rater=rater, token_hash=token_hash)
        return raw


class Response(models.Model):
    """A rater's answers. Saved page by page as a draft; counted once submitted. Never
    shown on its own anywhere: only through the cycle's released report.

    While the cycle is open the answers are linked to their rater, so the rater can carry
    on, change or withdraw them from their link. When it closes (`actions.close`) the link
    is severed for good: unsubmitted drafts and answers from withdrawn links are deleted,
    and the rest are stored again in a random order with `rater` empty, keeping only what
    the report and the research export need (the group labels and the line manager's own
    choice). From then on no table joins a name or email to an answer.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="responses")
    rater = models.OneToOneField(
        Rater, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    profession = models.CharField("professional group", max_length=100)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    answers = models.JSONField(default=dict, blank=True)
    comments = models.JSONField(default=dict, blank=True)
    # The day only: a time to the second, next to invitation and reminder times, could
    # point at the person.
    submitted_at = models.DateField("submitted on", null=True, blank=True)
    # The rater's own, revocable opt-in to de-identified research use of these answers.
    research_consent = models.BooleanField(default=False)
    # A line manager's own agreement, given on their questionnaire, that their ratings may
    # be shown apart from other raters' (where the organisation allows it at all).
    line_manager_consented = models.BooleanField(default=False)

    def __str__(self):
        return f"Response #{self.pk}"

    def save(self, *args, **kwargs):
        # Answers are created from their rater while the cycle is open; the group labels
        # are copied then, so the report never needs the rater.
        if self.rater_id is not None and self.cycle_id is None:
            self.cycle_id = self.rater.cycle_id
            self.profession = self.profession or self.rater.profession
            self.relationship = self.relationship or self.rater.relationship
        super().save(*args, **kwargs)
