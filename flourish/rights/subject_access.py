"""Subject access: one download of everything Flourish holds about a person, as JSON.

For a leader: account and roles, self-assessments, 360° cycles they lead with each released
report (the report as released: anonymity rules already applied), development plans with
goals, actions, notes and reviews, journal entries, action-learning set memberships with
their own actions and observations, and their own audit entries. Never raters' identities,
who answered, or any single rater's answers: a cycle is given with counts only.
"""

from django.db.models import Count, Q

from flourish.accounts.models import Membership
from flourish.audit.models import Entry
from flourish.development.models import JournalEntry, Plan
from flourish.feedback.models import Cycle
from flourish.selfassess.models import SelfAssessment
from flourish.sets.models import SetMember

SECRET_WORDS = ("hash", "token", "salt", "password")


def _row(obj, skip=()) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if f.attname not in skip and not any(w in f.attname for w in SECRET_WORDS)}


def _plan(plan) -> dict:
    return _row(plan) | {
        "goals": [_row(goal) | {"actions": [_row(action) | {"notes": [_row(n) for n in action.notes.all()]}
                                            for action in goal.actions.all()]}
                  for goal in plan.goals.all()],
        "reviews": [_row(review) for review in plan.reviews.all()],
    }


def _cycle(cycle) -> dict:
    counts = cycle.raters.aggregate(invited=Count("pk"),
                                    answered=Count("pk", filter=Q(response__submitted_at__isnull=False)))
    return _row(cycle, skip={"report"}) | {"raters_invited": counts["invited"], "raters_answered": counts["answered"],
                                           "released_report": cycle.report if cycle.released_at else None,
                                           "shared_with": [u.email for u in cycle.shared_with.all()]}


def _set_membership(member) -> dict:
    return {"set": member.learning_set.name, "organisation": member.learning_set.organisation.name,
            **_row(member), "own_actions": [_row(a) for a in member.actions.all()],
            "own_observations": [_row(o) for o in member.observations.all()]}


def everything_about(user) -> dict:
    return {
        "about": "Everything Flourish holds about you. Feedback from raters is included only as the "
                 "released reports, which keep raters anonymous.",
        "account": {"email": user.email, "first_name": user.first_name, "last_name": user.last_name,
                    "date_joined": user.date_joined, "last_login": user.last_login, "is_active": user.is_active},
        "roles": [{"organisation": m.organisation.name, "role": m.role, "since": m.created}
                  for m in Membership.objects.filter(user=user).select_related("organisation")],
        "self_assessments": [_row(s) for s in SelfAssessment.objects.filter(leader=user)],
        "feedback_cycles": [_cycle(c) for c in Cycle.objects.filter(leader=user).prefetch_related("shared_with")],
        "development_plans": [_plan(p) for p in Plan.objects.filter(leader=user)],
        "journal": [_row(e) for e in JournalEntry.objects.filter(leader=user)],
        "action_learning_sets": [_set_membership(m) for m in
                                 SetMember.objects.filter(user=user).select_related("learning_set__organisation")],
        "audit_log": [_row(e) for e in Entry.objects.filter(actor_id=user.pk)],
    }
