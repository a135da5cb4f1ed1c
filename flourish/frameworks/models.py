from functools import cached_property

from django.db import models

from flourish.accounts.models import Organisation


class Framework(models.Model):
    """A leadership framework. Published frameworks (no organisation) are readable by
    everyone; an organisation's own framework only by its members."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="frameworks"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def latest(self) -> "FrameworkVersion":
        return self.versions.order_by("-version").first()


class FrameworkVersion(models.Model):
    """One fixed version of a framework file. Work (self-assessments, cycles) pins a
    version, so a version in use is never edited: a change makes a new version."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    document = models.JSONField()
    content_hash = models.CharField(max_length=64)
    loaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework__slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "version"], name="one_row_per_version")
        ]

    def __str__(self):
        return f"{self.framework.name} (version {self.version})"

    @property
    def slug(self) -> str:
        return self.framework.slug

    @cached_property
    def processes(self) -> list[dict]:
        return self.document["processes"]

    def process(self, process_id: str) -> dict | None:
        return next((p for p in self.processes if p["id"] == process_id), None)

    def items_by_process(self) -> dict[str, list[str]]:
        return {p["id"]: [item["id"] for item in p["items"]] for p in self.processes}

    @property
    def item_count(self) -> int:
        return sum(len(p["items"]) for p in self.processes)

    def scale_labels(self) -> dict[int, str]:
        return {point["value"]: point["label"] for point in self.document["scale"]["points"]}

    def is_in_use(self) -> bool:
        """True once any stored work points at this version (found through every reverse
        relation, so apps added later are covered without changing this code)."""
        for relation in self._meta.related_objects:
            if (relation.one_to_many or relation.one_to_one) and relation.related_model._default_manager.filter(
                **{relation.field.name: self}
            ).exists():
                return True
        return False
