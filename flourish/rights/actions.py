"""Sharing a released report and taking it back, each emailed to the person and audited."""

from django.db import transaction

from flourish.audit.actions import record
from flourish.core.actions import NotAllowed
from flourish.feedback import actions as feedback_actions
from flourish.orgadmin import mail

__all__ = ["NotAllowed", "share", "unshare"]


@transaction.atomic
def share(by, cycle, person):
    """What the report page's share form should call: share, email, audit."""
    feedback_actions.share_report(cycle, person)
    mail.queue_for(person, f"{cycle.leader.display_name} shared a feedback report with you",
                   "rights/email/shared.txt", {"cycle": cycle, "person": person}, cycle.organisation,
                   purpose="rights.report_shared")
    record(by, "report-shared", cycle, person=person.email)
    return cycle


@transaction.atomic
def unshare(by, cycle, person):
    if not cycle.shared_with.filter(pk=person.pk).exists():
        raise NotAllowed(f"The report is not shared with {person.email}.")
    feedback_actions.unshare_report(cycle, person)
    mail.queue_for(person, f"{cycle.leader.display_name} stopped sharing a feedback report with you",
                   "rights/email/unshared.txt", {"cycle": cycle, "person": person}, cycle.organisation,
                   purpose="rights.report_unshared")
    record(by, "report-unshared", cycle, person=person.email)
    return cycle
