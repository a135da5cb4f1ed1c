"""A leader's development plan (goals, actions, progress notes, reviews) and their
private reflective journal. Both are private to the leader: see permissions.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import dateformat, timezone

from flourish.accounts.models import Organisation
from flourish.feedback.models import Cycle
from flourish.frameworks.models import FrameworkVersion
from flourish.selfassess.models import SelfAssessment

MAX_PROCESSES = 3


class Plan(models.Model):
    """What a leader means to work on: one to three processes of a framework version,
    usually started from a completed self-assessment or a released 360° report (its
    `source`; at most one of the two is set)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="development_plans"
    )
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="development_plans"
    )
    source_self_assessment = models.ForeignKey(
        SelfAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="development_plans"
    )
    source_cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="development_plans"
    )
    processes = models.JSONField(default=list)  # 1–3 process ids, in the framework's order
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_self_assessment__isnull=True) | Q(source_cycle__isnull=True),
                name="plan_has_at_most_one_source",
            )
        ]

    def __str__(self):
        return f"Development plan of {self.leader} ({self.created:%d %b %Y})"

    @property
    def source(self):
        return self.source_self_assessment or self.source_cycle

    @property
    def source_label(self) -> str:
        if self.source_self_assessment is not None:
            when = timezone.localtime(self.source_self_assessment.completed)
            return f"your self-assessment of {dateformat.format(when, 'j F Y')}"
        if self.source_cycle is not None:
            return f"the 360° feedback report “{self.source_cycle.title}”"
        return ""

    def plan_processes(self) -> list[dict]:
        """The chosen processes (framework dicts), in the framework's order."""
        return [p for p in self.framework_version.processes if p["id"] in self.processes]


class Goal(models.Model):
    """What the leader wants to change in one of the plan's processes (one per process)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    process_id = models.CharField(max_length=100)
    text = models.TextField()
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "process_id"], name="one_goal_per_plan_process")
        ]

    def __str__(self):
        return self.text[:60]


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in progress", "In progress"
    DONE = "done", "Done"


class Action(models.Model):
    """A step towards a goal, often one of the framework's practices for the process."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField()
    practice = models.TextField(blank=True, help_text="The framework practice it was chosen from, if any.")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    done_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.text[:60]

    @property
    def plan(self) -> Plan:
        return self.goal.plan

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE


class ProgressNote(models.Model):
    """What happened, and the evidence for it."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(default=timezone.localdate)
    text = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_on", "pk"]

    def __str__(self):
        return self.text[:60]


class Review(models.Model):
    """A date to look back at the plan; the leader is emailed shortly before it
    (`flourish development remind`, once per review)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"Review on {self.due_on:%d %b %Y}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class JournalEntry(models.Model):
    """A private reflection, tagged with the processes it is about. Only its leader ever
    reads it, unless they share it with one of their action-learning sets
    (`shared_set`, set by `actions.share_with_set`, which the sets app calls after
    checking membership). Deleting the set stops the sharing, not the entry."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="journal_entries"
    )
    written_on = models.DateField(default=timezone.localdate)
    title = models.CharField(max_length=200)
    text = models.TextField()
    processes = models.JSONField(default=list, blank=True)  # process ids (tags)
    shared_set = models.ForeignKey("sets.LearningSet", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="shared_journal_entries")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-written_on", "-pk"]
        verbose_name_plural = "journal entries"

    def __str__(self):
        return self.title

    def tag_names(self) -> list[str]:
        return [p["name"] for p in self.framework_version.processes if p["id"] in self.processes]
