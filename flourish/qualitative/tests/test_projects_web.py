"""The coding projects' pages: starting a project, its overview and its members."""

import pytest
from django.urls import reverse

from flourish.qualitative import actions, selectors
from flourish.qualitative.models import Coding, MemberRole, Project, ProjectMember
from flourish.testing import personas

from .helpers import make_project


def start(client, **fields):
    data = {"name": "Riverside interviews", "description": "", "organisation": personas.organisation().pk,
            "framework": "none", "unit_kind": "turn", **fields}
    return client.post(reverse("qualitative:index"), data)


def test_a_researcher_starts_a_project_from_the_framework_and_leads_it(client, researcher, model_version):
    client.force_login(researcher)
    page = client.get(reverse("qualitative:index"))
    assert page.status_code == 200 and f"The {model_version}" in page.content.decode()
    response = start(client, framework=str(model_version.pk), unit_kind="sentence")
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("qualitative:project", args=[project.pk])
    assert project.framework_version == model_version and project.unit_kind == "sentence"
    assert project.members.get().user == researcher and project.members.get().role == MemberRole.LEAD
    assert sorted(project.codes.values_list("process_id", flat=True)) == sorted(
        p["id"] for p in model_version.processes)
    assert "is ready" in client.get(response["Location"]).content.decode()


def test_a_project_without_a_framework_starts_with_an_empty_codebook(client, researcher, model_version):
    client.force_login(researcher)
    start(client, framework="none")
    project = Project.objects.get()
    assert project.framework_version is None and not project.codes.exists()


def test_a_second_project_with_the_same_name_is_refused_with_the_reason(client, researcher, model_version):
    client.force_login(researcher)
    start(client)
    response = start(client)
    assert response.status_code == 400 and Project.objects.count() == 1
    text = response.content.decode()
    assert "There is a problem" in text and "already has a project called" in text


def test_a_project_needs_a_name(client, researcher, model_version):
    client.force_login(researcher)
    response = start(client, name="  ")
    assert response.status_code == 400 and not Project.objects.exists()


def test_the_organisation_choice_only_offers_organisations_where_i_am_a_researcher(client, researcher, outsider,
                                                                                   model_version):
    client.force_login(researcher)
    response = start(client, organisation=outsider.memberships.first().organisation.pk)
    assert response.status_code == 400 and not Project.objects.exists()


def test_someone_without_the_researcher_role_does_not_find_the_coding_pages(client, leader):
    client.force_login(leader)
    assert client.get(reverse("qualitative:index")).status_code == 404


def test_the_index_lists_only_the_projects_i_belong_to(client, researcher, second_researcher, model_version):
    mine = make_project(researcher, name="Mei's study")
    theirs = actions.create_project(second_researcher, second_researcher.memberships.first().organisation,
                                    "Tomasz's study")
    client.force_login(researcher)
    text = client.get(reverse("qualitative:index")).content.decode()
    assert reverse("qualitative:project", args=[mine.pk]) in text
    assert "Tomasz&#x27;s study" not in text and reverse("qualitative:project", args=[theirs.pk]) not in text


def test_the_project_page_shows_sources_with_their_stage_and_counts_only_my_codings(
        client, researcher, second_researcher, model_version):
    project = make_project(researcher, second_researcher, model_version)
    interview = project.sources.get(name="interview-ann.txt")
    tomasz = selectors.person_layer(project, second_researcher)
    code = project.codes.first()
    actions.add_code_to_turn(tomasz, interview, 1, [code])
    actions.add_code_to_turn(tomasz, interview, 3, [code])
    actions.add_code_to_turn(selectors.person_layer(project, researcher), interview, 1, [code])
    client.force_login(researcher)
    response = client.get(reverse("qualitative:project", args=[project.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "interview-ann.txt" in text and "PAR session" in text and "interview" in text
    row = text[text.index("interview-ann.txt"):text.index("par-session-1.txt")]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in row  # Mei's 1, not Tomasz's 2
    assert reverse("qualitative:codebook", args=[project.pk]) in text
    assert reverse("qualitative:coding", args=[project.pk, interview.pk]) in text
    assert "Tomasz Nowak" in text and "Coder" in text


def test_the_lead_adds_a_researcher_of_the_organisation_as_a_coder(client, researcher, second_researcher):
    project = make_project(researcher)
    client.force_login(researcher)
    response = client.post(reverse("qualitative:add_member", args=[project.pk]),
                           {"email": "TOMASZ@riverside.test", "role": "coder"})
    assert response.status_code == 302
    member = project.members.get(user=second_researcher)
    assert member.role == MemberRole.CODER and project.coders.filter(user=second_researcher).exists()


@pytest.mark.parametrize("email", ["amara@riverside.test", "nobody@riverside.test", "olu@elsewhere.test"])
def test_only_researchers_of_the_organisation_can_be_added(client, researcher, leader, outsider, email):
    project = make_project(researcher)
    client.force_login(researcher)
    response = client.post(reverse("qualitative:add_member", args=[project.pk]), {"email": email, "role": "coder"})
    assert response.status_code == 400 and project.members.count() == 1
    assert "is not a researcher in" in response.content.decode()


def test_the_lead_removes_a_coder_whose_codings_stay(client, researcher, second_researcher):
    project = make_project(researcher, second_researcher)
    layer = selectors.person_layer(project, second_researcher)
    actions.add_code_to_turn(layer, project.sources.first(), 0, [actions.add_code(project, researcher, "Trust")])
    member = project.members.get(user=second_researcher)
    client.force_login(researcher)
    response = client.post(reverse("qualitative:remove_member", args=[project.pk, member.pk]))
    assert response.status_code == 302 and not project.members.filter(user=second_researcher).exists()
    assert Coding.objects.filter(coder=layer).count() == 1
    client.force_login(second_researcher)
    assert client.get(reverse("qualitative:project", args=[project.pk])).status_code == 404


def test_the_last_lead_cannot_be_removed(client, researcher):
    project = make_project(researcher)
    client.force_login(researcher)
    me = project.members.get()
    response = client.post(reverse("qualitative:remove_member", args=[project.pk, me.pk]), follow=True)
    assert ProjectMember.objects.filter(pk=me.pk).exists()
    assert "needs at least one lead researcher" in response.content.decode()


def test_the_project_pages_share_one_sub_navigation(client, researcher):
    project = make_project(researcher)
    client.force_login(researcher)
    text = client.get(reverse("qualitative:project", args=[project.pk])).content.decode()
    for name in ("project", "sources", "speakers", "codebook", "memos"):
        assert reverse(f"qualitative:{name}", args=[project.pk]) in text
    assert 'aria-current="page">Overview' in text


def test_researchers_find_coding_projects_from_the_research_page(client, researcher):
    client.force_login(researcher)
    text = client.get(reverse("research:index")).content.decode()
    assert f'href="{reverse("qualitative:index")}">Coding projects</a>' in text
