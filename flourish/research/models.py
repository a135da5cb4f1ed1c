from django.conf import settings
from django.db import models


class ModelTestRun(models.Model):
    """One run of the model's own tests (reliability, CFA, invariance) on the consented,
    de-identified data a researcher could see at that moment. Stored, so the page and
    its downloads stay the same however the data change later."""

    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="model_test_runs"
    )
    created = models.DateTimeField(auto_now_add=True)
    n = models.PositiveIntegerField(help_text="Rater responses analysed (before listwise deletion).")
    results = models.JSONField()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"Model test run #{self.pk} ({self.created:%d %b %Y %H:%M}, n = {self.n})"
