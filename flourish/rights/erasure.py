"""Erasure: a person deletes their account and everything that is theirs alone.

What goes: the account, roles, API tokens, self-assessments, 360° cycles they lead (with
raters' names, emails and answers), pulse teams they lead (rosters, waves, answers, and the
mail queue's records to their members), development plans, journal, memberships of
action-learning sets with their own actions and observations.

What remains, and why (the deletion screen says it):
- cohort figures already shown to a set's facilitator: an average over at least k
  leaders that others have seen and may rely on. It stays, de-identified: the person's id
  among its inputs is replaced by a meaningless token;
- audit-log entries about what they did (sign-ins, reads, changes): security records the
  organisation keeps until its audit period ends; the log cannot be edited;
- de-identified research data already exported by a researcher, which Flourish cannot recall.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from flourish.accounts.models import Membership, Role
from flourish.audit.actions import record
from flourish.audit.models import Entry
from flourish.core.actions import NotAllowed
from flourish.development.models import JournalEntry, Plan
from flourish.disclosure import actions as ledger
from flourish.feedback.models import Cycle, Rater
from flourish.jobs.models import Delivery, Job
from flourish.pulse import selectors as pulse_selectors
from flourish.selfassess.models import SelfAssessment
from flourish.sets.cohort_release import person as cohort_person
from flourish.sets.models import LearningSet, SetMember


@dataclass
class Part:
    count: int
    what: str
    why: str = ""


def what_goes(user) -> list[Part]:
    parts = [
        Part(SelfAssessment.objects.filter(leader=user).count(), "self-assessments"),
        Part(Cycle.objects.filter(leader=user).count(), "360° feedback cycles, with their raters and answers"),
        Part(pulse_selectors.teams_led_count(user), "team integration pulse teams, with their rosters, waves "
                                                     "and answers"),
        Part(Plan.objects.filter(leader=user).count(), "development plans"),
        Part(JournalEntry.objects.filter(leader=user).count(), "journal entries"),
        Part(SetMember.objects.filter(user=user).count(), "action-learning set memberships, with your actions and "
                                                           "observations"),
        Part(user.api_tokens.count(), "API tokens"),
    ]
    return [p for p in parts if p.count] + [Part(1, "your account and roles")]


def _set_subjects(user) -> list[str]:
    return [f"set:{pk}" for pk in SetMember.objects.filter(user=user).values_list("learning_set_id", flat=True)]


def _cohort_releases(user):
    return ledger.releases_about(cohort_person(user.pk), _set_subjects(user))


def what_remains(user) -> list[Part]:
    parts = [
        Part(len(_cohort_releases(user)), "cohort figures already shown to a set's facilitator",
             "Each is an average over at least three leaders that others have already seen. It stays, "
             "de-identified: nothing in it will point to you."),
        Part(Entry.objects.filter(actor_id=user.pk).count(), "entries in the audit log about what you did",
             "Security records (sign-ins, reads, changes) your organisation keeps until its audit period ends. "
             "The log cannot be edited, so they expire rather than being deleted now."),
    ]
    return [p for p in parts if p.count] + [Part(0, "de-identified research data a researcher already exported",
                                                 "It carries no name or email, and Flourish cannot recall "
                                                 "copies already downloaded.")]


def refusal(user) -> str:
    """Why the account cannot be erased yet, or ""."""
    if LearningSet.objects.filter(facilitator=user).exists():
        return "You facilitate an action-learning set: ask your organisation admin to hand it over first."
    for membership in Membership.objects.filter(user=user, role=Role.ADMIN).select_related("organisation"):
        others = Membership.objects.filter(organisation=membership.organisation, role=Role.ADMIN,
                                           user__is_active=True).exclude(user=user)
        if not others.exists():
            return (f"You are the only admin of {membership.organisation.name}: make someone else admin first.")
    return ""


@transaction.atomic
def erase(request, user, typed_email: str) -> None:
    if typed_email.strip().lower() != user.email.lower():
        raise NotAllowed("Type your email address exactly to confirm.")
    problem = refusal(user)
    if problem:
        raise NotAllowed(problem)
    token = "erased-" + hashlib.sha256(secrets.token_bytes(16)).hexdigest()[:16]
    ledger.replace_respondent(cohort_person(user.pk), token, _set_subjects(user))
    # The mail queue's records for their raters hold the raters' addresses (and, unsent, their
    # links); those to the person (a reset link, a set's invitation) hold theirs.
    rater_keys = [f"rater:{pk}" for pk in Rater.objects.filter(cycle__leader=user).values_list("pk", flat=True)]
    rater_keys += pulse_selectors.delivery_keys_of_leader(user)  # their pulse teams' members
    deliveries = Delivery.objects.filter(
        Q(object_key__in=[*rater_keys, f"user:{user.pk}"]) | Q(to__iexact=user.email))
    Job.objects.filter(key__in=[f"delivery:{pk}" for pk in deliveries.values_list("pk", flat=True)]).delete()
    deliveries.delete()
    organisations = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    user_id = user.pk
    user.delete()
    # Without the person's name or email: the entry says an account was erased, not whose.
    for organisation_id in sorted(organisations) or [None]:
        record(None, "account-erased", None, organisation=organisation_id, account_id=user_id)
