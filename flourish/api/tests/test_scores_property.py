"""Property: for any answers, the API's scores are the at-least-half means.

The expectation is written here from the rule in DESIGN.md, independently of
flourish.lib.scoring: a process score is the mean of the answered items when at least
half of the items (rounded up) were answered, otherwise null.
"""

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flourish.api.models import ApiToken

ITEMS_PER_PROCESS = 4  # every process of the model; checked below
PROCESS_COUNT = 8

an_answer = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
a_process = st.tuples(
    st.lists(an_answer, min_size=ITEMS_PER_PROCESS, max_size=ITEMS_PER_PROCESS),
    st.integers(min_value=1, max_value=5),  # importance
)
all_processes = st.lists(a_process, min_size=PROCESS_COUNT, max_size=PROCESS_COUNT)


def expected_score(values):
    answered = [v for v in values if v is not None]
    if len(answered) >= math.ceil(len(values) / 2) and answered:
        return sum(answered) / len(answered)
    return None


def test_the_model_has_the_shape_this_property_assumes(model_version):
    assert len(model_version.processes) == PROCESS_COUNT
    assert all(len(p["items"]) == ITEMS_PER_PROCESS for p in model_version.processes)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=all_processes)
def test_the_apis_scores_are_the_means_of_answered_items_when_at_least_half_answered(
    client, leader, model_version, drawn
):
    _, raw = ApiToken.issue(leader, "property")
    headers = {"Authorization": f"Bearer {raw}"}

    def send(method, url, body):
        return getattr(client, method)(url, json.dumps(body), content_type="application/json", headers=headers)

    assessment = send("post", "/api/self-assessments", {}).json()
    expected = {}
    for process, (values, importance) in zip(model_version.processes, drawn, strict=True):
        answers = {item["id"]: value for item, value in zip(process["items"], values, strict=True)}
        saved = send("put", f"/api/self-assessments/{assessment['id']}/processes/{process['id']}",
                     {"answers": answers, "importance": importance})
        assert saved.status_code == 200, saved.json()
        expected[process["id"]] = expected_score(values)

    completed = send("post", f"/api/self-assessments/{assessment['id']}/complete", {})

    assert completed.status_code == 200, completed.json()
    scores = completed.json()["scores"]
    assert scores.keys() == expected.keys()
    for process_id, score in expected.items():
        if score is None:
            assert scores[process_id] is None, process_id
        else:
            assert scores[process_id] == pytest.approx(score), process_id
