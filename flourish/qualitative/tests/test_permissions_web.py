"""Who may open and do what on the coding pages: 404 for anyone outside the project (they
cannot tell it exists), 404 for coders on the lead's pages, and nobody touches another
coder's layer."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flourish.accounts.models import Membership, Role
from flourish.qualitative import actions, selectors
from flourish.qualitative.models import Code, Coding, Memo, Project, ProjectMember, Source, Speaker
from flourish.testing import personas

from .helpers import INTERVIEW, make_project


@pytest.fixture
def project(researcher, second_researcher, model_version):
    """Mei leads, Tomasz codes; each has a coding and a memo on it."""
    project = make_project(researcher, second_researcher, model_version)
    source = project.sources.get(name="interview-ann.txt")
    code = project.codes.first()
    actions.add_code_to_turn(selectors.person_layer(project, researcher), source, 1, [code])
    tomasz = actions.add_code_to_turn(selectors.person_layer(project, second_researcher), source, 3, [code])[0]
    actions.add_memo(project, second_researcher, "Tomasz's note", tomasz)
    return project


def ids(project):
    source = project.sources.get(name="interview-ann.txt")
    return {
        "pk": project.pk, "source": source.pk, "code": project.codes.first().pk,
        "speaker": project.speakers.first().pk, "member": project.members.get(role="coder").pk,
        "mei_coding": Coding.objects.get(coder__user__email="mei@riverside.test").pk,
        "memo": Memo.objects.get().pk,
    }


def member_gets(project):
    """Pages every member reads."""
    i = ids(project)
    return [
        reverse("qualitative:project", args=[i["pk"]]),
        reverse("qualitative:sources", args=[i["pk"]]),
        reverse("qualitative:source", args=[i["pk"], i["source"]]),
        reverse("qualitative:speakers", args=[i["pk"]]),
        reverse("qualitative:codebook", args=[i["pk"]]),
        reverse("qualitative:code", args=[i["pk"], i["code"]]),
        reverse("qualitative:memos", args=[i["pk"]]),
        reverse("qualitative:memos", args=[i["pk"]]) + f"?code={i['code']}",
        reverse("qualitative:memos", args=[i["pk"]]) + f"?source={i['source']}",
        reverse("qualitative:coding", args=[i["pk"], i["source"]]),
    ]


def member_posts(project):
    """What every member may do (on their own layer, their own memos, their own codes)."""
    i = ids(project)
    return [
        (reverse("qualitative:codebook", args=[i["pk"]]), {"name": "Sneaky code", "colour": ""}),
        (reverse("qualitative:memos", args=[i["pk"]]), {"text": "Sneaky memo"}),
        (reverse("qualitative:set_turn_codes", args=[i["pk"], i["source"], 2]), {"codes": [i["code"]]}),
        (reverse("qualitative:apply_codes", args=[i["pk"], i["source"]]),
         {"selection-start": 0, "selection-end": 5, "selection-codes": [i["code"]]}),
    ]


def lead_requests(project):
    """What only a lead may do: (method, url, data)."""
    i = ids(project)
    return [
        ("post", reverse("qualitative:add_member", args=[i["pk"]]), {"email": "sam@riverside.test", "role": "lead"}),
        ("post", reverse("qualitative:remove_member", args=[i["pk"], i["member"]]), {}),
        ("post", reverse("qualitative:sources", args=[i["pk"]]),
         {"files": [SimpleUploadedFile("x.txt", b"Ann: x")], "stage": ""}),
        ("post", reverse("qualitative:source_attributes", args=[i["pk"], i["source"]]), {"stage": "", "site": "X"}),
        ("post", reverse("qualitative:revise_source", args=[i["pk"], i["source"]]),
         {"file": SimpleUploadedFile("r.txt", b"Ann: changed")}),
        ("get", reverse("qualitative:delete_source", args=[i["pk"], i["source"]]), {}),
        ("post", reverse("qualitative:delete_source", args=[i["pk"], i["source"]]), {}),
        ("post", reverse("qualitative:speaker", args=[i["pk"], i["speaker"]]), {f"speaker-{i['speaker']}-role": "X"}),
        ("post", reverse("qualitative:code", args=[i["pk"], i["code"]]), {"name": "Renamed", "colour": ""}),
    ]


def own_only_requests(project):
    """Another member's coding and memo."""
    i = ids(project)
    return [
        ("post", reverse("qualitative:remove_coding", args=[i["pk"], i["mei_coding"]]), {}),
        ("get", reverse("qualitative:memos", args=[i["pk"]]) + f"?coding={i['mei_coding']}", {}),
        ("get", reverse("qualitative:memo", args=[i["pk"], i["memo"]]), {}),
        ("post", reverse("qualitative:delete_memo", args=[i["pk"], i["memo"]]), {}),
    ]


