"""Starting a round uses the self-assessment Amara finished this morning as her own view,
instead of making an empty one beside it; an old one, or one already part of a round, is
left alone and she gets a new one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from flourish.selfassess.models import SelfAssessment

from .helpers import new_cycle

pytestmark = pytest.mark.django_db


def finished(leader, version, when):
    assessment = SelfAssessment.objects.create(
        leader=leader, organisation=leader.memberships.first().organisation, framework_version=version,
        answers={i["id"]: 3 for p in version.processes for i in p["items"]},
        importance={p["id"]: 4 for p in version.processes})
    SelfAssessment.objects.filter(pk=assessment.pk).update(completed=when)
    return assessment


def test_a_self_assessment_finished_this_morning_is_the_rounds_own_view(leader, model_version):
    morning = finished(leader, model_version, timezone.now() - timedelta(hours=3))
    cycle = new_cycle(leader, model_version)
    assert cycle.self_assessment_id == morning.pk
    assert SelfAssessment.objects.filter(leader=leader).count() == 1


def test_an_old_one_or_one_in_another_round_is_not_taken(leader, model_version):
    finished(leader, model_version, timezone.now() - timedelta(days=45))
    first = new_cycle(leader, model_version, title="Spring")
    assert not first.self_assessment.is_complete  # a new one: the old one is too old to speak for her now
    second = new_cycle(leader, model_version, title="Autumn")
    assert second.self_assessment_id not in (None, first.self_assessment_id)
    assert SelfAssessment.objects.filter(leader=leader).count() == 3


def test_the_same_day_entries_can_be_told_apart_by_their_time(client, leader, model_version):
    finished(leader, model_version, timezone.localtime().replace(hour=9, minute=14))
    finished(leader, model_version, timezone.localtime().replace(hour=16, minute=2))
    client.force_login(leader)
    page = client.get("/self-assessment/").content.decode()
    assert "09:14" in page and "16:02" in page
