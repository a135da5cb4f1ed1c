"""Opening a page of the workbench writes nothing — not even the visitor's own layer, which
is made when they join — and each main page costs a bounded number of queries, however many
codes, sources and codings the project has (the bounds are zulip-style ceilings: a new N+1
breaks them). Layers: made with the project and on joining, and by the data migration for
projects and members from before."""

import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from flourish.qualitative import actions, selectors
from flourish.qualitative.models import Coder, CoderKind, MemberRole, Memo, Project, ProjectMember

from .analysis_helpers import coded_project, url

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)

# page name -> ceiling of queries for Tomasz (a coder who has chosen to compare), with the
# project of analysis_helpers: what each page needs today (the session, the user, the
# project, membership and layer, then the page's own reads), so one query more fails.
# Agreement, adjudication, synthesis and the model check read their result from the cache
# (`analysis.project_state`: four queries) once it has been computed.
PAGES = {
    "project": 12, "sources": 9, "speakers": 9, "codebook": 11, "memos": 9, "exchange": 9,
    "agreement": 23, "adjudication": 22, "synthesis": 18, "model_check": 17, "assist": 9,
}
# Pages whose rows come from the codebook and memos: more of them costs no more queries.
GROWING = ["project", "codebook", "memos", "agreement", "adjudication", "synthesis", "model_check"]


@pytest.fixture
def project(researcher, second_researcher, model_version):
    project = coded_project(researcher, second_researcher, model_version)
    actions.add_memo(project, second_researcher, "Relationships come first for Ann.", target=project.codes.first())
    return project


def _pages(project):
    source = project.sources.get(name="interview-ann.txt")
    code = project.codes.first()
    memo = Memo.objects.filter(project=project).first()
    return {**{name: url(name, project) for name in PAGES},
            "source": url("source", project, source.pk), "coding": url("coding", project, source.pk),
            "code": url("code", project, code.pk), "memo": url("memo", project, memo.pk),
            "index": "/coding/", "import": "/coding/import/"}


@pytest.mark.parametrize("compared", [False, True], ids=["still blind", "after choosing to compare"])
def test_no_page_of_the_workbench_writes_when_it_is_opened(client, project, second_researcher, compared):
    if compared:
        actions.choose_to_compare(selectors.person_layer(project, second_researcher))
    client.force_login(second_researcher)
    before = set(Coder.objects.values_list("pk", "compared_at"))
    for name, address in _pages(project).items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200, name
        writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
        assert writes == [], f"{name} wrote: {writes}"
    assert set(Coder.objects.values_list("pk", "compared_at")) == before


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_main_page_needs_a_bounded_number_of_queries(client, project, second_researcher,
                                                            django_assert_max_num_queries, name):
    actions.choose_to_compare(selectors.person_layer(project, second_researcher))
    client.force_login(second_researcher)
    client.get(url(name, project))  # warm per-process caches (framework guidance files)
    with django_assert_max_num_queries(PAGES[name]):
        assert client.get(url(name, project)).status_code == 200


def test_the_coding_page_does_not_grow_with_the_codebook(client, project, researcher, second_researcher,
                                                          django_assert_max_num_queries):
    source = project.sources.get(name="interview-ann.txt")
    client.force_login(second_researcher)
    with CaptureQueriesContext(connection) as small:
        client.get(url("coding", project, source.pk))
    for n in range(15):
        actions.add_code(project, researcher, f"Emergent theme {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url("coding", project, source.pk)).status_code == 200


@pytest.mark.parametrize("name", GROWING)
def test_a_main_page_does_not_grow_with_the_codebook_and_memos(client, project, researcher, second_researcher,
                                                               django_assert_max_num_queries, name):
    actions.choose_to_compare(selectors.person_layer(project, second_researcher))
    client.force_login(second_researcher)
    client.get(url(name, project))
    cache.clear()  # computed afresh (a cached result would hide the computation's queries)
    with CaptureQueriesContext(connection) as small:
        client.get(url(name, project))
    with CaptureQueriesContext(connection) as small_cached:
        client.get(url(name, project))
    for n in range(10):
        code = actions.add_code(project, researcher, f"Emergent theme {n}")
        actions.add_memo(project, researcher, f"Why theme {n} matters.", target=code)
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url(name, project)).status_code == 200
    with django_assert_max_num_queries(len(small_cached.captured_queries)):
        assert client.get(url(name, project)).status_code == 200


def test_a_new_project_has_its_consensus_and_assistant_layers_and_each_member_their_own(
        project, researcher, second_researcher):
    kinds = sorted(project.coders.values_list("kind", flat=True))
    assert kinds == sorted([CoderKind.CONSENSUS, CoderKind.ASSISTANT, CoderKind.PERSON, CoderKind.PERSON])
    assert project.consensus().kind == CoderKind.CONSENSUS and project.assistant().kind == CoderKind.ASSISTANT
    assert selectors.person_layer(project, second_researcher).user == second_researcher


def test_a_member_who_leaves_and_comes_back_finds_their_old_layer(project, second_researcher):
    layer = selectors.person_layer(project, second_researcher)
    actions.remove_member(project, project.members.get(user=second_researcher))
    actions.add_member(project, second_researcher.email, MemberRole.CODER)
    assert selectors.person_layer(project, second_researcher).pk == layer.pk


def test_the_data_migration_makes_the_layers_that_projects_and_members_from_before_lack(
        researcher, second_researcher, organisation):
    from importlib import import_module

    old = Project.objects.create(organisation=organisation, name="From before", created_by=researcher)
    for user in (researcher, second_researcher):
        ProjectMember.objects.create(project=old, user=user, role=MemberRole.LEAD)
    import_module("flourish.qualitative.migrations.0002_make_missing_layers").make_missing_layers(apps, None)
    assert old.consensus() and old.assistant()
    assert selectors.person_layer(old, second_researcher).name == second_researcher.get_full_name()
    again = Coder.objects.count()
    import_module("flourish.qualitative.migrations.0002_make_missing_layers").make_missing_layers(apps, None)
    assert Coder.objects.count() == again
