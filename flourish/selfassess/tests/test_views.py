"""Self-assessment pages: the leader's flow, and nobody else's eyes on it."""

import pytest

from flourish.selfassess import actions
from flourish.selfassess.models import SelfAssessment


def answer_all(client, assessment, value="3", importance="4"):
    for step, process in enumerate(assessment.framework_version.processes, start=1):
        data = {f"item-{i['id']}": value for i in process["items"]}
        data["importance"] = importance
        data["continue"] = ""
        response = client.post(f"/self-assessment/{assessment.pk}/step/{step}/", data)
        assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def started(client, leader, model_version):
    client.force_login(leader)
    response = client.post("/self-assessment/start/", {
        "organisation": leader.memberships.first().organisation_id, "framework": model_version.pk,
    })
    assert response.status_code == 302
    return SelfAssessment.objects.get(leader=leader)


def test_a_leader_completes_a_self_assessment_and_sees_the_profile(client, started):
    answer_all(client, started)
    assert client.post(f"/self-assessment/{started.pk}/review/").status_code == 302
    started.refresh_from_db()
    assert started.is_complete
    html = client.get(f"/self-assessment/{started.pk}/").content.decode()
    assert "Your profile" in html and "3.00" in html


def test_moving_on_needs_every_item_answered_or_marked_not_able_to_observe(client, started):
    process = started.framework_version.processes[0]
    response = client.post(f"/self-assessment/{started.pk}/step/1/", {"continue": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "Choose how important" in html
    started.refresh_from_db()
    assert started.answers == {}
    data = {f"item-{i['id']}": "na" for i in process["items"]} | {"importance": "2", "continue": ""}
    assert client.post(f"/self-assessment/{started.pk}/step/1/", data).status_code == 302
    started.refresh_from_db()
    assert all(started.answers[i["id"]] is None for i in process["items"])


def test_save_and_come_back_later_keeps_a_half_answered_page(client, started):
    first_item = started.framework_version.processes[0]["items"][0]["id"]
    response = client.post(f"/self-assessment/{started.pk}/step/1/", {
        f"item-{first_item}": "5", "save_and_return": ""})
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.answers == {first_item: 5}
    html = client.get(f"/self-assessment/{started.pk}/step/1/").content.decode()
    assert 'value="5" checked' in html


def test_a_value_outside_the_scale_is_refused(client, started):
    process = started.framework_version.processes[0]
    data = {f"item-{i['id']}": "9" for i in process["items"]} | {"importance": "4", "continue": ""}
    response = client.post(f"/self-assessment/{started.pk}/step/1/", data)
    assert response.status_code == 400
    started.refresh_from_db()
    assert started.answers == {}


def test_finishing_early_says_what_is_missing(client, started):
    response = client.post(f"/self-assessment/{started.pk}/review/")
    assert response.status_code == 400
    assert started.framework_version.processes[0]["name"] in response.content.decode()


def test_a_completed_self_assessment_cannot_change(client, started):
    answer_all(client, started)
    actions.complete(started)
    with pytest.raises(actions.NotAllowed):
        actions.save_answers(started, started.framework_version.processes[0]["id"], {}, 1)
    response = client.get(f"/self-assessment/{started.pk}/step/1/")
    assert response.status_code == 302 and response.url.endswith(f"/self-assessment/{started.pk}/")


def test_the_profile_compares_with_the_previous_self_assessment(client, leader, started):
    answer_all(client, started, value="2")
    actions.complete(started)
    second = actions.start(leader, started.organisation, started.framework_version)
    answer_all(client, second, value="4")
    actions.complete(second)
    html = client.get(f"/self-assessment/{second.pk}/").content.decode()
    assert "Change" in html and "+2.00" in html


def test_choosing_focus_shows_prompts_and_practices_but_no_more_than_three(client, started):
    answer_all(client, started)
    actions.complete(started)
    processes = started.framework_version.processes
    chosen = processes[1]
    response = client.post(f"/self-assessment/{started.pk}/", {"focus": [chosen["id"]]})
    assert response.status_code == 302
    html = client.get(f"/self-assessment/{started.pk}/").content.decode()
    assert chosen["prompts"][0].replace("'", "&#x27;") in html
    response = client.post(f"/self-assessment/{started.pk}/", {"focus": [p["id"] for p in processes[:4]]})
    assert response.status_code == 400 and "at most three" in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "facilitator", "org_admin", "researcher"])
def test_nobody_but_the_leader_can_open_a_self_assessment(client, started, persona, request):
    other = request.getfixturevalue(persona)
    client.force_login(other)
    for url in [f"/self-assessment/{started.pk}/", f"/self-assessment/{started.pk}/step/1/",
                f"/self-assessment/{started.pk}/review/"]:
        assert client.get(url).status_code == 404
    assert client.post(f"/self-assessment/{started.pk}/step/1/", {"save_and_return": ""}).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, started):
    client.logout()
    response = client.get(f"/self-assessment/{started.pk}/")
    assert response.status_code == 302 and "/account/sign-in/" in response.url


def test_someone_without_the_leader_role_cannot_start(client, researcher, model_version):
    client.force_login(researcher)
    html = client.get("/self-assessment/").content.decode()
    assert "Self-assessment is for leaders" in html
    response = client.post("/self-assessment/start/", {"framework": model_version.pk})
    assert response.status_code == 400
    assert not SelfAssessment.objects.exists()
