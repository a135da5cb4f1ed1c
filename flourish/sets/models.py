"""Action-learning sets: groups of leaders who, with a facilitator, work through
Participatory Action Research (PAR) cycles — plan → act → observe → reflect — using the
model as their shared language.

A leader joins only by accepting an invitation and consenting to what the facilitator
will see. Their scores feed the cohort figures only while `share_scores` is on, and only
as aggregates of at least k leaders, decided against everything the facilitator was
already shown (see `flourish.sets.cohort_release` and the disclosure ledger).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from flourish.accounts.models import Organisation
from flourish.frameworks.models import FrameworkVersion


class Stage(models.TextChoices):
    PLAN = "plan", "Plan"
    ACT = "act", "Act"
    OBSERVE = "observe", "Observe"
    REFLECT = "reflect", "Reflect"
    CLOSED = "closed", "Closed"


NEXT_STAGE = {Stage.PLAN: Stage.ACT, Stage.ACT: Stage.OBSERVE, Stage.OBSERVE: Stage.REFLECT,
              Stage.REFLECT: Stage.CLOSED}


class LearningSet(models.Model):
    name = models.CharField(max_length=200)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facilitated_sets"
    )
    # The facilitator's organisation; members may come from several organisations.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="learning_sets")
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="learning_sets")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def active_members(self):
        return self.members.filter(left_at__isnull=True).select_related("user")

    def process_names(self, process_ids) -> list[str]:
        names = {p["id"]: p["name"] for p in self.framework_version.processes}
        return [names[pid] for pid in process_ids if pid in names]

    def current_cycle(self):
        return self.cycles.exclude(stage=Stage.CLOSED).order_by("-number").first()


class SetInvitation(models.Model):
    """Only the SHA-256 of the invitation token is stored."""

    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at"]

    def __str__(self):
        return f"Invitation to {self.learning_set} for {self.email}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class SetMember(models.Model):
    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="set_memberships")
    joined_at = models.DateTimeField()
    consented_at = models.DateTimeField()
    # Consent for the process scores of their released 360° reports and completed
    # self-assessments to feed the cohort aggregates (never shown individually).
    share_scores = models.BooleanField(default=False)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["learning_set", "user"], name="one_membership_per_set")
        ]

    def __str__(self):
        return self.user.display_name

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class ParCycle(models.Model):
    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveIntegerField()
    focus = models.TextField(help_text="A question about integrated working")
    processes = models.JSONField(default=list)  # process ids the cycle touches
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.PLAN)
    planned_at = models.DateTimeField(auto_now_add=True)
    acting_at = models.DateTimeField(null=True, blank=True)
    observing_at = models.DateTimeField(null=True, blank=True)
    reflecting_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    what_changed = models.TextField(blank=True)
    what_learnt = models.TextField(blank=True)
    processes_bore_on = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["learning_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["learning_set", "number"], name="one_cycle_number_per_set"),
            models.CheckConstraint(
                condition=~Q(stage="closed") | (~Q(what_changed="") & ~Q(what_learnt="")),
                name="closed_cycle_has_reflection",
            ),
        ]

    def __str__(self):
        return f"Cycle {self.number}: {self.focus}"

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED

    @property
    def next_stage(self):
        return NEXT_STAGE.get(self.stage)

    def process_names(self) -> list[str]:
        return self.learning_set.process_names(self.processes)

    def bore_on_names(self) -> list[str]:
        return self.learning_set.process_names(self.processes_bore_on)

    def stage_dates(self) -> list[tuple[str, object]]:
        return [(label, when) for label, when in (
            ("Plan", self.planned_at), ("Act", self.acting_at), ("Observe", self.observing_at),
            ("Reflect", self.reflecting_at), ("Closed", self.closed_at)) if when]


class Session(models.Model):
    cycle = models.ForeignKey(ParCycle, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    agenda = models.TextField()
    notes = models.TextField(blank=True, help_text="Shared with the whole set")

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return f"Session on {self.date:%d %b %Y}"


class SetAction(models.Model):
    cycle = models.ForeignKey(ParCycle, on_delete=models.CASCADE, related_name="actions")
    owner = models.ForeignKey(SetMember, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField()
    due = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.text


class Observation(models.Model):
    cycle = models.ForeignKey(ParCycle, on_delete=models.CASCADE, related_name="observations")
    author = models.ForeignKey(SetMember, on_delete=models.CASCADE, related_name="observations")
    date = models.DateField()
    text = models.TextField()
    processes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return f"Observation by {self.author} on {self.date:%d %b %Y}"

    def process_names(self) -> list[str]:
        return self.cycle.learning_set.process_names(self.processes)
