"""Research demo data: closed 360° cycles about simulated leaders, with the leaders' and
most raters' consent, so a researcher in the demo can run the model's tests.

Answers come from a seeded factor model built from the framework version's processes
and items (one correlated factor per process, a leader-level effect, 1–5 answers cut from
continuous scores, a few "not able to observe"). Idempotent: a cycle already there is
left as it is. Fast (bulk inserts, no reports built).
"""

from datetime import date, datetime, timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone

from flourish.accounts.models import Membership, Role, User
from flourish.feedback.models import Cycle, Rater, Relationship, Response, Status
from flourish.frameworks.actions import default_framework_slug, load_builtin_frameworks
from flourish.frameworks.models import Framework
from flourish.selfassess.models import SelfAssessment

LEADERS = 12
RATERS_PER_CYCLE = 32
SEED = 20250101
TITLE = "Research demo cycle {n} (simulated)"
# Professional groups (a cycle's default groups) and how common each is among raters.
PROFESSIONS = [("Health", 0.34), ("Social care", 0.28), ("Education and early years", 0.26),
               ("Family support", 0.07), ("Voluntary and community", 0.03), ("Other", 0.02)]
RELATIONSHIPS = [(Relationship.TEAM_MEMBER, 0.5), (Relationship.PEER, 0.25), (Relationship.PARTNER, 0.2),
                 (Relationship.LINE_MANAGER, 0.05)]
THRESHOLDS = np.array([-2.0, -1.1, -0.2, 0.85])  # latent cut points for 1|2, 2|3, 3|4, 4|5


def _choose(rng, options):
    values, weights = zip(*options)
    return values[int(rng.choice(len(values), p=np.array(weights) / sum(weights)))]


def simulate_answers(version, rng, leader_effect):
    """One rater's answers: item = loading * factor + noise, cut into 1..5."""
    processes = version.processes
    k = len(processes)
    phi = np.full((k, k), 0.55) + 0.45 * np.eye(k)
    eta = np.linalg.cholesky(phi) @ rng.standard_normal(k) + leader_effect
    answers = {}
    for f, process in enumerate(processes):
        for i, item in enumerate(process["items"]):
            loading = 0.62 + 0.06 * ((i * 7 + f * 3) % 4)
            latent = loading * eta[f] + np.sqrt(1 - loading ** 2) * rng.standard_normal()
            answers[item["id"]] = int(1 + np.searchsorted(THRESHOLDS, latent))
    if rng.random() < 0.08:  # a few raters cannot observe one or two things
        item_ids = list(answers)
        for index in rng.choice(len(item_ids), size=int(rng.integers(1, 3)), replace=False):
            answers[item_ids[int(index)]] = None
    return answers


@transaction.atomic
def create(organisation, researcher) -> int:
    """Make sure the research demo data exist; returns the number of consented rater responses."""
    load_builtin_frameworks()
    Membership.objects.get_or_create(user=researcher, organisation=organisation, role=Role.RESEARCHER)
    version = Framework.objects.get(slug=default_framework_slug()).latest()
    now = timezone.now()
    existing = set(Cycle.objects.filter(organisation=organisation, title__startswith="Research demo cycle")
                   .values_list("title", flat=True))
    for n in range(1, LEADERS + 1):
        title = TITLE.format(n=n)
        if title in existing:
            continue
        rng = np.random.default_rng(SEED + n)
        leader, created = User.objects.get_or_create(
            email=f"research.leader{n:02d}@demo.flourish.test",
            defaults={"first_name": "Simulated leader", "last_name": str(n)},
        )
        if created:
            leader.set_unusable_password()
            leader.save(update_fields=["password"])
        Membership.objects.get_or_create(user=leader, organisation=organisation, role=Role.LEADER)
        closes_on = date(now.year - 1 - (n % 2), 3 + (n % 8), 15)
        closed_at = timezone.make_aware(datetime(closes_on.year, closes_on.month, 16, 12))
        leader_effect = 0.4 * rng.standard_normal()
        own = SelfAssessment.objects.create(
            leader=leader, organisation=organisation, framework_version=version,
            answers=simulate_answers(version, rng, leader_effect + 0.3),
            importance={p["id"]: 4 for p in version.processes}, research_consent=True,
            completed=closed_at - timedelta(days=20),
        )
        cycle = Cycle.objects.create(
            organisation=organisation, leader=leader, framework_version=version, title=title,
            closes_on=closes_on, status=Status.CLOSED, opened_at=closed_at - timedelta(days=22),
            closed_at=closed_at, self_assessment=own, research_consent=True,
        )
        raters = Rater.objects.bulk_create([
            Rater(cycle=cycle, name=f"Simulated rater {n}-{r + 1}", email="",
                  profession=_choose(rng, PROFESSIONS), relationship=_choose(rng, RELATIONSHIPS),
                  invited_at=(closed_at - timedelta(days=22)).date())
            for r in range(RATERS_PER_CYCLE)
        ])
        Response.objects.bulk_create([
            # A closed cycle's answers are not linked to their raters (see feedback Response).
            Response(cycle=cycle, profession=rater.profession, relationship=rater.relationship,
                     answers=simulate_answers(version, rng, leader_effect), comments={},
                     submitted_at=closed_at - timedelta(days=5), research_consent=bool(rng.random() < 0.9))
            for rater in raters
        ])
    return Response.objects.filter(
        cycle__organisation=organisation, cycle__research_consent=True,
        research_consent=True, submitted_at__isnull=False,
    ).count()
