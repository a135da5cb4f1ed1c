from django.conf import settings
from django.db import models

from flourish.accounts.models import Organisation
from flourish.frameworks.models import FrameworkVersion
from flourish.lib import scoring


class SelfAssessment(models.Model):
    """A leader's ratings of themselves on one framework version.

    `answers` maps item id to 1–5, or to None for "not able to observe"; an item not yet
    reached has no key. `importance` maps process id to 1–5. Once completed it is kept
    unchanged, so later self-assessments can be compared with it.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_assessments"
    )
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="self_assessments"
    )
    started = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    completed = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    importance = models.JSONField(default=dict, blank=True)
    focus = models.JSONField(default=list, blank=True)
    # The leader's revocable opt-in to de-identified research use of these answers.
    research_consent = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started"]

    def __str__(self):
        return f"Self-assessment by {self.leader} ({self.started:%d %b %Y})"

    @property
    def is_complete(self) -> bool:
        return self.completed is not None

    def process_is_answered(self, process: dict) -> bool:
        return all(item["id"] in self.answers for item in process["items"]) and (
            process["id"] in self.importance
        )

    def first_unanswered_step(self) -> int | None:
        for index, process in enumerate(self.framework_version.processes, start=1):
            if not self.process_is_answered(process):
                return index
        return None

    def answered_steps(self) -> int:
        return sum(self.process_is_answered(p) for p in self.framework_version.processes)

    def scores(self) -> dict[str, float | None]:
        return scoring.respondent_scores(self.answers, self.framework_version.items_by_process())
