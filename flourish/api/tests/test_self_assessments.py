"""A leader's self-assessment through the API: start, answer each process, complete.

Scores are checked against means worked out by hand, with the at-least-half rule: a
process score counts only when at least half of its items (rounded up) were answered.
"""

import json

import pytest

from flourish.api.models import ApiToken
from flourish.selfassess.models import SelfAssessment


class ApiClient:
    """The Django test client, speaking JSON with one person's bearer token."""

    def __init__(self, client, user):
        _, raw = ApiToken.issue(user, "tests")
        self.client = client
        self.headers = {"Authorization": f"Bearer {raw}"}

    def get(self, url):
        return self.client.get(url, headers=self.headers)

    def post(self, url, body=None):
        return self.send("post", url, {} if body is None else body)

    def put(self, url, body):
        return self.send("put", url, body)

    def send(self, method, url, body):
        data = body if isinstance(body, str) else json.dumps(body)
        return getattr(self.client, method)(
            url, data, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def as_leader(client, leader):
    return ApiClient(client, leader)


@pytest.fixture
def processes(model_version):
    """Process id -> its item ids, in the framework's order."""
    return model_version.items_by_process()


@pytest.fixture
def started(as_leader, model_version):
    response = as_leader.post("/api/self-assessments")
    assert response.status_code == 201
    return response.json()


def process_url(assessment, process_id):
    return f"/api/self-assessments/{assessment['id']}/processes/{process_id}"


def save_all(api, assessment, processes, answers_by_process, importance=3):
    for process_id, values in answers_by_process.items():
        answers = dict(zip(processes[process_id], values, strict=True))
        response = api.put(process_url(assessment, process_id), {"answers": answers, "importance": importance})
        assert response.status_code == 200, response.json()


def saved(assessment) -> SelfAssessment:
    return SelfAssessment.objects.get(pk=assessment["id"])


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["message"], str) and response.json()["message"]


# Answers in item order for each process of the model (four items each), with None for
# "not able to observe", and the score each should get, worked out by hand.
HAND_WORKED = {
    "thinking-systematically": ([5, 4, 4, 3], 4.0),              # 16 / 4
    "building-relationships": ([2, None, 4, None], 3.0),         # two of four: half is enough
    "nourishing-self-actualization": ([1, None, None, None], None),  # one of four: too few
    "alternative-approaches": ([None, None, None, None], None),  # nothing answered
    "interaction": ([5, 5, 5, 5], 5.0),
    "integrity": ([1, 2, 3, 4], 2.5),
    "flow": ([3, 3, None, 4], 10 / 3),                           # three of four
    "sensitivity": ([2, 2, 2, 3], 2.25),
}


def test_the_hand_worked_answers_cover_every_process_of_the_model(processes):
    assert set(HAND_WORKED) == set(processes)
    assert all(len(processes[pid]) == len(values) for pid, (values, _) in HAND_WORKED.items())


def test_a_leader_starts_a_self_assessment_on_the_model(as_leader, leader, organisation, model_version):
    response = as_leader.post("/api/self-assessments")

    assert response.status_code == 201
    body = response.json()
    assert body["organisation"] == organisation.name
    assert body["framework"] == {"slug": "vaggers-anderson", "version": model_version.version}
    assert body["completed"] is None
    assert body["answers"] == {} and body["importance"] == {}
    assert saved(body).leader == leader


def test_starting_needs_no_body_at_all(client, leader):
    api = ApiClient(client, leader)

    response = client.post("/api/self-assessments", content_type="application/json", headers=api.headers)

    assert response.status_code == 201
    assert response.json()["framework"]["slug"] == "vaggers-anderson"


def test_a_leader_can_name_the_organisation_and_framework(as_leader, organisation):
    response = as_leader.post(
        "/api/self-assessments", {"framework": "vaggers-anderson", "organisation": organisation.pk}
    )

    assert response.status_code == 201


def test_starting_on_an_unknown_framework_is_404(as_leader, leader):
    assert_json_error(as_leader.post("/api/self-assessments", {"framework": "nope"}), 404)
    assert not SelfAssessment.objects.exists()


def test_a_leader_saves_every_process_completes_and_gets_the_hand_worked_scores(
    as_leader, started, processes
):
    save_all(as_leader, started, processes, {pid: values for pid, (values, _) in HAND_WORKED.items()})

    response = as_leader.post(f"/api/self-assessments/{started['id']}/complete")

    assert response.status_code == 200
    body = response.json()
    assert body["completed"] is not None
    assert body["scores"] == pytest.approx({pid: score for pid, (_, score) in HAND_WORKED.items()})
    assert body["scores"]["nourishing-self-actualization"] is None  # fewer than half answered
    assert body["answers"][processes["building-relationships"][1]] is None  # kept as "not observed"


def test_saving_a_process_records_its_answers_and_importance(as_leader, started, processes):
    items = processes["integrity"]

    response = as_leader.put(
        process_url(started, "integrity"),
        {"answers": {items[0]: 4, items[1]: None}, "importance": 5},
    )

    assert response.status_code == 200
    assert response.json()["answers"] == {items[0]: 4, items[1]: None}
    assert response.json()["importance"] == {"integrity": 5}
    assert saved(started).answers == {items[0]: 4, items[1]: None}


def test_saving_a_process_again_changes_the_answers(as_leader, started, processes):
    item = processes["flow"][0]
    as_leader.put(process_url(started, "flow"), {"answers": {item: 2}, "importance": 1})

    as_leader.put(process_url(started, "flow"), {"answers": {item: 5}, "importance": 4})

    assert saved(started).answers == {item: 5}
    assert saved(started).importance == {"flow": 4}


