"""Building sets for tests: leaders from several organisations, joined with consent."""

from django.utils import timezone

from flourish.accounts.models import Role
from flourish.feedback.models import Cycle, Status
from flourish.selfassess.models import SelfAssessment
from flourish.sets import actions
from flourish.sets.permissions import get_invitation_for_token
from flourish.testing import personas

LEADERS = [
    ("bethan@hillside.test", "Bethan", "Rees", "Hillside Family Hub"),
    ("kwame@northgate.test", "Kwame", "Mensah", "Northgate Children's Centre"),
    ("ruth@eastfield.test", "Ruth", "Adler", "Eastfield Care Team"),
    ("dev@westway.test", "Dev", "Patel", "Westway Children's Centre"),
    ("elin@southside.test", "Elin", "Hughes", "Southside Family Hub"),
    ("femi@riverside.test", "Femi", "Adeyemi", "Riverside Children's Centre"),
    ("grace@parkview.test", "Grace", "Owen", "Parkview Care Team"),
]


def a_leader(index):
    email, first, last, org = LEADERS[index]
    return personas.person(email, Role.LEADER, personas.organisation(org), first, last)


def new_set(facilitator, version, name="North locality leaders"):
    organisation = facilitator.memberships.get(role=Role.FACILITATOR).organisation
    return actions.create_set(facilitator, organisation, name, version)


def join(learning_set, user, share_scores=True):
    token = actions.invite(learning_set, user.email)
    return actions.accept_invitation(get_invitation_for_token(token), user, consent=True, share_scores=share_scores)


def self_assessment(user, version, value):
    organisation = user.memberships.first().organisation
    return SelfAssessment.objects.create(
        leader=user, organisation=organisation, framework_version=version, completed=timezone.now(),
        answers={item: value for items in version.items_by_process().values() for item in items},
        importance={p["id"]: 3 for p in version.processes},
    )


def released_report(user, version, score, *, skip=()):
    """A closed cycle whose stored report gives `score` as others' score on every process."""
    organisation = user.memberships.first().organisation
    return Cycle.objects.create(
        organisation=organisation, leader=user, framework_version=version, title="Feedback",
        closes_on=timezone.localdate(), status=Status.CLOSED, closed_at=timezone.now(),
        released_at=timezone.now(),
        report={"processes": [
            {"id": p["id"], "name": p["name"], "kind": p["kind"], "others": {"score": score, "n": 5}}
            for p in version.processes if p["id"] not in skip
        ]},
    )


def run_cycle_to_close(learning_set, member):
    """One PAR cycle through every stage, straight through the actions."""
    version = learning_set.framework_version
    pids = [p["id"] for p in version.processes]
    cycle = actions.start_par_cycle(learning_set, "How do we share one plan with a family?", pids[:2])
    actions.add_session(cycle, date=timezone.localdate(), agenda="Map the plans around a family",
                        notes="Most families have three plans.")
    actions.add_action(cycle, owner=member, text="Invite the health visiting lead", due=timezone.localdate())
    cycle = actions.advance(cycle)
    cycle = actions.advance(cycle)
    actions.add_observation(cycle, author=member, date=timezone.localdate(),
                            text="The family did not have to tell their story twice.", process_ids=pids[1:2])
    cycle = actions.advance(cycle)
    return actions.close_par_cycle(cycle, what_changed="Joint planning meetings in two centres.",
                         what_learnt="Relationships come before the template.", processes_bore_on=pids[:1])
