import pytest

from flourish.development import demo
from flourish.development.models import Action, JournalEntry, Plan

from .helpers import self_assessment

pytestmark = pytest.mark.django_db


def test_the_demo_plan_and_journal_are_made_once(leader, organisation, model_version):
    assert demo.create(leader, organisation) is None  # nothing to plan from yet
    self_assessment(leader, model_version)
    plan = demo.create(leader, organisation)
    demo.create(leader, organisation)
    assert Plan.objects.count() == 1 and len(plan.processes) == 2
    assert plan.goals.count() == 2 and plan.reviews.count() == 1
    done = Action.objects.filter(status="done")
    assert done.count() == 1 and done.get().notes.count() == 1
    entries = JournalEntry.objects.filter(leader=leader)
    assert entries.count() == 3 and all(e.processes for e in entries)
