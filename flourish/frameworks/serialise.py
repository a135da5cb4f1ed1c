"""The published JSON shape of a framework version (CLI `framework show` and the API)."""


def framework_json(version) -> dict:
    doc = version.document
    return {
        "slug": version.slug,
        "version": version.version,
        "name": doc["name"],
        "citation": doc["citation"],
        "provenance": doc["provenance"],
        "scale": doc["scale"],
        "importance_scale": doc.get("importance_scale"),
        "processes": [
            {
                "id": p["id"],
                "name": p["name"],
                "kind": p["kind"],
                "summary": p.get("summary", ""),
                "items": [{"id": i["id"], "self": i["self"], "other": i["other"]} for i in p["items"]],
            }
            for p in doc["processes"]
        ],
    }
