"""What the workbench's pages share to present a project: the page frame, the codebook's
shape (codebook and coding pages) and the page that asks a blind coder to choose to
compare. Only reads; views import these, never each other."""

from collections import defaultdict

from django.shortcuts import render

from . import codebook as guidance

# The choice enums, for the views: names of choices, not queries (views import no models).
from .models import CoderKind, MemberRole, UnitKind

__all__ = ["CoderKind", "MemberRole", "UnitKind"]  # and the helpers below


def page(request, template, project, member, nav, context=None, status=200):
    """Render a project page: every one has the project, the membership and the sub-navigation."""
    return render(request, template, {
        "project": project, "member": member, "is_lead": member.role == MemberRole.LEAD, "nav": nav,
        **(context or {}),
    }, status=status)


def uploaded(file) -> tuple[str, bytes]:
    return file.name, file.read()


def compare_first(request, project, member, nav):
    """Instead of others' coding: say the member is coding blind, with a button (a POST to
    `compare`) that records the choice and comes back here."""
    return page(request, "qualitative/compare.html", project, member, nav, {"next": request.get_full_path()})


# --- the codebook's shape, shared with the coding page ----------------------------------------

def process_names(project) -> dict[str, str]:
    version = project.framework_version
    return {p["id"]: p["name"] for p in version.processes} if version else {}


def code_tree(project, codes=None) -> list[dict]:
    """Codes as nested nodes {"code", "depth", "level" (of its heading), "process" (the name
    of the process it stands for), "children"}, in codebook order."""
    codes = list(project.codes.all() if codes is None else codes)
    names = process_names(project)
    children = defaultdict(list)
    for code in codes:
        children[code.parent_id].append(code)

    def nodes(parent_id, depth):
        return [{"code": c, "depth": depth, "level": min(2 + depth, 6),
                 "process": names.get(c.process_id, c.process_id), "children": nodes(c.pk, depth + 1)}
                for c in children[parent_id]]
    return nodes(None, 0)


def code_rows(project, codes=None) -> list[tuple]:
    """The tree flattened depth first: (code, depth)."""
    rows = []

    def walk(nodes):
        for node in nodes:
            rows.append((node["code"], node["depth"]))
            walk(node["children"])
    walk(code_tree(project, codes))
    return rows


def provenance(project) -> str:
    version = project.framework_version
    return guidance.guidance(version.slug).get("provenance", "") if version else ""
