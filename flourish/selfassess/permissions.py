from flourish.accounts.permissions import organisations_for
from flourish.core.lookups import get_or_404

from .models import SelfAssessment


def self_assessments_for(user):
    """A self-assessment is private to the leader who made it."""
    if not user.is_authenticated:
        return SelfAssessment.objects.none()
    return SelfAssessment.objects.filter(
        leader=user, organisation__in=organisations_for(user)
    ).select_related("framework_version__framework", "organisation")


def get_self_assessment_for_user(user, pk) -> SelfAssessment:
    return get_or_404(self_assessments_for(user), "self-assessment", pk=pk)
