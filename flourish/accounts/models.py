from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        # Emails are stored lower-cased; find the account however the address is typed
        # (the admin's sign-in form, management commands).
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person who signs in. Raters never need one: they answer from a personal link."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def display_name(self):
        return self.get_full_name() or self.email

    def addresses(self) -> list[str]:
        """Every email address on the account: each email field the model has, so a field
        added later is covered by the checks that use this (a leader may not ask
        themselves for feedback)."""
        return [
            value for f in self._meta.concrete_fields
            if isinstance(f, models.EmailField) and (value := getattr(self, f.attname))
        ]


class Organisation(models.Model):
    """A Children's Centre, Family Hub, care team or programme: the owner of stored data."""

    name = models.CharField(max_length=200, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    # A line manager's ratings may be shown apart from other raters only where the
    # organisation allows it (and the line manager was told so when invited).
    show_line_manager_separately = models.BooleanField(default=False)
    # On for every new organisation: a second person (a facilitator or organisation admin)
    # sees every name a leader asks, before and after the invitations go, so a leader
    # cannot fill a round with their own addresses (issue 10, attack 1).
    rater_lists_need_approval = models.BooleanField(
        "rater lists need approval", default=True,
        help_text="Each leader's list of people to ask, and every later addition, goes to an approver first.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    LEADER = "leader", "Leader"
    FACILITATOR = "facilitator", "Facilitator"
    RESEARCHER = "researcher", "Researcher"
    ADMIN = "admin", "Organisation admin"


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="one_membership_per_role"
            )
        ]
        ordering = ["organisation__name", "role"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class TeamMember(models.Model):
    """A practitioner in a leader's integrated team. Team members need no account: they
    come from several employers (NHS trust, council, school, charity) with no shared
    directory, and are invited to give feedback by email."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    profession = models.CharField(max_length=100)
    employer = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="one_team_entry_per_email")
        ]

    def __str__(self):
        return f"{self.name} ({self.profession})"
