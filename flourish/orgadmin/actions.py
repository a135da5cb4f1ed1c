"""The organisation admin's writes, each one transaction, each written to the audit log.

`by` is the request (so the log knows who and from where), a User, or None for the
command line. Refusals raise NotAllowed with a message for the admin.
"""

import io

from django.db import transaction

from flourish.accounts.models import Membership, Organisation, Role, User
from flourish.audit.actions import record
from flourish.core.actions import NotAllowed, required
from flourish.frameworks import validation
from flourish.frameworks.actions import FrameworkInUse, load_framework

from . import mail
from .models import LOGO_MAX_BYTES, LOGO_MAX_SIDE, LOGO_TYPES, IdentityProvider, Newcomer, OrganisationSettings

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
        mail.queue_for(user, f"Set your password for Flourish ({name})", "orgadmin/email/first_admin.txt",
                       {"organisation": organisation, "link": mail.set_password_link(user)}, organisation)
        done.append(f"Queued an email to {email} with a link to set their password (a worker sends it).")
    elif made_admin:
        mail.queue_for(user, f"You are an organisation admin of {name} on Flourish",
                       "orgadmin/email/added_admin.txt", {"organisation": organisation}, organisation)
        done.append(f"Queued an email to {email} to say so (they already have a password).")
    return organisation, done


# --- members -----------------------------------------------------------------------------------

def _check_roles(roles) -> list[str]:
    roles = [r for r in Role.values if r in set(roles or ())]
    if not roles:
        raise NotAllowed("Choose at least one role.")
    return roles


def _admins_left(organisation, without) -> bool:
    return Membership.objects.filter(organisation=organisation, role=Role.ADMIN, user__is_active=True) \
        .exclude(user=without).exists()


@transaction.atomic
def invite(by, organisation, email: str, roles, first_name: str = "", last_name: str = "") -> User:
    """Give someone roles here. A new person gets an account without a password and an
    emailed link to choose one; someone with an account is told they were added."""
    email = required(email, "their email address").lower()
    roles = _check_roles(roles)
    person = User.objects.filter(email__iexact=email).first()
    new = person is None
    if new:
        person = User.objects.create_user(email, None, first_name=first_name.strip(), last_name=last_name.strip())
    elif Membership.objects.filter(user=person, organisation=organisation).exists():
        raise NotAllowed(f"{email} is already a member; change their roles on their page instead.")
    for role in roles:
        Membership.objects.create(user=person, organisation=organisation, role=role)
    Newcomer.objects.filter(user=person, organisation=organisation).delete()
    link = mail.set_password_link(person) if not person.has_usable_password() else ""
    inviter = _actor(by)
    mail.queue_for(person, f"You are invited to {organisation.name} on Flourish",
                   "orgadmin/email/invitation.txt", {
                       "organisation": organisation, "person": person, "link": link,
                       "inviter": inviter.display_name if inviter else "Your organisation admin",
                       "roles": _role_names(roles)}, organisation)
    record(by, "member-invited", person, organisation=organisation, roles=",".join(roles), new_account=new)
    return person


@transaction.atomic
def set_roles(by, organisation, person, roles) -> None:
    roles = _check_roles(roles)
    before = set(Membership.objects.filter(user=person, organisation=organisation).values_list("role", flat=True))
    if Role.ADMIN in before and Role.ADMIN not in roles and not _admins_left(organisation, person):
        raise NotAllowed("The organisation needs at least one active admin: make someone else admin first.")
    Membership.objects.filter(user=person, organisation=organisation).exclude(role__in=roles).delete()
    for role in set(roles) - before:
        Membership.objects.create(user=person, organisation=organisation, role=role)
    Newcomer.objects.filter(user=person, organisation=organisation).delete()
    if set(roles) != before:
        record(by, "roles-changed", person, organisation=organisation,
               before=",".join(sorted(before)), after=",".join(sorted(roles)))


