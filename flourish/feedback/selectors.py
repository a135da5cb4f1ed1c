"""What other apps may read of 360° feedback (sets, research): released figures and the
consented answers, never the models directly."""

from django.db.models import Q

from .models import Cycle, Response, Status
from .permissions import manageable_cycles


def latest_released_report(leader, framework):
    """The leader's latest cycle with a released report in this framework, or None."""
    return (Cycle.objects.filter(leader=leader, report__isnull=False, framework_version__framework=framework)
            .order_by("-released_at", "-pk").first())


def response_of(rater):
    """The rater's answers (submitted or draft), or None."""
    return Response.objects.filter(rater=rater).first()


def cycles_led_by(user):
    if not user.is_authenticated:
        return Cycle.objects.none()
    return Cycle.objects.filter(leader=user).select_related(
        "framework_version__framework", "organisation"
    ).order_by("-created", "-pk")


def closed_responses(organisations=None):
    """Every counted response of a closed cycle, with its cycle (consented or not: the
    research export needs the refusers to audit against). Closing severs answers from
    raters (`actions._sever`), so a response carries its own cycle and group labels; the
    rater filter only matters in the moment between closing and severing."""
    responses = Response.objects.filter(submitted_at__isnull=False, cycle__status=Status.CLOSED).filter(
        Q(rater__isnull=True) | Q(rater__revoked_at__isnull=True)
    ).select_related("cycle__framework_version__framework", "cycle__organisation")
    if organisations is not None:
        responses = responses.filter(cycle__organisation__in=organisations)
    return responses.order_by("cycle_id", "pk")


def report_inputs(cycle):
    """(processes, rules) the cycle's report was built with (flourish.lib.report types)."""
    from .reporting import processes_of, rules_of

    return processes_of(cycle.framework_version), rules_of(cycle)


def report_figures(cycle):
    """(the released report's figures as ledger equations, respondents whose exposure does
    not count), as recorded at release (`reporting.report_figures`)."""
    from .reporting import report_figures as figures

    return figures(cycle)


def own_rounds_to_attend(user, released_since):
    """The leader's own rounds that want something of them now (being set up, waiting for
    approval, open) and those whose report was released since `released_since`."""
    return manageable_cycles(user).filter(leader=user).filter(
        Q(status__in=[Status.DRAFT, Status.AWAITING_APPROVAL, Status.OPEN]) | Q(released_at__gte=released_since)
    ).order_by("closes_on", "pk")
