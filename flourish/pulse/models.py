"""The team integration pulse: a leader's team roster, its waves, invitations with personal
links, and the answers.

Answers are linked to their invitation only while the wave is open, so the respondent can
carry on from their link; at close (`actions.close_wave`) they are stored again in random
order with `invitation` empty, keeping only the group labels (profession, agency) the results
need — the same severing as a 360° cycle's (`feedback.models.Response`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from flourish.core.tokens import new_token


class Team(models.Model):
    """A team whose integrated working a leader follows, in one organisation."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="pulse_teams")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pulse_teams")
    name = models.CharField(max_length=200)
    created = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Member(models.Model):
    """Someone on the team's roster: no account, asked by a personal link in each wave."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    profession = models.CharField("professional group", max_length=100)
    agency = models.CharField("employer or agency", max_length=200)
    added_on = models.DateField(auto_now_add=True)
    # Off the roster from this day: not asked in later waves; earlier waves keep them.
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["profession", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "email"], condition=Q(left_on__isnull=True),
                                    name="pulse_one_current_member_per_email"),
        ]

    def __str__(self):
        return f"{self.name} ({self.profession}, {self.agency})"


class WaveStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Wave(models.Model):
    """One round of the pulse for a team (e.g. "Spring 2027"), on a pinned pulse version."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="waves")
    label = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=WaveStatus.choices, default=WaveStatus.OPEN)
    opened_on = models.DateField(auto_now_add=True)
    closes_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    # The pulse file as it was when the wave opened: a version answers use never changes.
    instrument = models.JSONField()
    # What the leader may see, decided once at close through the disclosure ledger.
    results = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["opened_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["team", "label"], name="pulse_one_wave_label_per_team")]

    def __str__(self):
        return f"{self.team} – {self.label}"

    @property
    def is_open(self) -> bool:
        return self.status == WaveStatus.OPEN

    @property
    def is_past_closing_date(self) -> bool:
        return timezone.localdate() > self.closes_on


class Invitation(models.Model):
    """A member asked in one wave. Their profession and agency are copied, so a later change
    on the roster does not move answers already given."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    profession = models.CharField(max_length=100)
    agency = models.CharField(max_length=200)
    invited_on = models.DateField(auto_now_add=True)  # the day only, as a 360° rater's

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["wave", "member"], name="pulse_one_invitation_per_member")]

    def __str__(self):
        return f"Invitation #{self.pk} to wave #{self.wave_id}"


class InvitationLink(models.Model):
    """A personal link; only the hash of its token is stored (`core.tokens.new_token`)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateField(auto_now_add=True)

    def __str__(self):
        return f"Link #{self.pk} for invitation #{self.invitation_id}"

    @classmethod
    def issue(cls, invitation) -> str:
        raw, token_hash = new_token()
        cls.objects.create(invitation=invitation, token_hash=token_hash)
        return raw


class Response(models.Model):
    """One respondent's pulse: saved section by section, counted once sent.

    - ``answers``: pulse item id → 1..5, or None for "can't say";
    - ``role_ratings``: other profession → {role item id → 1..5 or None};
    - ``collaboration``: {"professions": {profession → 0..4}, "agencies": {agency → 0..4}}.
    """

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(Invitation, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="response")
    profession = models.CharField(max_length=100)
    agency = models.CharField(max_length=200)
    answers = models.JSONField(default=dict, blank=True)
    role_ratings = models.JSONField(default=dict, blank=True)
    collaboration = models.JSONField(default=dict, blank=True)
    submitted_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"Pulse response #{self.pk}"
