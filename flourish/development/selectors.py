"""What other apps may read of a leader's development work (the home page)."""

from .models import Action as PlanAction
from .models import ActionStatus, Review
from .permissions import plans_for


def steps_due(user, until, limit=10):
    """The leader's plan steps not done and due by `until` (overdue ones first)."""
    return (PlanAction.objects.filter(goal__plan__in=plans_for(user), due_on__lte=until)
            .exclude(status=ActionStatus.DONE).select_related("goal__plan").order_by("due_on", "pk")[:limit])


def reviews_due(user, until, limit=5):
    return (Review.objects.filter(plan__in=plans_for(user), done_at__isnull=True, due_on__lte=until)
            .select_related("plan").order_by("due_on", "pk")[:limit])
