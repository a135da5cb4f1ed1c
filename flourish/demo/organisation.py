"""The demo organisation. Running it again changes nothing that is already there.

Later features add to `create()` (a closed 360° cycle, a plan, a set, research data).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from flourish.accounts.models import Membership, Organisation, Role, TeamMember, User
from flourish.development import demo as development_demo
from flourish.frameworks.actions import default_framework_slug, load_builtin_frameworks
from flourish.frameworks.models import Framework
from flourish.pulse import demo as pulse_demo
from flourish.qualitative import demo as qualitative_demo
from flourish.research import demo as research_demo
from flourish.selfassess.models import SelfAssessment
from flourish.sets import demo as sets_demo

ORGANISATION = "Meadowbank Children's Centre (demo)"
PASSWORD = "flourish-demo"

PEOPLE = [
    ("leader@demo.flourish.test", "Amara", "Okafor", Role.LEADER),
    ("facilitator@demo.flourish.test", "Gareth", "Lloyd", Role.FACILITATOR),
    ("researcher@demo.flourish.test", "Mei", "Chen", Role.RESEARCHER),
    ("admin@demo.flourish.test", "Sam", "Patel", Role.ADMIN),
]

TEAM = [
    ("Hannah Price", "hannah.price@nhs.demo.test", "Health visiting", "Meadowbank NHS Community Trust"),
    ("Joseph Adeyemi", "joseph.adeyemi@nhs.demo.test", "Midwifery", "Meadowbank NHS Hospitals Trust"),
    ("Rachel Doyle", "rachel.doyle@council.demo.test", "Social work", "Meadowbank Borough Council"),
    ("Priya Shah", "priya.shah@school.demo.test", "Early years education", "Meadowbank Nursery School"),
    ("Tom Fletcher", "tom.fletcher@council.demo.test", "Family support", "Meadowbank Borough Council"),
    ("Leah Morgan", "leah.morgan@charity.demo.test", "Partner charity", "Home-Start Meadowbank"),
]

# Two past self-assessments, a year apart, so the profile has something to compare.
# Answers are listed per process in the framework's order (no process names in code);
# None is "not able to observe".
SELF_ANSWERS = [
    [[3, 3, 2, 3], [4, 4, 3, None], [3, 2, 3, 3], [2, 3, 2, 2],
     [4, 3, 4, 3], [4, 4, 4, 3], [2, 2, 3, None], [3, 4, 3, 3]],
    [[4, 3, 3, 4], [4, 5, 4, 4], [3, 3, 4, 3], [3, 3, 3, 2],
     [4, 4, 4, 4], [5, 4, 4, 4], [3, 2, 3, 3], [4, 4, 3, 4]],
]
IMPORTANCE = [5, 5, 4, 4, 3, 4, 4, 3]
FOCUS = [3, 6]  # the processes the leader chose to work on, by position


def create() -> str:
    load_builtin_frameworks()
    organisation, _ = Organisation.objects.get_or_create(name=ORGANISATION)
    users = {}
    for email, first, last, role in PEOPLE:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        users[role] = user
    for name, email, profession, employer in TEAM:
        TeamMember.objects.get_or_create(
            organisation=organisation, email=email,
            defaults={"name": name, "profession": profession, "employer": employer},
        )
    _self_assessments(users[Role.LEADER], organisation)
    closed = _closed_cycle(users[Role.LEADER], organisation)
    plan = development_demo.create(users[Role.LEADER], organisation)
    learning_set = sets_demo.create(users[Role.FACILITATOR], [users[Role.LEADER]], organisation)
    shared = research_demo.create(organisation, users[Role.RESEARCHER])
    coding = qualitative_demo.create(organisation, users[Role.RESEARCHER],
                                     Framework.objects.get(slug=default_framework_slug()).latest(), PASSWORD)
    rater_link = _open_cycle(users[Role.LEADER], organisation)
    pulse_wave, pulse_link = pulse_demo.create(users[Role.LEADER], organisation)
    site = settings.SITE_URL  # `make run PORT=8123` demo links follow the port
    lines = [
        f"Demo organisation: {ORGANISATION}",
        f"Sign in at {site}/account/sign-in/ with password {PASSWORD!r} as:",
        *(f"  {email:34} {role.label}" for email, _, _, role in PEOPLE),
        f"A closed 360° cycle with its report: {site}/feedback/{closed.pk}/report/",
        f"Answer an open cycle as a rater (no sign-in): {rater_link}",
        f"The team integration pulse of {pulse_demo.TEAM}: "
        f"{site}/pulse/{pulse_wave.team_id}/waves/{pulse_wave.pk}/",
        f"Answer its open wave as a team member (no sign-in): {pulse_link}",
        *([f"A development plan: {site}/development/plans/{plan.pk}/"] if plan else []),
        f"An action-learning set with two closed PAR cycles (sign in as the facilitator): "
        f"{site}/sets/{learning_set.pk}/story/ – cohort view: /sets/{learning_set.pk}/cohort/",
        f"Research: {shared} consented rater responses; sign in as the researcher and open "
        f"{site}/research/model/",
        f"A coding project (two interviews and a PAR session, coded by the researcher and "
        f"{qualitative_demo.SECOND_CODER[0]}): {site}/coding/{coding.pk}/",
    ]
    return "\n".join(lines)


def _self_assessments(leader, organisation):
    version = Framework.objects.get(slug=default_framework_slug()).latest()
    if SelfAssessment.objects.filter(leader=leader, framework_version__framework=version.framework).exists():
        return
    processes = version.processes
    now = timezone.now()
    for years_ago, per_process in zip((1, 0), SELF_ANSWERS):
        answers = {
            item["id"]: value
            for process, values in zip(processes, per_process)
            for item, value in zip(process["items"], values)
        }
        assessment = SelfAssessment.objects.create(
            leader=leader, organisation=organisation, framework_version=version,
            answers=answers,
            importance={p["id"]: value for p, value in zip(processes, IMPORTANCE)},
            focus=[processes[i]["id"] for i in FOCUS] if years_ago == 0 else [],
        )
        completed = now - timedelta(days=365 * years_ago, hours=1)
        SelfAssessment.objects.filter(pk=assessment.pk).update(started=completed, completed=completed)


# The closed cycle's raters: (name, professional group, relationship). Social care has
# only two people, so the report must show that group nowhere.
CYCLE_RATERS = [
    ("Hannah Price", "Health", "team member"), ("Joseph Adeyemi", "Health", "partner agency"),
    ("Nadia Ali", "Health", "team member"), ("Owen Hughes", "Health", "peer"),
    ("Rachel Doyle", "Social care", "partner agency"), ("Ben Carter", "Social care", "peer"),
    ("Priya Shah", "Education and early years", "team member"),
    ("Grace Kim", "Education and early years", "team member"),
    ("Ali Hassan", "Education and early years", "peer"),
    ("Tom Fletcher", "Family support", "team member"), ("Lucy Evans", "Family support", "team member"),
    ("Mark Jones", "Family support", "team member"),
    ("Leah Morgan", "Voluntary and community", "partner agency"),
    ("Sam Patel", "Other", "line manager"),
]
# How each professional group tends to see the leader, per process (framework order).
GROUP_TENDENCY = {
    "Health": [3.2, 4.1, 3.4, 2.8, 3.9, 4.2, 2.9, 3.6],
    "Social care": [2.6, 3.0, 3.1, 2.5, 3.2, 3.9, 2.4, 3.0],
    "Education and early years": [3.8, 4.4, 4.0, 3.3, 4.3, 4.5, 3.6, 4.1],
    "Family support": [3.5, 4.6, 4.2, 3.6, 4.4, 4.3, 3.2, 4.4],
    "Voluntary and community": [3.0, 3.8, 3.5, 3.9, 3.6, 4.0, 2.8, 3.7],
    "Other": [3.6, 3.9, 3.7, 3.1, 3.8, 4.1, 3.3, 3.9],
}
COMMENTS = [
    "Brings health and council colleagues together when a family's needs cross services.",
    "Could share the bigger picture of funding changes earlier with partner staff.",
    "Always makes time after a hard case to check how we are.",
    "Meetings with partner agencies sometimes run over and decisions get lost.",
]


def _answers_for(version, group, seed):
    import random

    rng = random.Random(seed)
    answers = {}
    for process, tendency in zip(version.processes, GROUP_TENDENCY[group]):
        for item in process["items"]:
            if rng.random() < 0.07:
                answers[item["id"]] = None  # not able to observe
            else:
                answers[item["id"]] = max(1, min(5, round(tendency + rng.uniform(-1.1, 1.1))))
    return answers


def _closed_cycle(leader, organisation):
    from flourish.feedback import actions as feedback
    from flourish.feedback.models import Cycle, Rater, Response, Status
    from flourish.selfassess.models import SelfAssessment

    title = "360° feedback, autumn 2026 (demo)"
    existing = Cycle.objects.filter(organisation=organisation, title=title).first()
    if existing:
        return existing
    version = Framework.objects.get(slug=default_framework_slug()).latest()
    now = timezone.now()
    own = SelfAssessment.objects.create(
        leader=leader, organisation=organisation, framework_version=version,
        answers={i["id"]: v for p, vals in zip(version.processes, SELF_ANSWERS[1])
                 for i, v in zip(p["items"], vals)},
        importance={p["id"]: value for p, value in zip(version.processes, IMPORTANCE)},
        completed=now - timedelta(days=20),
    )
    cycle = Cycle.objects.create(
        organisation=organisation, leader=leader, framework_version=version, title=title,
        closes_on=timezone.localdate() - timedelta(days=2), status=Status.OPEN,
        opened_at=now - timedelta(days=23), self_assessment=own,
    )
    for index, (name, group, relationship) in enumerate(CYCLE_RATERS):
        rater = Rater.objects.create(
            cycle=cycle, name=name, email=f"rater{index}@demo.flourish.test", profession=group,
            employer="", relationship=relationship, invited_at=timezone.localdate(now - timedelta(days=23)),
        )
        comments = {}
        if index % 2 == 0:  # enough comments on two processes to pass the comment minimum
            comments[version.processes[0]["id"]] = COMMENTS[(index // 2) % 2]
        if index % 5 == 0:
            comments[version.processes[3]["id"]] = COMMENTS[2 + (index // 5) % 2]
        Response.objects.create(rater=rater, answers=_answers_for(version, group, seed=index),
                                comments=comments, submitted_at=now - timedelta(days=10))
    return feedback.close(cycle)


def _open_cycle(leader, organisation):
    """An open cycle with one invited rater, whose fresh link is printed each run."""
    from flourish.feedback.actions import rater_url
    from flourish.feedback.models import Cycle, Rater, RaterLink, Status

    title = "360° feedback, spring 2027 (demo, open)"
    cycle = Cycle.objects.filter(organisation=organisation, title=title).first()
    version = Framework.objects.get(slug=default_framework_slug()).latest()
    if cycle is None:
        cycle = Cycle.objects.create(
            organisation=organisation, leader=leader, framework_version=version, title=title,
            closes_on=timezone.localdate() + timedelta(days=21), status=Status.OPEN, opened_at=timezone.now(),
        )
    if cycle.is_past_closing_date:
        Cycle.objects.filter(pk=cycle.pk).update(closes_on=timezone.localdate() + timedelta(days=21))
    rater, _ = Rater.objects.get_or_create(
        cycle=cycle, email="try.me@demo.flourish.test",
        defaults={"name": "Demo rater", "profession": "Health", "relationship": "team member",
                  "invited_at": timezone.localdate()},
    )
    return rater_url(RaterLink.issue(rater))