def snapshot():
    return (Project.objects.count(), ProjectMember.objects.count(), Source.objects.count(), Code.objects.count(),
            Coding.objects.count(), Memo.objects.count(), list(Source.objects.values_list("text", "attributes")),
            list(Speaker.objects.values_list("attributes", flat=True)), list(Code.objects.values_list("name")))


def test_members_read_every_page(client, project, researcher, second_researcher):
    for user in (researcher, second_researcher):
        client.force_login(user)
        for url in member_gets(project):
            assert client.get(url).status_code == 200, (user, url)


@pytest.mark.parametrize("who", ["outsider", "researcher who is not a member", "leader of the organisation",
                                 "researcher of another organisation", "member who left the organisation"])
def test_people_outside_the_project_get_404_everywhere_and_change_nothing(client, project, outsider, leader,
                                                                          second_researcher, who):
    if who == "outsider":
        user = outsider
    elif who == "researcher who is not a member":
        user = personas.person("noor@riverside.test", Role.RESEARCHER, personas.organisation(), "Noor", "Ali")
    elif who == "leader of the organisation":
        user = leader
    elif who == "researcher of another organisation":
        user = personas.person("kit@elsewhere.test", Role.RESEARCHER, personas.organisation("Hilltop Family Hub"))
    else:
        user = second_researcher
        Membership.objects.filter(user=user, role=Role.RESEARCHER).delete()
    before = snapshot()
    client.force_login(user)
    for url in member_gets(project):
        assert client.get(url).status_code == 404, url
    for url, data in member_posts(project):
        assert client.post(url, data).status_code == 404, url
    for method, url, data in lead_requests(project) + own_only_requests(project):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in(client, project):
    for url in member_gets(project) + [reverse("qualitative:index")]:
        response = client.get(url)
        assert response.status_code == 302 and "/account/sign-in/" in response["Location"], url


def test_a_coder_gets_404_on_everything_only_the_lead_may_do(client, project, second_researcher):
    before = snapshot()
    client.force_login(second_researcher)
    for method, url, data in lead_requests(project):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert snapshot() == before


def test_a_coder_cannot_remove_or_read_anothers_coding_or_memo(client, project, researcher):
    before = snapshot()
    client.force_login(researcher)  # Mei is a lead, and still may not touch Tomasz's layer or memo
    i = ids(project)
    tomasz_coding = Coding.objects.get(coder__user__email="tomasz@riverside.test")
    for method, url, data in [
        ("post", reverse("qualitative:remove_coding", args=[i["pk"], tomasz_coding.pk]), {"back": "source"}),
        ("get", reverse("qualitative:memos", args=[i["pk"]]) + f"?coding={tomasz_coding.pk}", {}),
        ("post", reverse("qualitative:memos", args=[i["pk"]]) + f"?coding={tomasz_coding.pk}", {"text": "Hm"}),
        ("get", reverse("qualitative:memo", args=[i["pk"], i["memo"]]), {}),
        ("post", reverse("qualitative:memo", args=[i["pk"], i["memo"]]), {"text": "Rewritten"}),
        ("post", reverse("qualitative:delete_memo", args=[i["pk"], i["memo"]]), {}),
    ]:
        assert getattr(client, method)(url, data).status_code == 404, url
    assert snapshot() == before
    assert "Tomasz&#x27;s note" not in client.get(reverse("qualitative:memos", args=[i["pk"]])).content.decode()


