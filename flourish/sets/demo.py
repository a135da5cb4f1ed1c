"""The demo action-learning set: the demo facilitator, at least three consenting leaders
(from several organisations) and two closed PAR cycles that read as a story. Running it
again changes nothing already there."""

from datetime import timedelta

from django.utils import timezone

from flourish.accounts.models import Membership, Organisation, Role, User
from flourish.frameworks.actions import default_framework_slug
from flourish.frameworks.models import Framework

from .models import LearningSet, Observation, ParCycle, Session, SetAction, SetMember, Stage

NAME = "Meadowbank and Riverside leaders' set (demo)"
PASSWORD = "flourish-demo"
EXTRA_LEADERS = [
    ("leader.hillside@demo.flourish.test", "Bethan", "Rees", "Hillside Family Hub (demo)"),
    ("leader.northgate@demo.flourish.test", "Kwame", "Mensah", "Northgate Children's Centre (demo)"),
    ("leader.eastfield@demo.flourish.test", "Ruth", "Adler", "Eastfield Integrated Care Team (demo)"),
]

# Two cycles; processes by their position in the framework (no names in code). Each
# action / observation names its owner by position in the member list.
CYCLES = [
    {
        "focus": "How can health visitors and family support workers agree one plan with a family, "
                 "instead of three?",
        "processes": [0, 1],
        "sessions": [
            ("Agree the question; map who currently plans what with a family.",
             "Each of us drew the services around one family we know. Most maps had three or more "
             "separate plans. We agreed to try a single shared plan meeting in each centre."),
            ("Share what happened when we tried joint planning meetings.",
             "Joint meetings worked where someone had already built trust with the health visiting "
             "team; elsewhere they were cancelled twice."),
        ],
        "actions": [
            (0, "Invite the health visiting lead to a joint planning meeting for two families.", True),
            (1, "Ask family support workers which parts of their plan overlap with health.", True),
            (2, "Draft a one-page shared plan template with partner staff.", True),
            (3, "Keep a log of cancelled multi-agency meetings and their reasons.", False),
        ],
        "observations": [
            (0, "The health visitor came to the meeting, and the family said it was the first time "
                "they had not had to tell their story twice.", [0, 1]),
            (2, "Partner staff changed the template: they wanted the family's own words at the top.", [1]),
            (3, "Three of five meetings were cancelled because no room was free across both services.", [0]),
        ],
        "reflection": (
            "Two centres now hold a joint planning meeting for families with both health and family "
            "support involvement. The shared template is in use.",
            "A shared plan depends on relationships first: where trust existed, the meeting worked; "
            "where it did not, the logistics became the reason to cancel.",
            [0, 1],
        ),
    },
    {
        "focus": "What helps practitioners from different employers raise a worry about a family early?",
        "processes": [2, 5],
        "sessions": [
            ("Plan: what stops people raising a worry early?",
             "People said they were unsure whose job it was, and worried about looking foolish in "
             "front of another profession."),
            ("Reflect on the observations and close the cycle.",
             "Short, regular check-ins were valued more than formal referral routes."),
        ],
        "actions": [
            (1, "Start a fortnightly fifteen-minute check-in open to all partner staff.", True),
            (0, "Ask two practitioners what would help them speak up sooner.", True),
            (3, "Share the check-in format with the council's early help team.", True),
        ],
        "observations": [
            (1, "A nursery practitioner raised a concern at the check-in that she said she would "
                "otherwise have kept to herself.", [2, 5]),
            (0, "Practitioners asked for the check-in to stay informal, without minutes.", [5]),
        ],
        "reflection": (
            "Three centres run a short, informal check-in; two early concerns were raised there.",
            "Leaders' own openness about uncertainty made it easier for others to speak; the set "
            "saw this as part of helping practitioners grow.",
            [2, 5],
        ),
    },
]


def _leader(email, first, last, organisation_name):
    organisation, _ = Organisation.objects.get_or_create(name=organisation_name)
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_password(PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.LEADER)
    return user


def create(facilitator, leaders, organisation) -> LearningSet:
    existing = LearningSet.objects.filter(name=NAME, facilitator=facilitator).first()
    if existing:
        return existing
    version = Framework.objects.get(slug=default_framework_slug()).latest()
    leaders = list(leaders)
    for email, first, last, org_name in EXTRA_LEADERS:
        if len(leaders) >= 4:
            break
        leaders.append(_leader(email, first, last, org_name))
    now = timezone.now()
    start = now - timedelta(days=150)
    learning_set = LearningSet.objects.create(
        name=NAME, facilitator=facilitator, organisation=organisation, framework_version=version
    )
    LearningSet.objects.filter(pk=learning_set.pk).update(created=start)
    members = [
        SetMember.objects.create(learning_set=learning_set, user=user, joined_at=start, consented_at=start,
                                 share_scores=True)
        for user in leaders
    ]
    for index, user in enumerate(leaders):
        _self_assessment(user, version, seed=index)
    processes = [p["id"] for p in version.processes]
    for number, story in enumerate(CYCLES, start=1):
        begin = start + timedelta(days=(number - 1) * 70 + 3)
        changed, learnt, bore_on = story["reflection"]
        cycle = ParCycle.objects.create(
            learning_set=learning_set, number=number, focus=story["focus"],
            processes=[processes[i] for i in story["processes"]], stage=Stage.CLOSED,
            acting_at=begin + timedelta(days=7), observing_at=begin + timedelta(days=21),
            reflecting_at=begin + timedelta(days=49), closed_at=begin + timedelta(days=56),
            what_changed=changed, what_learnt=learnt, processes_bore_on=[processes[i] for i in bore_on],
        )
        ParCycle.objects.filter(pk=cycle.pk).update(planned_at=begin)
        for offset, (agenda, notes) in zip((0, 49), story["sessions"]):
            Session.objects.create(cycle=cycle, date=(begin + timedelta(days=offset)).date(), agenda=agenda,
                                   notes=notes)
        for owner, text, done in story["actions"]:
            SetAction.objects.create(cycle=cycle, owner=members[owner % len(members)], text=text,
                                     due=(begin + timedelta(days=42)).date(), done=done,
                                     done_at=begin + timedelta(days=35) if done else None)
        for day, (author, text, tagged) in zip((18, 28, 38), story["observations"]):
            Observation.objects.create(cycle=cycle, author=members[author % len(members)],
                                       date=(begin + timedelta(days=day)).date(), text=text,
                                       processes=[processes[i] for i in tagged])
    return learning_set


def _self_assessment(user, version, seed):
    """A completed self-assessment for a demo leader who has none, so the cohort view has
    figures to show (each only as an average of at least three leaders)."""
    from flourish.selfassess.models import SelfAssessment

    if SelfAssessment.objects.filter(leader=user, completed__isnull=False,
                                     framework_version__framework=version.framework).exists():
        return
    organisation = user.memberships.filter(role=Role.LEADER).first().organisation
    answers = {item["id"]: 2 + (seed + p_index + i_index) % 4
               for p_index, process in enumerate(version.processes)
               for i_index, item in enumerate(process["items"])}
    SelfAssessment.objects.create(
        leader=user, organisation=organisation, framework_version=version, answers=answers,
        importance={p["id"]: 4 for p in version.processes}, completed=timezone.now() - timedelta(days=160),
    )
