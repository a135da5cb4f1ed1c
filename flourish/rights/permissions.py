"""A leader's own reports, for un-sharing: 404 for anyone but the cycle's leader."""

from django.http import Http404

from flourish.accounts.models import User
from flourish.accounts.permissions import organisations_for
from flourish.feedback.models import Cycle


def get_own_cycle(user, pk) -> Cycle:
    if not user.is_authenticated:
        raise Http404("No such report.")
    try:
        return Cycle.objects.get(pk=pk, leader=user, organisation__in=organisations_for(user))
    except (Cycle.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report.") from None


def get_reader_of(cycle, pk) -> User:
    """Someone the cycle's report is shared with."""
    try:
        return cycle.shared_with.get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("Not shared with that person.") from None
