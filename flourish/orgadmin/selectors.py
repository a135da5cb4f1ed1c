"""What the admin's pages show. Only people, roles and settings: never raters, answers or
comments (an admin must not be able to tell who answered)."""

from dataclasses import dataclass

from django.db.models import Count, Q

from flourish.accounts.models import Membership, Role, User
from flourish.frameworks.models import Framework, FrameworkVersion

from .models import Newcomer
from .permissions import people_of


@dataclass
class Member:
    user: User
    roles: list[str]
    waiting: bool

    @property
    def role_labels(self) -> str:
        return ", ".join(Role(r).label for r in self.roles) or "No role yet"


def members(organisation, search: str = "") -> list[Member]:
    people = people_of(organisation).order_by("last_name", "first_name", "email")
    search = search.strip()
    if search:
        people = people.filter(Q(email__icontains=search) | Q(first_name__icontains=search)
                               | Q(last_name__icontains=search))
    people = list(people[:500])
    roles: dict[int, list[str]] = {}
    for user_id, role in Membership.objects.filter(organisation=organisation, user__in=people).values_list(
            "user_id", "role"):
        roles.setdefault(user_id, []).append(role)
    waiting = set(Newcomer.objects.filter(organisation=organisation).values_list("user_id", flat=True))
    order = list(Role.values)
    return [Member(u, sorted(roles.get(u.pk, []), key=order.index), u.pk in waiting) for u in people]


def roles_of(organisation, person) -> list[str]:
    return list(Membership.objects.filter(organisation=organisation, user=person).values_list("role", flat=True))


def frameworks_available(organisation):
    """Published frameworks and the organisation's own."""
    return Framework.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))


@dataclass
class FrameworkUse:
    framework: Framework
    versions: list[int]
    uses: int  # pieces of work in this organisation that pin one of its versions
    own: bool


def frameworks_in_use(organisation) -> list[FrameworkUse]:
    """Every framework available to the organisation, with how much of the organisation's
    work (self-assessments, cycles, sets, plans, …) uses it. Found through every relation
    to FrameworkVersion that has an organisation, so apps added later are counted too."""
    uses: dict[int, int] = {}
    for relation in FrameworkVersion._meta.related_objects:
        model = relation.related_model
        if not (relation.one_to_many or relation.one_to_one):
            continue
        if "organisation" not in {f.name for f in model._meta.get_fields()}:
            continue
        counted = (model._default_manager.filter(organisation=organisation)
                   .values(f"{relation.field.name}__framework_id").annotate(n=Count("pk")))
        for row in counted:
            key = row[f"{relation.field.name}__framework_id"]
            if key is not None:
                uses[key] = uses.get(key, 0) + row["n"]
    result = []
    for framework in frameworks_available(organisation).prefetch_related("versions"):
        result.append(FrameworkUse(framework, sorted(v.version for v in framework.versions.all()),
                                   uses.get(framework.pk, 0), framework.organisation_id == organisation.pk))
    return result


def identity_provider_of(organisation):
    """The organisation's provider, or an unsaved blank one for the form."""
    from .models import IdentityProvider

    return IdentityProvider.objects.filter(organisation=organisation).first() \
        or IdentityProvider(organisation=organisation)


def default_version_for(organisation) -> FrameworkVersion | None:
    """The latest version of the framework the organisation's admin chose as its default,
    or None when they chose none (then Flourish's own default applies)."""
    if organisation is None:
        return None
    from .models import OrganisationSettings

    chosen = (OrganisationSettings.objects.filter(organisation=organisation)
              .values_list("default_framework", flat=True).first())
    if chosen is None:
        return None
    return FrameworkVersion.objects.filter(framework_id=chosen).select_related("framework").order_by("-version").first()


def preselected_framework(organisations, versions) -> dict:
    """A start form's initial framework: the default of the organisation the form offers
    first, when it is one of the `versions` the person may use ({} otherwise, so the form
    keeps its own first choice)."""
    chosen = default_version_for(organisations.first())
    if chosen is None or not versions.filter(pk=chosen.pk).exists():
        return {}
    return {"framework": chosen.pk}


@dataclass(frozen=True)
class ReportBranding:
    """The organisation as its reports show it: the name on reports and, if uploaded, the
    logo as a data: URI (the page and the PDF embed it, so the PDF fetches nothing and a
    reader need not be able to open the organisation's logo address)."""

    name: str
    logo_data_uri: str | None


def report_branding(organisation) -> ReportBranding:
    import base64

    from .models import OrganisationSettings

    found = OrganisationSettings.objects.filter(organisation=organisation).first()
    if found is None:
        return ReportBranding(organisation.name, None)
    uri = None
    if found.logo and found.logo_type in ("image/png", "image/jpeg"):
        uri = f"data:{found.logo_type};base64,{base64.b64encode(bytes(found.logo)).decode('ascii')}"
    return ReportBranding(found.report_name or organisation.name, uri)
