"""Per-object lookups for 360° cycles. Each raises Http404 for anyone not allowed, so
outsiders cannot tell whether a cycle exists.

- managing a cycle (raters, invitations, closing): its leader, or an admin of its organisation;
- reading its report: its leader, or someone the leader explicitly shared it with —
  never an organisation admin as such;
- approving its rater list (and adding or removing people on it): the approver named
  on the cycle;
- sharing its report: its leader only (not an organisation admin who manages it);
- starting a cycle: a leader for themselves, in an organisation where they lead; an
  organisation admin for any leader of their organisation.
"""

from django.db.models import Q
from django.http import Http404

from flourish.accounts.models import Role, User
from flourish.accounts.permissions import organisations_for
from flourish.core.lookups import get_or_404
from flourish.core.tokens import hash_token

from .models import Cycle, Rater, RaterLink, Status


def organisations_to_start_in(user):
    """Where the user may start a cycle: where they lead, or where they are an admin."""
    return organisations_for(user).filter(
        Q(pk__in=organisations_for(user, Role.LEADER)) | Q(pk__in=organisations_for(user, Role.ADMIN))
    )


def leaders_to_start_for(user):
    """Whom the user may start a cycle for: themselves if they lead somewhere, and every
    leader of an organisation they administer."""
    if not user.is_authenticated:
        return User.objects.none()
    return User.objects.filter(
        Q(pk=user.pk, memberships__role=Role.LEADER)
        | Q(memberships__role=Role.LEADER, memberships__organisation__in=organisations_for(user, Role.ADMIN))
    ).distinct()


def approvers_in(organisations):
    """Who may approve a rater list: facilitators and organisation admins."""
    return User.objects.filter(
        memberships__role__in=[Role.FACILITATOR, Role.ADMIN], memberships__organisation__in=organisations
    ).distinct()


def cycles_to_approve(user):
    if not user.is_authenticated:
        return Cycle.objects.none()
    return Cycle.objects.filter(approver=user).filter(
        Q(status=Status.AWAITING_APPROVAL)
        | Q(status=Status.OPEN, raters__awaiting_approval=True, raters__revoked_at__isnull=True)
    ).distinct().select_related("leader")


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


def get_cycle_for_manager(user, pk) -> Cycle:
    return get_or_404(manageable_cycles(user), "cycle", pk=pk)


def get_cycle_for_reader(user, pk) -> Cycle:
    return get_or_404(readable_reports(user), "cycle", pk=pk)


def get_cycle_for_approver(user, pk) -> Cycle:
    if not user.is_authenticated:
        raise Http404("No such cycle.")
    return get_or_404(Cycle.objects.filter(approver=user).select_related("leader", "organisation"), "cycle", pk=pk)


def get_cycle_for_sharer(user, pk) -> Cycle:
    """Only the leader may share their own report (an admin who manages the cycle gets 404)."""
    if not user.is_authenticated:
        raise Http404("No such cycle.")
    return get_or_404(manageable_cycles(user).filter(leader=user), "cycle", pk=pk)


def get_rater_for_approver(user, cycle_pk, rater_pk) -> Rater:
    cycle = get_cycle_for_approver(user, cycle_pk)
    return get_or_404(cycle.raters.all(), "rater", pk=rater_pk)


def get_rater_for_manager(user, cycle_pk, rater_pk) -> Rater:
    cycle = get_cycle_for_manager(user, cycle_pk)
    return get_or_404(cycle.raters.all(), "rater", pk=rater_pk)


def get_rater_for_token(token: str) -> Rater:
    """The rater a personal link belongs to (404 for an unknown link)."""
    link = RaterLink.objects.select_related("rater__cycle__framework_version").filter(
        token_hash=hash_token(token)
    ).first()
    if link is None:
        raise Http404("This link is not valid.")
    return link.rater
