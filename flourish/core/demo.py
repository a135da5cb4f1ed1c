"""The demo organisation. Running it again changes nothing that is already there.

Later features add to `create()` (a closed 360° cycle, a plan, a set, research data).
"""

from datetime import timedelta

from django.utils import timezone

from flourish.accounts.models import Membership, Organisation, Role, TeamMember, User
from flourish.frameworks.actions import default_framework_slug, load_builtin_frameworks
from flourish.frameworks.models import Framework
from flourish.selfassess.models import SelfAssessment

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
    lines = [
        f"Demo organisation: {ORGANISATION}",
        f"Sign in at http://127.0.0.1:8000/account/sign-in/ with password {PASSWORD!r} as:",
        *(f"  {email:34} {role.label}" for email, _, _, role in PEOPLE),
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