def test_the_leader_can_read_their_self_assessment_and_list_it(as_leader, started):
    assert as_leader.get(f"/api/self-assessments/{started['id']}").json()["id"] == started["id"]
    assert [a["id"] for a in as_leader.get("/api/self-assessments").json()] == [started["id"]]


def test_completing_early_is_409_naming_the_processes_still_to_do(as_leader, started, processes, model_version):
    save_all(as_leader, started, processes, {
        "thinking-systematically": [3, 3, 3, 3], "building-relationships": [4, 4, 4, 4],
    })
    items = processes["interaction"]
    as_leader.put(process_url(started, "interaction"), {"answers": dict.fromkeys(items, 3)})  # no importance

    response = as_leader.post(f"/api/self-assessments/{started['id']}/complete")

    assert_json_error(response, 409)
    message = response.json()["message"]
    names = {p["id"]: p["name"] for p in model_version.processes}
    assert "Thinking Systematically" not in message
    assert "Building and re-building relationships" not in message
    for pid in processes.keys() - {"thinking-systematically", "building-relationships"}:
        assert names[pid] in message
    assert saved(started).completed is None


def test_a_completed_self_assessment_can_no_longer_change(as_leader, started, processes):
    save_all(as_leader, started, processes, {pid: [4, 4, 4, 4] for pid in processes})
    as_leader.post(f"/api/self-assessments/{started['id']}/complete")

    change = as_leader.put(
        process_url(started, "flow"), {"answers": {processes["flow"][0]: 1}, "importance": 1}
    )
    again = as_leader.post(f"/api/self-assessments/{started['id']}/complete")

    assert_json_error(change, 409)
    assert "complete" in change.json()["message"]
    assert_json_error(again, 409)
    assert saved(started).answers[processes["flow"][0]] == 4


@pytest.mark.parametrize("bad", [0, 6, -1, 3.5, "4", True], ids=repr)
def test_an_answer_out_of_range_is_a_json_error_and_saves_nothing(as_leader, started, processes, bad):
    first, second = processes["sensitivity"][:2]

    response = as_leader.put(
        process_url(started, "sensitivity"), {"answers": {first: 3, second: bad}, "importance": 3}
    )

    assert_json_error(response, 422)
    assert f"answers.{second}" in response.json()["message"]
    assert saved(started).answers == {}
    assert saved(started).importance == {}


@pytest.mark.parametrize("bad", [0, 6], ids=repr)
def test_an_importance_out_of_range_is_a_json_error_and_saves_nothing(as_leader, started, processes, bad):
    response = as_leader.put(
        process_url(started, "sensitivity"), {"answers": {processes["sensitivity"][0]: 3}, "importance": bad}
    )

    assert_json_error(response, 422)
    assert saved(started).answers == {}
    assert saved(started).importance == {}


def test_an_unknown_item_id_is_a_json_error_and_saves_nothing(as_leader, started, processes):
    response = as_leader.put(
        process_url(started, "flow"),
        {"answers": {processes["flow"][0]: 3, "zz99": 4}, "importance": 3},
    )

    assert_json_error(response, 422)
    assert "zz99" in response.json()["message"]
    assert saved(started).answers == {}


def test_an_item_of_another_process_is_refused(as_leader, started, processes):
    response = as_leader.put(
        process_url(started, "flow"), {"answers": {processes["integrity"][0]: 3}, "importance": 3}
    )

    assert_json_error(response, 422)
    assert saved(started).answers == {}


def test_an_unknown_process_is_404_json(as_leader, started):
    response = as_leader.put(process_url(started, "no-such-process"), {"answers": {}, "importance": 3})

    assert_json_error(response, 404)
    assert saved(started).importance == {}


def test_a_missing_answers_field_is_a_json_error(as_leader, started):
    assert_json_error(as_leader.put(process_url(started, "flow"), {"importance": 3}), 422)


@pytest.mark.parametrize("body", ["{not json", "[1, 2", "answers=3"], ids=repr)
def test_a_malformed_json_body_is_a_json_error_with_a_message(as_leader, started, body):
    put = as_leader.send("put", process_url(started, "flow"), body)
    post = as_leader.send("post", "/api/self-assessments", body)

    assert_json_error(put, 400)
    assert "Cannot parse request body" in put.json()["message"]
    assert_json_error(post, 400)
    assert SelfAssessment.objects.count() == 1


# --- privacy: a self-assessment belongs to the leader who made it ---------------


@pytest.mark.parametrize("persona", ["outsider", "facilitator", "org_admin", "researcher"])
def test_nobody_else_can_read_or_change_a_leaders_self_assessment(client, request, started, processes, persona):
    other = ApiClient(client, request.getfixturevalue(persona))
    url = f"/api/self-assessments/{started['id']}"

    read = other.get(url)
    change = other.put(process_url(started, "flow"), {"answers": {processes["flow"][0]: 1}, "importance": 1})
    complete = other.post(f"{url}/complete")

    for response in (read, change, complete):
        assert_json_error(response, 404)
        assert response.json() == {"message": "No such self-assessment."}
    assert other.get("/api/self-assessments").json() == []
    assert saved(started).answers == {}


def test_an_unknown_self_assessment_is_404_json(as_leader, started):
    assert_json_error(as_leader.get("/api/self-assessments/999999"), 404)


def test_a_person_without_the_leader_role_gets_400_when_starting(client, facilitator):
    response = ApiClient(client, facilitator).post("/api/self-assessments")

    assert_json_error(response, 400)
    assert "leader role" in response.json()["message"]
    assert not SelfAssessment.objects.exists()


def test_a_leader_cannot_start_in_an_organisation_where_they_are_not_a_leader(client, outsider, organisation):
    response = ApiClient(client, outsider).post("/api/self-assessments", {"organisation": organisation.pk})

    assert_json_error(response, 400)
    assert not SelfAssessment.objects.exists()
