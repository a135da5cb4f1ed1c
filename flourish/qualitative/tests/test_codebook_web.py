"""The codebook page (framework and emergent codes, sub-codes, editing) and memos."""

from django.urls import reverse
from django.utils.html import escape

from flourish.qualitative import actions, codebook, selectors
from flourish.qualitative.models import Code, Memo

from .helpers import make_project


def code_fields(**fields):
    return {"name": "", "definition": "", "inclusion": "", "exclusion": "", "examples": "", "colour": "#0072b2",
            **fields}


def test_the_codebook_shows_each_framework_code_with_its_process_and_says_whose_guidance_it_is(
        client, researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    client.force_login(researcher)
    text = client.get(reverse("qualitative:codebook", args=[project.pk])).content.decode()
    for process in model_version.processes:
        code = project.codes.get(process_id=process["id"])
        assert reverse("qualitative:code", args=[project.pk, code.pk]) in text
    assert text.count("Stands for the process") == len(model_version.processes)
    assert "Flourish's own operationalisation of the model, not the source study's" in text
    assert escape(" ".join(codebook.guidance(model_version.slug)["provenance"].split())) in " ".join(text.split())


def test_a_member_adds_an_emergent_code_and_a_sub_code_with_examples_one_per_line(
        client, researcher, second_researcher, model_version):
    project = make_project(researcher, second_researcher, model_version)
    client.force_login(second_researcher)
    url = reverse("qualitative:codebook", args=[project.pk])
    response = client.post(url, code_fields(name="Shared premises", definition="Working from one building.",
                                            examples="We moved in together.\n\n  The kettle helps.  \n",
                                            colour="#D55E00"))
    assert response.status_code == 302
    premises = Code.objects.get(name="Shared premises")
    assert premises.examples == ["We moved in together.", "The kettle helps."]
    assert premises.colour == "#d55e00" and premises.process_id == "" and premises.created_by == second_researcher
    parent = project.codes.get(process_id=model_version.processes[0]["id"])
    parent_page = client.get(reverse("qualitative:code", args=[project.pk, parent.pk])).content.decode()
    assert f"?parent={parent.pk}" in parent_page
    assert "selected" in client.get(f"{url}?parent={parent.pk}").content.decode().split(f'value="{parent.pk}"')[1][:20]
    client.post(url, code_fields(name="Data sharing", parent=parent.pk))
    sub = Code.objects.get(name="Data sharing")
    assert sub.parent == parent and not sub.is_framework
    assert "Sub-code of" not in client.get(url).content.decode()  # (that hint is on the coding page)


def test_a_code_name_used_twice_at_the_same_level_is_refused(client, researcher):
    project = make_project(researcher)
    actions.add_code(project, researcher, "Trust")
    client.force_login(researcher)
    response = client.post(reverse("qualitative:codebook", args=[project.pk]), code_fields(name="trust"))
    assert response.status_code == 400 and "There is already a code called" in response.content.decode()
    response = client.post(reverse("qualitative:codebook", args=[project.pk]), code_fields(name="X", colour="red"))
    assert response.status_code == 400 and "six hexadecimal digits" in response.content.decode()


def test_the_lead_edits_a_framework_code_which_keeps_its_process_and_cannot_be_deleted(
        client, researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    code = project.codes.get(process_id=model_version.processes[1]["id"])
    client.force_login(researcher)
    url = reverse("qualitative:code", args=[project.pk, code.pk])
    page = client.get(url).content.decode()
    assert "Delete the code" not in page and "cannot be deleted" in page and "not the source study" in page
    response = client.post(url, code_fields(name="Relationships", inclusion="Any repair after conflict.",
                                            exclusion="Small talk.", examples="One\nTwo"))
    assert response.status_code == 302
    code.refresh_from_db()
    assert (code.name, code.inclusion, code.exclusion, code.examples) == (
        "Relationships", "Any repair after conflict.", "Small talk.", ["One", "Two"])
    assert code.process_id == model_version.processes[1]["id"]
    response = client.post(reverse("qualitative:delete_code", args=[project.pk, code.pk]), follow=True)
    assert Code.objects.filter(pk=code.pk).exists() and "stays in the codebook" in response.content.decode()


def test_an_emergent_code_is_deleted_unless_it_has_codings(client, researcher):
    project = make_project(researcher)
    spare, used = actions.add_code(project, researcher, "Spare"), actions.add_code(project, researcher, "Used")
    actions.add_code_to_turn(selectors.person_layer(project, researcher), project.sources.first(), 0, [used])
    client.force_login(researcher)
    assert client.post(reverse("qualitative:delete_code", args=[project.pk, spare.pk])).status_code == 302
    assert not Code.objects.filter(pk=spare.pk).exists()
    response = client.post(reverse("qualitative:delete_code", args=[project.pk, used.pk]), follow=True)
    assert Code.objects.filter(pk=used.pk).exists() and "has codings or sub-codes" in response.content.decode()


def test_a_coder_edits_only_the_emergent_codes_they_added(client, researcher, second_researcher, model_version):
    project = make_project(researcher, second_researcher, model_version)
    framework_code = project.codes.filter(process_id__gt="").first()
    meis = actions.add_code(project, researcher, "Mei's code")
    own = actions.add_code(project, second_researcher, "Tomasz's code")
    client.force_login(second_researcher)
    for code in (framework_code, meis):
        url = reverse("qualitative:code", args=[project.pk, code.pk])
        assert client.get(url).status_code == 200 and "Edit the code" not in client.get(url).content.decode()
        assert client.post(url, code_fields(name="Hijacked")).status_code == 404
        assert client.post(reverse("qualitative:delete_code", args=[project.pk, code.pk])).status_code == 404
    assert not Code.objects.filter(name="Hijacked").exists()
    url = reverse("qualitative:code", args=[project.pk, own.pk])
    assert client.post(url, code_fields(name="Tomasz's better code")).status_code == 302
    assert client.post(reverse("qualitative:delete_code", args=[project.pk, own.pk])).status_code == 302


def test_memos_on_the_project_a_code_a_source_and_my_coding(client, researcher, second_researcher, model_version):
    project = make_project(researcher, second_researcher, model_version)
    code, source = project.codes.first(), project.sources.first()
    coding = actions.add_code_to_turn(selectors.person_layer(project, researcher), source, 1, [code])[0]
    url = reverse("qualitative:memos", args=[project.pk])
    client.force_login(researcher)
    for query, text in (("", "The whole study"), (f"?code={code.pk}", "About the code"),
                        (f"?source={source.pk}", "About the source"), (f"?coding={coding.pk}", "About my coding")):
        assert client.get(url + query).status_code == 200
        response = client.post(url + query, {"name": "", "text": text})
        assert response.status_code == 302 and response["Location"] == url + query
    assert Memo.objects.get(text="The whole study").target is None
    assert Memo.objects.get(text="About the code").code == code
    assert Memo.objects.get(text="About the source").source == source
    assert Memo.objects.get(text="About my coding").coding == coding
    assert "About the code" in client.get(reverse("qualitative:code", args=[project.pk, code.pk])).content.decode()
    # Tomasz reads the shared memos but not the one on Mei's coding, and cannot open that coding.
    client.force_login(second_researcher)
    text = client.get(url).content.decode()
    assert "The whole study" in text and "About the code" in text and "About the source" in text
    assert "About my coding" not in text
    assert client.get(f"{url}?coding={coding.pk}").status_code == 404
    assert client.post(f"{url}?coding={coding.pk}", {"text": "Sneaky"}).status_code == 404


def test_only_the_author_edits_or_deletes_a_memo(client, researcher, second_researcher):
    project = make_project(researcher, second_researcher)
    memo = actions.add_memo(project, researcher, "First thoughts")
    edit = reverse("qualitative:memo", args=[project.pk, memo.pk])
    delete = reverse("qualitative:delete_memo", args=[project.pk, memo.pk])
    client.force_login(second_researcher)
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"text": "Changed"}).status_code == 404
    assert client.post(delete).status_code == 404
    client.force_login(researcher)
    assert client.post(edit, {"name": "Day one", "text": ""}).status_code == 400
    assert client.post(edit, {"name": "Day one", "text": "Second thoughts"}).status_code == 302
    memo.refresh_from_db()
    assert (memo.name, memo.text) == ("Day one", "Second thoughts")
    assert client.post(delete).status_code == 302 and not Memo.objects.exists()
