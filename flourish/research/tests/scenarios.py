"""Closed and open cycles with chosen consent, for the research tests."""

from datetime import timedelta

from django.utils import timezone

from flourish.feedback import actions
from flourish.feedback.models import RaterLink, Response
from flourish.feedback.tests.helpers import add_raters, answer, complete_self, new_cycle
from flourish.selfassess import actions as self_actions


def open_cycle(leader, version, raters=None, comment="A comment that must stay private", title="Spring feedback"):
    cycle = new_cycle(leader, version, title=title)
    made = add_raters(cycle) if raters is None else add_raters(cycle, raters)
    actions.send_invitations(cycle)
    for rater in made:
        answer(rater, value_of=lambda rater, index: 2 + (rater.pk + index) % 4, comment=comment)
    complete_self(cycle)
    return cycle, made


def closed_cycle(leader, version, **kwargs):
    cycle, raters = open_cycle(leader, version, **kwargs)
    return actions.close(cycle), raters


def consent_everything(cycle):
    cycle.research_consent = True
    cycle.save(update_fields=["research_consent"])
    own = cycle.self_assessment
    own.research_consent = True
    own.save(update_fields=["research_consent"])
    # A closed cycle's answers are no longer linked to raters: consent them by cycle.
    Response.objects.filter(cycle=cycle).update(research_consent=True)


def token_for(rater) -> str:
    return RaterLink.issue(rater)


def standalone_self_assessment(leader, organisation, version, consent=True):
    own = self_actions.start(leader, organisation, version)
    for process in version.processes:
        self_actions.save_answers(own, process["id"], {i["id"]: 4 for i in process["items"]}, 4)
    own = self_actions.complete(own)
    own.research_consent = consent
    own.save(update_fields=["research_consent"])
    return own


def days_from_now(days):
    return timezone.localdate() + timedelta(days=days)
