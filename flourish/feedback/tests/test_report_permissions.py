"""Who may read a released report — page, PDF, JSON and the API: its leader and people
the leader shared it with. Everyone else gets 404 (so a cycle's existence is not
revealed), organisation admins and facilitators included; anonymous visitors are sent
to sign in (pages) or get 401 (API)."""

import pytest

from flourish.accounts.models import Role
from flourish.api.models import ApiToken
from flourish.feedback import actions
from flourish.feedback.tests.test_report_outputs import build_cycle, standard_specs
from flourish.testing import personas

URLS = ["/feedback/{pk}/report/", "/feedback/{pk}/report/?view=radar", "/feedback/{pk}/report.pdf",
        "/feedback/{pk}/report.json"]
READERS = {"leader": 200, "shared coach": 200, "org admin": 404, "facilitator": 404, "outsider": 404}


@pytest.fixture
def coach(organisation):
    return personas.person("chris@coaching.test", Role.FACILITATOR, organisation, "Chris", "Coach")


@pytest.fixture
def released(leader, model_version, coach):
    cycle = build_cycle(leader, model_version, standard_specs(model_version), via_links=False,
                        self_value=lambda j, m: 3)
    actions.share_report(cycle, coach)
    return cycle


@pytest.fixture
def people(leader, coach, org_admin, facilitator, outsider):
    return {"leader": leader, "shared coach": coach, "org admin": org_admin, "facilitator": facilitator,
            "outsider": outsider}


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("who", list(READERS))
def test_only_the_leader_and_people_it_was_shared_with_can_read_the_report(client, released, people, who, url):
    client.force_login(people[who])
    response = client.get(url.format(pk=released.pk))
    assert response.status_code == READERS[who]


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, released, url):
    response = client.get(url.format(pk=released.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_an_unknown_cycle_is_404_like_someone_elses(client, leader, released):
    client.force_login(leader)
    assert client.get(f"/feedback/{released.pk + 1000}/report/").status_code == 404


@pytest.mark.parametrize("who", list(READERS))
def test_the_api_report_follows_the_same_rule(client, released, people, who):
    _, token = ApiToken.issue(people[who], "tests")
    headers = {"Authorization": f"Bearer {token}"}
    response = client.get(f"/api/cycles/{released.pk}/report", headers=headers)
    assert response.status_code == READERS[who]
    if READERS[who] == 404:
        assert response.json() == {"message": "No such cycle."}
    else:
        assert response.json() == released.report
    listed = [c["id"] for c in client.get("/api/cycles", headers=headers).json()]
    assert listed == ([released.pk] if READERS[who] == 200 else [])


@pytest.mark.parametrize("url", ["/api/cycles", "/api/cycles/{pk}/report"])
def test_the_api_needs_a_token(client, released, url):
    response = client.get(url.format(pk=released.pk))
    assert response.status_code == 401
    assert "message" in response.json()


def test_unsharing_takes_the_report_away(client, released, coach):
    actions.unshare_report(released, coach)
    client.force_login(coach)
    assert client.get(f"/feedback/{released.pk}/report/").status_code == 404


def test_an_unreleased_report_is_still_404_for_outsiders_not_409(client, leader, outsider, model_version):
    cycle = build_cycle(leader, model_version, standard_specs(model_version)[:2], via_links=False)
    assert not cycle.is_released
    client.force_login(outsider)
    for url in URLS:
        assert client.get(url.format(pk=cycle.pk)).status_code == 404
    _, token = ApiToken.issue(outsider, "tests")
    response = client.get(f"/api/cycles/{cycle.pk}/report", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
