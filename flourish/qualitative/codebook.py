"""A project's codebook starts from a framework: one code per process, with the process's
description as the definition and Flourish's coding guidance (data/<framework slug>.yaml)
as inclusion and exclusion notes and example quotes."""

from functools import cache
from pathlib import Path

import yaml

GUIDANCE_DIR = Path(__file__).parent / "data"
# Distinct, colour-blind-safe colours (Okabe–Ito) for the first codes of a codebook.
PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#a08600", "#000000"]


@cache
def guidance(framework_slug: str) -> dict:
    path = GUIDANCE_DIR / f"{framework_slug}.yaml"
    if not path.exists():
        return {"processes": {}, "provenance": ""}
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def framework_codes(framework_version) -> list[dict]:
    """The fields of one code per process, in the framework's order."""
    notes = guidance(framework_version.slug)["processes"]
    codes = []
    for order, process in enumerate(framework_version.processes):
        extra = notes.get(process["id"], {})
        codes.append({
            "name": process["name"],
            "definition": " ".join(process.get("description", process.get("summary", "")).split()),
            "inclusion": " ".join(extra.get("inclusion", "").split())
            or "\n".join(f"- {i}" for i in process.get("indicators", [])),
            "exclusion": " ".join(extra.get("exclusion", "").split()),
            "examples": list(extra.get("examples", [])),
            "process_id": process["id"],
            "colour": PALETTE[order % len(PALETTE)],
            "order": order,
        })
    return codes