def _check_account_change(by, organisation, person, doing: str) -> None:
    """An admin may switch someone's account off only when the account is theirs to manage:
    not their own, and not someone who also belongs to another organisation."""
    if person == _actor(by):
        raise NotAllowed(f"You cannot {doing} your own account.")
    if Membership.objects.filter(user=person).exclude(organisation=organisation).exists():
        raise NotAllowed(f"{person.email} also belongs to another organisation, so you cannot {doing} their "
                         f"account. Remove them from {organisation.name} instead.")


@transaction.atomic
def deactivate(by, organisation, person) -> None:
    """They can no longer sign in (their sessions end too: Django refuses inactive users);
    their roles and their work stay, for reactivating."""
    _check_account_change(by, organisation, person, "deactivate")
    if not person.is_active:
        raise NotAllowed(f"{person.email} is already deactivated.")
    person.is_active = False
    person.save(update_fields=["is_active"])
    record(by, "member-deactivated", person, organisation=organisation)


@transaction.atomic
def reactivate(by, organisation, person) -> None:
    _check_account_change(by, organisation, person, "reactivate")
    if person.is_active:
        raise NotAllowed(f"{person.email} is already active.")
    person.is_active = True
    person.save(update_fields=["is_active"])
    record(by, "member-reactivated", person, organisation=organisation)


@transaction.atomic
def remove(by, organisation, person) -> None:
    """Take away every role they hold here. Their account and their own records stay
    (deleting a person's data is their erasure request, not an admin's click)."""
    if person == _actor(by):
        raise NotAllowed("You cannot remove yourself; ask another admin.")
    roles = set(Membership.objects.filter(user=person, organisation=organisation).values_list("role", flat=True))
    if Role.ADMIN in roles and not _admins_left(organisation, person):
        raise NotAllowed("The organisation needs at least one active admin: make someone else admin first.")
    Membership.objects.filter(user=person, organisation=organisation).delete()
    Newcomer.objects.filter(user=person, organisation=organisation).delete()
    record(by, "member-removed", person, organisation=organisation, roles=",".join(sorted(roles)))


# --- frameworks --------------------------------------------------------------------------------

@transaction.atomic
def choose_default_framework(by, organisation, framework) -> None:
    if framework is not None and framework.organisation_id not in (None, organisation.pk):
        raise NotAllowed("Choose one of the published frameworks or your organisation's own.")
    org_settings = settings_for(organisation)
    org_settings.default_framework = framework
    org_settings.save(update_fields=["default_framework"])
    record(by, "settings-changed", organisation, default_framework=framework.slug if framework else "")


@transaction.atomic
def upload_framework(by, organisation, data: bytes, filename: str):
    """Validate and store the organisation's own framework file. Raises
    validation.FrameworkError (every problem with its place) or NotAllowed; stores nothing then."""
    document = validation.parse(data, source=filename)
    try:
        version, created = load_framework(document, organisation=organisation)
    except FrameworkInUse as problem:
        raise NotAllowed(f"{filename}: {problem}") from None
    record(by, "framework-uploaded", version, organisation=organisation, file=filename[:200],
           slug=version.slug, version=version.version, changed=created)
    return version, created


# --- settings ----------------------------------------------------------------------------------

# Settings that live on the Organisation itself (another app reads them there); the form
# shows each one the model has.
ORGANISATION_FIELDS = ("rater_lists_need_approval", "show_line_manager_separately")


def organisation_fields() -> list[str]:
    present = {f.name for f in Organisation._meta.get_fields()}
    return [name for name in ORGANISATION_FIELDS if name in present]


@transaction.atomic
def update_settings(by, organisation, values: dict) -> list[str]:
    """Save the settings form's values; returns the names of those that changed."""
    org_settings = settings_for(organisation)
    if values.get("comment_minimum", org_settings.comment_minimum) < 3:
        raise NotAllowed("The comment minimum cannot be below 3.")
    if values.get("password_sign_in") is False and org_settings.password_sign_in:
        provider = getattr(organisation, "identity_provider", None)
        if provider is None or not provider.enabled:
            raise NotAllowed("Set up your identity provider before switching password sign-in off, "
                             "or no one could sign in.")
    changed = []
    for name, value in values.items():
        target = organisation if name in organisation_fields() else org_settings
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    org_settings.full_clean(exclude=["logo", "organisation"])
    org_settings.save()
    organisation.save()
    if changed:
        record(by, "settings-changed", organisation,
               **{name: values[name] for name in changed if isinstance(values[name], (bool, int, str))})
    return changed


