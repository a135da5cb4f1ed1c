from flourish.feedback.models import Cycle
from flourish.orgadmin.models import OrganisationSettings

DEFAULT_PERIODS = OrganisationSettings()


def shared_reports(user):
    return Cycle.objects.filter(leader=user, shared_with__isnull=False).distinct().prefetch_related("shared_with")


def public_page_context(settings) -> dict:
    """The operator's details come from the environment (FLOURISH_OPERATOR_* settings);
    retention periods are the defaults each organisation starts with."""
    return {
        "operator": getattr(settings, "FLOURISH_OPERATOR_NAME", "") or "the organisation that runs this Flourish",
        "contact": getattr(settings, "FLOURISH_PRIVACY_CONTACT", ""),
        "accessibility_contact": getattr(settings, "FLOURISH_ACCESSIBILITY_CONTACT", "")
        or getattr(settings, "FLOURISH_PRIVACY_CONTACT", ""),
        "statement_date": getattr(settings, "FLOURISH_ACCESSIBILITY_REVIEWED", ""),
        "periods": DEFAULT_PERIODS,
    }
