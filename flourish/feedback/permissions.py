"""Per-object lookups for 360° cycles. Each raises Http404 for anyone not allowed, so
outsiders cannot tell whether a cycle exists.

- managing a cycle (raters, invitations, closing): its leader, or an admin of its organisation;
- reading its report: its leader, or someone the leader explicitly shared it with —
  never an organisation admin as such;
- approving its rater list: the facilitator named as approver.
"""

from django.db.models import Q
from django.http import Http404

from flourish.accounts.models import Role
from flourish.accounts.permissions import organisations_for

from .models import Cycle, Rater, RaterLink, hash_token


def manageable_cycles(user):
    if not user.is_authenticated:
        return Cycle.objects.none()
    return Cycle.objects.filter(
        Q(leader=user, organisation__in=organisations_for(user))
        | Q(organisation__in=organisations_for(user, Role.ADMIN))
    ).select_related("framework_version__framework", "organisation", "leader")


def readable_reports(user):
    if not user.is_authenticated:
        return Cycle.objects.none()
    return Cycle.objects.filter(
        Q(leader=user, organisation__in=organisations_for(user)) | Q(shared_with=user)
    ).distinct().select_related("framework_version__framework", "organisation", "leader")


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (Cycle.DoesNotExist, ValueError, TypeError):
        raise Http404("No such cycle.") from None


def get_cycle_for_manager(user, pk) -> Cycle:
    return _get(manageable_cycles(user), pk)


def get_cycle_for_reader(user, pk) -> Cycle:
    return _get(readable_reports(user), pk)


def get_cycle_for_approver(user, pk) -> Cycle:
    if not user.is_authenticated:
        raise Http404("No such cycle.")
    return _get(Cycle.objects.filter(approver=user), pk)


def get_rater_for_manager(user, cycle_pk, rater_pk) -> Rater:
    cycle = get_cycle_for_manager(user, cycle_pk)
    try:
        return cycle.raters.get(pk=rater_pk)
    except (Rater.DoesNotExist, ValueError, TypeError):
        raise Http404("No such rater.") from None


def get_rater_for_token(token: str) -> Rater:
    """The rater a personal link belongs to (404 for an unknown link)."""
    link = RaterLink.objects.select_related("rater__cycle__framework_version").filter(
        token_hash=hash_token(token)
    ).first()
    if link is None:
        raise Http404("This link is not valid.")
    return link.rater
