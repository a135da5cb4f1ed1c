"""The demo coding project: two interviews and a PAR session coded by two researchers."""

import pytest

from flourish.demo import organisation as demo_organisation
from flourish.qualitative import demo
from flourish.qualitative.models import CoderKind, Coding, Project

pytestmark = pytest.mark.django_db


def test_the_demo_project_has_two_interviews_and_a_par_session_coded_by_two_people():
    demo_organisation.create()
    project = Project.objects.get(name=demo.NAME)
    assert sorted((s.name, s.stage) for s in project.sources.all()) == [
        ("interview-joseph.txt", "interview"), ("interview-lena.txt", "interview"),
        ("par-session-1.txt", "PAR session")]
    people = project.coders.filter(kind=CoderKind.PERSON)
    assert people.count() == 2
    for layer in people:
        assert Coding.objects.filter(coder=layer).count() >= 15
    assert all(c.is_current for c in Coding.objects.filter(source__project=project))
    consensus = Coding.objects.filter(coder=project.consensus())
    assert consensus.count() >= 15 and project.adjudications.count() == 3
    lena = project.speakers.get(name="Lena")
    assert lena.attributes["role"] == "Centre leader"


def test_running_the_demo_again_changes_nothing():
    demo_organisation.create()
    before = Coding.objects.count(), Project.objects.count()
    demo_organisation.create()
    assert (Coding.objects.count(), Project.objects.count()) == before
