"""What other apps may read of self-assessments (sets, research)."""

from .models import SelfAssessment
from .permissions import self_assessments_for


def latest_completed(leader, framework):
    """The leader's latest completed self-assessment in this framework, or None."""
    return (SelfAssessment.objects.filter(leader=leader, completed__isnull=False,
                                          framework_version__framework=framework)
            .select_related("framework_version").order_by("-completed", "-pk").first())


def completed_by(user):
    if not user.is_authenticated:
        return SelfAssessment.objects.none()
    return SelfAssessment.objects.filter(leader=user, completed__isnull=False).select_related(
        "framework_version__framework", "organisation"
    ).order_by("-completed", "-pk")


def consented_for_research(organisations=None):
    assessments = SelfAssessment.objects.filter(research_consent=True, completed__isnull=False).select_related(
        "framework_version__framework", "cycle"
    )
    if organisations is not None:
        assessments = assessments.filter(organisation__in=organisations)
    return assessments


def in_progress(user, limit=3):
    """The leader's self-assessments started and not yet completed, newest first."""
    return self_assessments_for(user).filter(completed__isnull=True).order_by("-started", "-pk")[:limit]