def test_saving_a_turn_or_a_selection_only_ever_touches_my_own_layer(client, project, researcher, second_researcher):
    source = project.sources.get(name="interview-ann.txt")
    meis = list(Coding.objects.filter(coder__user=researcher).values_list("pk", "code", "start", "end"))
    client.force_login(second_researcher)
    client.post(reverse("qualitative:set_turn_codes", args=[project.pk, source.pk, 2]), {"codes": []})  # Mei coded it
    start = INTERVIEW.index("We meet")
    client.post(reverse("qualitative:apply_codes", args=[project.pk, source.pk]), {
        "selection-start": start, "selection-end": start + 7, "selection-codes": [project.codes.last().pk]})
    assert list(Coding.objects.filter(coder__user=researcher).values_list("pk", "code", "start", "end")) == meis
    assert Coding.objects.filter(coder__user=second_researcher, start=start, end=start + 7).exists()


def test_a_project_id_of_another_project_does_not_reach_its_sources_codes_or_codings(client, researcher, project):
    other = make_project(researcher, name="Another study")
    other_source, other_code = other.sources.first(), actions.add_code(other, researcher, "Elsewhere")
    client.force_login(researcher)
    for url in [reverse("qualitative:source", args=[project.pk, other_source.pk]),
                reverse("qualitative:coding", args=[project.pk, other_source.pk]),
                reverse("qualitative:code", args=[project.pk, other_code.pk]),
                reverse("qualitative:memos", args=[project.pk]) + f"?source={other_source.pk}"]:
        assert client.get(url).status_code == 404, url
    mine = actions.add_code_to_turn(selectors.person_layer(other, researcher), other_source, 0, [other_code])[0]
    response = client.post(reverse("qualitative:remove_coding", args=[project.pk, mine.pk]))
    assert response.status_code == 404 and Coding.objects.filter(pk=mine.pk).exists()


def _as_int(value):
    try:
        return int(str(value))
    except ValueError:
        return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), via=st.sampled_from(["remove", "edit memo", "delete memo", "memos"]))
def test_no_id_lets_a_coder_reach_anothers_coding_or_memo(client, project, researcher, second_researcher, data, via):
    """Whatever id Tomasz sends (Mei's real ids, his own, numbers, junk), he reaches only his
    own codings and memos, and Mei's stay as they are."""
    meis = lambda: sorted(Coding.objects.filter(coder__user__email="mei@riverside.test").values_list("pk", "start"))  # noqa: E731
    mei_memo = actions.add_memo(project, researcher, "Mei's own")
    source, code = project.sources.get(name="interview-ann.txt"), project.codes.first()
    tomasz = selectors.person_layer(project, second_researcher)
    own_coding = actions.add_code_to_turn(tomasz, source, 3, [code])[0]  # (again, if an example removed it)
    own_memo = Memo.objects.filter(author=second_researcher).first() or actions.add_memo(
        project, second_researcher, "Tomasz's note", own_coding)
    before, own_codings, own_memos = meis(), {own_coding.pk}, {own_memo.pk}
    named = {"Mei's coding": before[0][0], "Mei's memo": mei_memo.pk, "own coding": own_coding.pk,
             "own memo": own_memo.pk}
    pk = data.draw(st.one_of(st.sampled_from(sorted(named)), st.integers(min_value=-3, max_value=10_000),
                             st.text(alphabet="0123456789 +-_abc", max_size=6)))
    pk = named.get(pk, pk)
    client.force_login(second_researcher)
    base = f"/coding/{project.pk}/"
    in_path = re.fullmatch(r"[0-9]+", str(pk)) is not None
    if via == "remove":
        response = client.post(f"{base}codings/{pk}/remove/")
        allowed = in_path and int(pk) in own_codings
    elif via == "edit memo":
        response = client.post(f"{base}memos/{pk}/", {"text": "Rewritten"})
        allowed = in_path and int(pk) in own_memos
    elif via == "delete memo":
        response = client.post(f"{base}memos/{pk}/delete/")
        allowed = in_path and int(pk) in own_memos
    else:
        response = client.get(f"{base}memos/", {"coding": pk})
        allowed = _as_int(pk) in own_codings
    assert response.status_code == (404 if not allowed else 200 if via == "memos" else 302), (via, pk)
    assert meis() == before
    assert Memo.objects.filter(pk=mei_memo.pk, text="Mei's own").exists()
    mei_memo.delete()
