"""Per-object permission lookups for people and organisations.

Each `get_<thing>_for_user()` returns the object or raises Http404, so that a person
outside the organisation cannot even learn that the object exists.
"""

from django.db.models import QuerySet

from flourish.core.lookups import get_or_404

from .models import Membership, Organisation, Role

# Role is re-exported for views, which name roles but import no models.
__all__ = ["Role"]


def organisations_for(user, role: str | None = None) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    memberships = Membership.objects.filter(user=user)
    if role:
        memberships = memberships.filter(role=role)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id"))


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def has_role(user, organisation, role: str) -> bool:
    return user.is_authenticated and Membership.objects.filter(
        user=user, organisation=organisation, role=role
    ).exists()


def get_organisation_for_user(user, pk, role: str | None = None) -> Organisation:
    return get_or_404(organisations_for(user, role), "organisation", pk=pk)


def leader_organisations(user) -> QuerySet[Organisation]:
    return organisations_for(user, Role.LEADER)


def axes_username(request, credentials) -> str:
    """django-axes counts failed sign-ins per email; lower-case it so that changing the
    letter case cannot dodge the lock-out (on our sign-in page and the admin's)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()
