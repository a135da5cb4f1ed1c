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
from flourish.core.lookups import get_or_404
from flourish.core.tokens import hash_token

from .models import LearningSet, ParCycle, SetInvitation, SetMember


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


def get_set_for_facilitator(user, pk) -> LearningSet:
    return get_or_404(facilitated_sets(user), "set", pk=pk)


def get_set_for_member(user, pk) -> tuple[LearningSet, SetMember | None]:
    """The set and the user's membership (None when the user is its facilitator)."""
    learning_set = get_or_404(visible_sets(user), "set", pk=pk)
    member = learning_set.members.filter(user=user, left_at__isnull=True).first()
    return learning_set, member


def get_par_cycle(learning_set, number) -> ParCycle:
    return get_or_404(learning_set.cycles.all(), "cycle", number=number)


def facilitates(user, learning_set) -> bool:
    return facilitated_sets(user).filter(pk=learning_set.pk).exists()


# Forms on a PAR cycle's page, and who may post each: managing the cycle is the
# facilitator's; adding an observation is a member's; marking an action done is its
# owner's or the facilitator's (checked with the action itself, `get_action_to_mark`).
FACILITATOR_FORMS = frozenset({"advance", "close", "session", "notes", "action"})
MEMBER_FORMS = frozenset({"observation"})


def check_may_post(user, learning_set, member, which: str) -> None:
    """404 unless the user may post this form on the set's PAR cycle page."""
    if which in FACILITATOR_FORMS and not facilitates(user, learning_set):
        raise Http404("Only the facilitator manages the cycle.")
    if which in MEMBER_FORMS and member is None:
        raise Http404("Only members add observations.")


def get_session(par_cycle, pk):
    return get_or_404(par_cycle.sessions.all(), "session", pk=pk)


def get_action_to_mark(user, par_cycle, member, pk):
    """A set action the user may mark done: a member their own, the facilitator any."""
    action = get_or_404(par_cycle.actions.all(), "action", pk=pk)
    if member is not None and action.owner_id != member.pk:
        raise Http404("No such action.")
    if member is None and not facilitates(user, par_cycle.learning_set):
        raise Http404("No such action.")
    return action


def get_membership(user, pk) -> tuple[LearningSet, SetMember]:
    """The set and the user's active membership; 404 for the facilitator and outsiders."""
    learning_set, member = get_set_for_member(user, pk)
    if member is None:
        raise Http404("Not a member.")
    return learning_set, member


def get_invitation_for_token(token: str) -> SetInvitation:
    invitation = SetInvitation.objects.select_related("learning_set__facilitator").filter(
        token_hash=hash_token(token)
    ).first()
    if invitation is None:
        raise Http404("This invitation link is not valid.")
    return invitation
