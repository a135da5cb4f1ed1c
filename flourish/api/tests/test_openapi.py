"""The OpenAPI document and the human-readable docs page generated from it."""

import jsonschema
import pytest

PATHS = {
    "/api/frameworks",
    "/api/frameworks/{slug}",
    "/api/self-assessments",
    "/api/self-assessments/{pk}",
    "/api/self-assessments/{pk}/processes/{process_id}",
    "/api/self-assessments/{pk}/complete",
    "/api/cycles",
    "/api/cycles/{pk}/report",
    "/api/pulse/teams",
    "/api/pulse/teams/{pk}/waves/{wave_pk}",
}


@pytest.fixture
def document(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_the_openapi_document_is_openapi_3_with_every_path(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Flourish API"
    assert document["info"]["version"] == "1"
    assert set(document["paths"]) == PATHS


def test_every_operation_has_responses_and_needs_the_bearer_token(document):
    schemes = document["components"]["securitySchemes"]
    bearer = [name for name, scheme in schemes.items() if scheme == {"type": "http", "scheme": "bearer"}]
    assert bearer
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert method in {"get", "post", "put", "patch", "delete"}, path
            assert operation["responses"], f"{method} {path}"
            assert {bearer[0]: []} in operation["security"], f"{method} {path}"


def test_every_reference_in_the_document_resolves(document):
    schemas = document.get("components", {}).get("schemas", {})

    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(document["paths"]):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas, ref
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_the_docs_page_lists_every_operation(client, document):
    response = client.get("/api/docs")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Flourish API" in content
    assert "/api/openapi.json" in content
    for path, operations in document["paths"].items():
        for method in operations:
            assert f"<code>{method.upper()} {path}</code>" in content
