"""What other apps may read of action-learning sets (the home page)."""

from .models import Session
from .permissions import visible_sets


def next_sessions(user, today, limit=5):
    """Sessions to come in the sets the user facilitates or belongs to."""
    return (Session.objects.filter(cycle__learning_set__in=visible_sets(user), date__gte=today)
            .select_related("cycle__learning_set").order_by("date", "pk")[:limit])
