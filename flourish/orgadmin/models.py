"""An organisation's own settings and identity provider, and the people waiting for a role.

Kept in this app (one row per organisation, made on first use) rather than as columns on
`accounts.Organisation`, so that the admin's settings grow here without touching the
model every other app reads.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from flourish.accounts.models import Organisation, User

# Logos are stored in the database as small bytes: a report needs one image of a few
# kilobytes, a database backup then carries it, and no MEDIA volume or file server is needed.
LOGO_MAX_BYTES = 200 * 1024
# Pixels a side. The size is read before the pixels are decoded, so a small file cannot
# unpack into a huge image.
LOGO_MAX_SIDE = 2000
LOGO_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG"}

# How long each kind of record is kept before `flourish retention apply` removes it (days).
RETENTION_FIELDS = {
    "retain_rater_contacts_days": "Raters' names and email addresses, after the cycle closes",
    "retain_comments_days": "Raters' comments, after the cycle closes",
    "retain_sign_in_logs_days": "Sign-in records (times and addresses)",
    "retain_audit_days": "The audit log",
}


def _days(default, help_text):
    return models.PositiveIntegerField(
        default=default, validators=[MinValueValidator(30), MaxValueValidator(3650)], help_text=help_text
    )


class OrganisationSettings(models.Model):
    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="admin_settings")
    # Never below 3: fewer comments could be traced to the one or two people who wrote them.
    comment_minimum = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(3)])
    sender_name = models.CharField(max_length=100, blank=True)
    report_name = models.CharField(max_length=200, blank=True)
    logo = models.BinaryField(null=True, blank=True, editable=True)
    logo_type = models.CharField(max_length=20, blank=True)
    default_framework = models.ForeignKey(
        "frameworks.Framework", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Switched off only once an identity provider is set up (see actions.update_settings).
    password_sign_in = models.BooleanField(default=True)
    retain_rater_contacts_days = _days(365, RETENTION_FIELDS["retain_rater_contacts_days"])
    retain_comments_days = _days(730, RETENTION_FIELDS["retain_comments_days"])
    retain_sign_in_logs_days = _days(90, RETENTION_FIELDS["retain_sign_in_logs_days"])
    retain_audit_days = _days(730, RETENTION_FIELDS["retain_audit_days"])

    class Meta:
        verbose_name_plural = "organisation settings"
        constraints = [
            models.CheckConstraint(condition=Q(comment_minimum__gte=3), name="org_comment_minimum_at_least_three"),
        ]

    def __str__(self):
        return f"Settings of {self.organisation}"

    @property
    def name_on_reports(self) -> str:
        return self.report_name or self.organisation.name


class IdentityProvider(models.Model):
    """The organisation's own OpenID Connect provider (Microsoft Entra ID, Okta, …).

    The client secret is read from the environment variable named here when set (so it
    need not be stored in the database), else from `client_secret`."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="identity_provider")
    issuer = models.URLField(max_length=300)
    client_id = models.CharField(max_length=200)
    client_secret = models.CharField(max_length=500, blank=True)
    client_secret_env = models.CharField(max_length=100, blank=True)
    allowed_domain = models.CharField(max_length=200, unique=True,
                                      help_text="People whose email address ends @ this domain sign in here.")
    enabled = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.organisation}: {self.issuer}"


class Newcomer(models.Model):
    """Someone who signed in through the organisation's identity provider and has no role
    yet: the admin's members page lists them to assign one."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="newcomers")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="newcomer_at")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_newcomer_row")]

    def __str__(self):
        return f"{self.user} waiting for a role at {self.organisation}"