def _sniff_logo(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def _check_logo_image(data: bytes, kind: str, filename: str) -> None:
    """The bytes must decode as a whole image of the type they claim and of a size a report
    can show: a truncated or disguised file would break the report's PDF, not the upload."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt, (width, height) = image.format, image.size
            if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
                raise NotAllowed(f"{filename}: the logo is {width} × {height} pixels; it must be at most "
                                 f"{LOGO_MAX_SIDE} × {LOGO_MAX_SIDE}.")
            # verify() checks every chunk whatever ImageFile.LOAD_TRUNCATED_IMAGES says (a
            # library may switch that on for the whole process), so a cut-off file fails here.
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except NotAllowed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise NotAllowed(f"{filename}: the logo could not be read as a {LOGO_TYPES[kind]} image; "
                         "save it again as PNG or JPEG and upload that.") from None
    if {"PNG": "image/png", "JPEG": "image/jpeg"}.get(fmt) != kind:
        raise NotAllowed(f"{filename}: the logo must be a PNG or JPEG image.")


@transaction.atomic
def set_logo(by, organisation, data: bytes, filename: str) -> None:
    """PNG or JPEG only, recognised by its content (not its name), whole, at most 200 KB and
    2000 pixels a side. SVG is refused: it can carry script, and reports embed the logo."""
    if not data:
        raise NotAllowed(f"{filename}: the file is empty.")
    if len(data) > LOGO_MAX_BYTES:
        raise NotAllowed(f"{filename}: the logo is {len(data) // 1024} KB; it must be at most "
                         f"{LOGO_MAX_BYTES // 1024} KB.")
    kind = _sniff_logo(data)
    if kind is None:
        raise NotAllowed(f"{filename}: the logo must be a PNG or JPEG image.")
    _check_logo_image(data, kind, filename)
    org_settings = settings_for(organisation)
    org_settings.logo, org_settings.logo_type = data, kind
    org_settings.save(update_fields=["logo", "logo_type"])
    record(by, "settings-changed", organisation, logo=f"{LOGO_TYPES[kind]}, {len(data)} bytes")


@transaction.atomic
def remove_logo(by, organisation) -> None:
    org_settings = settings_for(organisation)
    org_settings.logo, org_settings.logo_type = None, ""
    org_settings.save(update_fields=["logo", "logo_type"])
    record(by, "settings-changed", organisation, logo="removed")


@transaction.atomic
def save_identity_provider(by, organisation, values: dict):
    """Create or change the organisation's OpenID Connect provider. An empty secret keeps
    the stored one. The secret itself never goes into the audit log."""
    provider = IdentityProvider.objects.filter(organisation=organisation).first() \
        or IdentityProvider(organisation=organisation)
    domain = values["allowed_domain"]
    if IdentityProvider.objects.filter(allowed_domain=domain).exclude(organisation=organisation).exists():
        raise NotAllowed(f"Another organisation already signs in people @{domain}.")
    for name in ("issuer", "client_id", "client_secret_env", "allowed_domain", "enabled"):
        setattr(provider, name, values[name])
    if values.get("client_secret"):
        provider.client_secret = values["client_secret"]
    if not (provider.client_secret or provider.client_secret_env):
        raise NotAllowed("Give the client secret, or the name of the environment variable that holds it.")
    if not provider.enabled:
        org_settings = settings_for(organisation)
        if not org_settings.password_sign_in:
            raise NotAllowed("Password sign-in is off: switch it on in Settings before turning the provider off.")
    provider.save()
    record(by, "settings-changed", organisation, identity_provider=provider.issuer, domain=domain,
           enabled=provider.enabled, secret_changed=bool(values.get("client_secret")))
    return provider
