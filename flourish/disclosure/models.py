"""The disclosure ledger: every figure released to an audience, as the equation it gives
away, so that each new figure is decided against everything that audience already has
(see `flourish.lib.ledger`).

Its own small app because three apps release figures to people (cohort figures in sets,
export rows in research, reports in feedback) and each must read the others' releases to
the same audience; putting it inside one of them would make the others depend on it.
Respondent keys are never names: "leader:<user id>" for a leader's own contribution, a
response pseudonym for a rater's answers.
"""

from django.db import models


class Release(models.Model):
    # Who was shown it: a person ("user:12") or everyone holding a role over something
    # ("set:5:facilitator", "research:organisation:3").
    audience = models.CharField(max_length=120)
    subject = models.CharField(max_length=120)  # what it is about: "set:5", "cycle:C1a2b…"
    key = models.CharField(max_length=120)  # the quantity: "self:think", "rows"
    # The figure as an equation: [[respondent key, variable, integer coefficient], ...].
    equation = models.JSONField(default=list)
    # Respondents whose every value was shown (exported rows).
    rows_of = models.JSONField(default=list)
    value = models.JSONField(default=dict)  # what was shown, to show it again
    released_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["audience", "key", "-released_at", "-pk"]
        indexes = [models.Index(fields=["audience", "subject"], name="release_audience_subject")]

    def __str__(self):
        return f"{self.key} to {self.audience} ({self.released_at:%d %b %Y})"
