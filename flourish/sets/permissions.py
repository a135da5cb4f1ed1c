"""Per-object lookups for action-learning sets. Each raises Http404 for anyone not
allowed, so outsiders cannot tell whether a set exists.

- managing a set (invitations, cycles, stages, sessions, actions, the cohort view): its
  facilitator, while they hold the facilitator role in the set's organisation;
- taking part (the story, sessions, actions, observations; adding observations and
  updating one's own actions): an active member — or the facilitator, for reading.
"""

from django.db.models import Q
from django.http import Http404

from flourish.accounts.models import Role
from flourish.accounts.permissions import organisations_for

from .models import LearningSet, ParCycle, SetInvitation, SetMember, hash_token


def facilitated_sets(user):
    if not user.is_authenticated:
        return LearningSet.objects.none()
    return LearningSet.objects.filter(
        facilitator=user, organisation__in=organisations_for(user, Role.FACILITATOR)
    ).select_related("framework_version__framework", "organisation", "facilitator")


def member_sets(user):
    if not user.is_authenticated:
        return LearningSet.objects.none()
    return LearningSet.objects.filter(
        members__user=user, members__left_at__isnull=True
    ).select_related("framework_version__framework", "organisation", "facilitator")


def visible_sets(user):
    """Sets whose record the user may read: as facilitator or as an active member."""
    if not user.is_authenticated:
        return LearningSet.objects.none()
    return LearningSet.objects.filter(
        Q(pk__in=facilitated_sets(user).values("pk")) | Q(pk__in=member_sets(user).values("pk"))
    ).select_related("framework_version__framework", "organisation", "facilitator")


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (LearningSet.DoesNotExist, ValueError, TypeError):
        raise Http404("No such set.") from None


def get_set_for_facilitator(user, pk) -> LearningSet:
    return _get(facilitated_sets(user), pk)


def get_set_for_member(user, pk) -> tuple[LearningSet, SetMember | None]:
    """The set and the user's membership (None when the user is its facilitator)."""
    learning_set = _get(visible_sets(user), pk)
    member = learning_set.members.filter(user=user, left_at__isnull=True).first()
    return learning_set, member


def get_cycle(learning_set, number) -> ParCycle:
    try:
        return learning_set.cycles.get(number=number)
    except (ParCycle.DoesNotExist, ValueError, TypeError):
        raise Http404("No such cycle.") from None


def get_invitation_for_token(token: str) -> SetInvitation:
    invitation = SetInvitation.objects.select_related("learning_set__facilitator").filter(
        token_hash=hash_token(token)
    ).first()
    if invitation is None:
        raise Http404("This invitation link is not valid.")
    return invitation
