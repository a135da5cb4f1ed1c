"""Every API endpoint needs a valid token; without one the answer is 401 with a JSON message."""

import json

import pytest

from flourish.api.api import api
from flourish.api.models import ApiToken

# One call per operation; `test_the_list_covers_every_operation` keeps it complete.
ENDPOINTS = [
    ("get", "/api/frameworks", "/api/frameworks"),
    ("get", "/api/frameworks/{slug}", "/api/frameworks/vaggers-anderson"),
    ("get", "/api/self-assessments", "/api/self-assessments"),
    ("post", "/api/self-assessments", "/api/self-assessments"),
    ("get", "/api/self-assessments/{pk}", "/api/self-assessments/1"),
    ("put", "/api/self-assessments/{pk}/processes/{process_id}",
     "/api/self-assessments/1/processes/thinking-systematically"),
    ("post", "/api/self-assessments/{pk}/complete", "/api/self-assessments/1/complete"),
    ("get", "/api/cycles", "/api/cycles"),
    ("get", "/api/cycles/{pk}/report", "/api/cycles/1/report"),
    ("get", "/api/pulse/teams", "/api/pulse/teams"),
    ("get", "/api/pulse/teams/{pk}/waves/{wave_pk}", "/api/pulse/teams/1/waves/1"),
]
ENDPOINT_IDS = [f"{method.upper()} {path}" for method, path, _ in ENDPOINTS]


def call(client, method, url, **headers):
    if method == "get":
        return client.get(url, headers=headers)
    body = {"answers": {}, "importance": 3} if method == "put" else {}
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", headers=headers
    )


def assert_unauthorised(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message"}
    assert "token" in body["message"]


def test_the_list_covers_every_operation(db):
    documented = {
        (method, path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }

    assert documented == {(method, path) for method, path, _ in ENDPOINTS}


@pytest.mark.parametrize(("method", "path", "url"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_every_endpoint_without_a_token_gives_401_json(client, db, method, path, url):
    assert_unauthorised(call(client, method, url))


@pytest.mark.parametrize(("method", "path", "url"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_every_endpoint_with_a_wrong_token_gives_401_json(client, leader, method, path, url):
    ApiToken.issue(leader, "real")

    assert_unauthorised(call(client, method, url, Authorization="Bearer fl_not-a-real-token"))


@pytest.mark.parametrize(("method", "path", "url"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_every_endpoint_with_a_revoked_token_gives_401_json(client, leader, method, path, url):
    token, raw = ApiToken.issue(leader, "revoked")
    token.delete()

    assert_unauthorised(call(client, method, url, Authorization=f"Bearer {raw}"))


@pytest.mark.parametrize(
    "header", ["fl_abc", "Basic Zm9vOmJhcg==", "Bearer", "Bearer "], ids=repr
)
def test_a_malformed_authorization_header_gives_401_json(client, leader, header):
    assert_unauthorised(call(client, "get", "/api/frameworks", Authorization=header))


def test_a_deactivated_persons_token_stops_working(client, leader):
    _, raw = ApiToken.issue(leader, "script")
    leader.is_active = False
    leader.save()

    assert_unauthorised(call(client, "get", "/api/frameworks", Authorization=f"Bearer {raw}"))


def test_a_valid_token_works_and_records_when_it_was_last_used(client, leader):
    token, raw = ApiToken.issue(leader, "script")
    assert token.last_used is None

    response = call(client, "get", "/api/frameworks", Authorization=f"Bearer {raw}")

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used is not None


def test_a_session_cookie_is_not_enough_without_a_token(client, leader):
    client.force_login(leader)

    assert_unauthorised(call(client, "get", "/api/self-assessments"))


def test_using_a_token_again_within_the_hour_writes_nothing_and_after_it_records_the_use(client, leader):
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token, raw = ApiToken.issue(leader, "script")
    call(client, "get", "/api/frameworks", Authorization=f"Bearer {raw}")
    token.refresh_from_db()
    first = token.last_used
    with CaptureQueriesContext(connection) as queries:
        assert call(client, "get", "/api/frameworks", Authorization=f"Bearer {raw}").status_code == 200
    assert [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")] == []
    token.refresh_from_db()
    assert token.last_used == first
    ApiToken.objects.filter(pk=token.pk).update(last_used=first - timedelta(hours=1, seconds=1))
    call(client, "get", "/api/frameworks", Authorization=f"Bearer {raw}")
    token.refresh_from_db()
    assert token.last_used > first - timedelta(hours=1)


def test_the_framework_list_costs_the_same_queries_however_many_frameworks_there_are(
        client, leader, django_assert_max_num_queries):
    from flourish.frameworks.models import Framework

    _, raw = ApiToken.issue(leader, "script")
    base = Framework.objects.get(slug="vaggers-anderson").versions.first()
    for n in range(5):
        extra = Framework.objects.create(slug=f"extra-{n}", name=f"Extra {n}")
        extra.versions.create(version=1, document=base.document, content_hash=f"{n}")
    # the token; recording its use (a savepoint, the update, its release); the frameworks with
    # their latest versions — five, with one framework or six
    with django_assert_max_num_queries(5):
        response = call(client, "get", "/api/frameworks", Authorization=f"Bearer {raw}")
    assert len(response.json()) == 6
