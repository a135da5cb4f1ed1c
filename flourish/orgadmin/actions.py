"""The organisation admin's writes, each one transaction, each written to the audit log.

`by` is the request (so the log knows who and from where), a User, or None for the
command line. Refusals raise NotAllowed with a message for the admin.
"""

from django.db import transaction
from django.db.models import Q

from flourish.accounts.models import Membership, Organisation, Role, User
from flourish.audit.actions import record
from flourish.core.actions import NotAllowed, required
from flourish.frameworks import validation
from flourish.frameworks.actions import FrameworkInUse, load_framework

from . import mail
from .models import LOGO_MAX_BYTES, LOGO_TYPES, Newcomer, OrganisationSettings

__all__ = ["NotAllowed"]


def _actor(by):
    user = getattr(by, "user", by)
    return user if isinstance(user, User) else None


def settings_for(organisation) -> OrganisationSettings:
    return OrganisationSettings.objects.get_or_create(organisation=organisation)[0]


def _role_names(roles) -> str:
    labels = [Role(r).label.lower() for r in roles]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


# --- first run ---------------------------------------------------------------------------------

@transaction.atomic
def create_organisation(name: str, admin_email: str, by=None) -> tuple[Organisation, list[str]]:
    """Make the organisation and its first admin; safe to run again. Returns what was done,
    one sentence per step, so the command can say it."""
    name = required(name, "the organisation's name")
    email = required(admin_email, "the first admin's email address").lower()
    if "@" not in email:
        raise NotAllowed(f"{admin_email!r} is not an email address.")
    done = []
    organisation, created = Organisation.objects.get_or_create(name=name)
    done.append(f"Created the organisation {name!r}." if created else f"The organisation {name!r} already exists.")
    settings_for(organisation)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, None)  # no usable password until they choose one
        done.append(f"Created an account for {email}.")
    membership, made_admin = Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.ADMIN)
    if made_admin:
        done.append(f"{email} is now an organisation admin of {name!r}.")
        record(by, "organisation-created" if created else "role-added", organisation,
               person=email, role=Role.ADMIN)
    else:
        done.append(f"{email} was already an organisation admin of {name!r}.")
    if not user.has_usable_password():
        mail.send_on_commit(email, f"Set your password for Flourish ({name})", "orgadmin/email/first_admin.txt",
                            {"organisation": organisation, "link": mail.set_password_link(user)}, organisation)
        done.append(f"Emailed {email} a link to set their password.")
    elif made_admin:
        mail.send_on_commit(email, f"You are an organisation admin of {name} on Flourish",
                            "orgadmin/email/added_admin.txt", {"organisation": organisation}, organisation)
        done.append(f"Emailed {email} to say so (they already have a password).")
    return organisation, done
