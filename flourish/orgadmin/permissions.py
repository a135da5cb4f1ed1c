"""Lookups for the organisation admin's pages. Each raises Http404 for anyone who is not an
admin of that organisation, and for people outside it, so nothing is revealed."""

from django.db.models import Q, QuerySet

from flourish.accounts.models import Organisation, Role, User
from flourish.accounts.permissions import get_organisation_for_user, organisations_for
from flourish.core.lookups import get_or_404


def admin_organisations(user) -> QuerySet[Organisation]:
    return organisations_for(user, Role.ADMIN)


def get_organisation_for_admin(user, pk) -> Organisation:
    return get_organisation_for_user(user, pk, Role.ADMIN)


def people_of(organisation) -> QuerySet[User]:
    """Everyone with a role in the organisation, or waiting for one."""
    return User.objects.filter(
        Q(memberships__organisation=organisation) | Q(newcomer_at__organisation=organisation)
    ).distinct()


def get_person_for_admin(user, organisation_pk, person_pk) -> tuple[Organisation, User]:
    organisation = get_organisation_for_admin(user, organisation_pk)
    return organisation, get_or_404(people_of(organisation), "person", pk=person_pk)


def get_organisation_for_member(user, pk) -> Organisation:
    """Any role: for the logo, which members' reports show."""
    return get_organisation_for_user(user, pk)
