"""Reading frameworks through the API."""

import pytest

from flourish.api.models import ApiToken
from flourish.frameworks.models import Framework

MAIN = [
    "Thinking Systematically",
    "Building and re-building relationships",
    "Nourishing self-actualization",
    "Utilizing alternative approaches to problem solving",
]
BORDERLINE = ["Interaction", "Integrity", "Flow", "Sensitivity"]


@pytest.fixture
def auth(leader):
    _, raw = ApiToken.issue(leader, "tests")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def outsiders_own_framework(outsider, model_version):
    """A framework that belongs to the outsider's organisation only."""
    framework = Framework.objects.create(
        slug="hilltop-own", name="Hilltop's own framework",
        organisation=outsider.memberships.get().organisation,
    )
    framework.versions.create(version=1, document=model_version.document, content_hash="0" * 64)
    return framework


def test_it_lists_the_model(client, auth, model_version):
    response = client.get("/api/frameworks", headers=auth)

    assert response.status_code == 200
    assert {"slug": "vaggers-anderson", "name": model_version.framework.name,
            "version": model_version.version} in response.json()


def test_the_list_leaves_out_another_organisations_own_framework(client, auth, outsiders_own_framework):
    slugs = [f["slug"] for f in client.get("/api/frameworks", headers=auth).json()]

    assert "vaggers-anderson" in slugs
    assert "hilltop-own" not in slugs


def test_an_organisations_own_framework_is_listed_for_its_members(client, outsider, outsiders_own_framework):
    _, raw = ApiToken.issue(outsider, "tests")

    response = client.get("/api/frameworks", headers={"Authorization": f"Bearer {raw}"})

    assert "hilltop-own" in [f["slug"] for f in response.json()]


def test_it_returns_the_model_with_its_citation_scale_and_processes(client, auth, model_version):
    response = client.get("/api/frameworks/vaggers-anderson", headers=auth)

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "vaggers-anderson"
    assert body["version"] == model_version.version
    assert body["name"] == model_version.document["name"]
    assert body["citation"]["doi"] == "10.1080/13561820.2021.1897553"
    assert "Vaggers" in body["citation"]["text"]
    assert [p["value"] for p in body["scale"]["points"]] == [1, 2, 3, 4, 5]
    assert "not yet validated" in body["provenance"]


def test_the_model_has_exactly_four_main_and_four_borderline_processes(client, auth, model_version):
    processes = client.get("/api/frameworks/vaggers-anderson", headers=auth).json()["processes"]

    assert len(processes) == 8
    assert [p["name"] for p in processes if p["kind"] == "main"] == MAIN
    assert [p["name"] for p in processes if p["kind"] == "borderline"] == BORDERLINE


def test_each_process_has_items_with_id_and_self_and_other_wording(client, auth, model_version):
    processes = client.get("/api/frameworks/vaggers-anderson", headers=auth).json()["processes"]

    item_ids = []
    for process in processes:
        assert process["items"], process["name"]
        for item in process["items"]:
            assert set(item) == {"id", "self", "other"}
            assert item["self"].strip() and item["other"].strip()
            item_ids.append(item["id"])
    assert len(item_ids) == len(set(item_ids)) == model_version.item_count


def test_a_version_can_be_asked_for_by_number(client, auth, model_version):
    response = client.get(
        f"/api/frameworks/vaggers-anderson?version={model_version.version}", headers=auth
    )

    assert response.status_code == 200
    assert response.json()["version"] == model_version.version


def test_an_unknown_version_is_404_json(client, auth, model_version):
    response = client.get("/api/frameworks/vaggers-anderson?version=999", headers=auth)

    assert response.status_code == 404
    assert response.json() == {"message": "No such framework version."}


def test_an_unknown_framework_is_404_json(client, auth):
    response = client.get("/api/frameworks/no-such-model", headers=auth)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"message": "No such framework."}


def test_another_organisations_own_framework_is_404(client, auth, outsiders_own_framework):
    response = client.get("/api/frameworks/hilltop-own", headers=auth)

    assert response.status_code == 404
    assert response.json() == {"message": "No such framework."}
