"""The layering of docs/architecture.md, read from the source (AST, no Django):

- no view module (`*views.py`) touches the ORM itself: no `.objects.`, `.save(`, `.delete(`
  or `get_object_or_404` — views authorise through permissions.py and write through actions.py;
- nothing imports a view module except a URL configuration (`urls.py`, `rater_urls.py`):
  helpers that other code needs live in presenters.py / selectors.py;
- no view module defines a form (they live in the app's forms.py);
- no template writes a GOV.UK error summary by hand: they include `core/error_summary.html`;
- no template asks the database a question of its own (`.exists`, `.count`, `.queryset`,
  `.objects`): what it shows is computed in the view's presenters.

Pure: `.venv/bin/pytest -p no:django flourish/testing/tests/test_layering.py` (scripts/gates).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "flourish"
ORM_CALLS = {"save", "delete"}

# Known offences (path relative to the repository root): none since issue 12. Keep them empty:
# a file that offends fails the test, and so does a listed one that no longer offends.
KNOWN_ORM_IN_VIEWS: dict[str, set[str]] = {}
KNOWN_VIEW_IMPORTERS: dict[str, set[str]] = {}
# The upload's problems are shown with their place in bold, which the include cannot do.
KNOWN_HAND_WRITTEN_SUMMARIES = {"flourish/orgadmin/templates/orgadmin/frameworks.html"}
SUMMARY_INCLUDE = "flourish/core/templates/core/error_summary.html"


def python_files() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name.startswith("test_") or path.name == "conftest.py"


def is_view_module(name: str) -> bool:
    return name.rsplit(".", 1)[-1].endswith("views")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def orm_uses(source: str) -> set[str]:
    """What ORM access a module's code makes, by kind."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.add(".objects.")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ORM_CALLS:
            found.add(f".{node.func.attr}(")
        elif "get_object_or_404" in names_in(node):
            found.add("get_object_or_404")
    return found


def names_in(node: ast.AST) -> set[str]:
    """The identifiers a node names directly: a name, an attribute, or what an import brings."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.ImportFrom | ast.Import):
        return {alias.name for alias in node.names}
    return set()


def imported_modules(path: Path, source: str) -> set[str]:
    """Absolute names of every module the file imports (relative imports resolved)."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            stem = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names.add(stem)
            # `from . import views` / `from flourish.feedback import report_views`
            names.update(f"{stem}.{alias.name}" for alias in node.names)
    return {n for n in names if n.startswith("flourish.")}


def in_view_modules(find: Callable[[str], set[str]]) -> dict[str, set[str]]:
    """What ``find`` reports in each view module's source, for the modules where it reports anything."""
    offences = {}
    for path in python_files():
        if path.name.endswith("views.py") and not is_test(path):
            found = find(path.read_text(encoding="utf-8"))
            if found:
                offences[rel(path)] = found
    return offences


def view_importers() -> dict[str, set[str]]:
    offences = {}
    for path in python_files():
        if path.name.endswith("urls.py"):
            continue
        views = {m for m in imported_modules(path, path.read_text(encoding="utf-8")) if is_view_module(m)}
        views.discard(module_name(path))
        if views:
            offences[rel(path)] = views
    return offences


def forms_defined(source: str) -> set[str]:
    """Classes a module defines whose base is named like a form (``forms.Form``, ``ModelForm``…)."""
    return {node.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ClassDef)
            and any(name.endswith("Form") for base in node.bases for name in names_in(base))}




def hand_written_summaries() -> set[str]:
    return {rel(path) for path in sorted(PACKAGE.rglob("*.html"))
            if 'class="govuk-error-summary"' in path.read_text(encoding="utf-8")} - {SUMMARY_INCLUDE}


def differences(found: dict[str, set[str]], known: dict[str, set[str]]) -> tuple[dict, dict]:
    new = {f: sorted(v - known.get(f, set())) for f, v in found.items() if v - known.get(f, set())}
    gone = {f: sorted(v - found.get(f, set())) for f, v in known.items() if v - found.get(f, set())}
    return new, gone


def test_no_view_module_touches_the_orm_itself():
    new, gone = differences(in_view_modules(orm_uses), KNOWN_ORM_IN_VIEWS)
    assert not new, (
        f"ORM calls in view modules (move them to the app's actions.py, permissions.py or selectors.py): {new}"
    )
    assert not gone, f"fixed — remove these from KNOWN_ORM_IN_VIEWS in {rel(Path(__file__))}: {gone}"


def test_nothing_but_a_url_configuration_imports_a_view_module():
    new, gone = differences(view_importers(), KNOWN_VIEW_IMPORTERS)
    assert not new, f"view modules imported outside urls.py (move the shared code to presenters.py): {new}"
    assert not gone, f"fixed — remove these from KNOWN_VIEW_IMPORTERS in {rel(Path(__file__))}: {gone}"


def test_no_view_module_defines_a_form():
    assert in_view_modules(forms_defined) == {}, "forms defined in view modules (move them to the app's forms.py)"


def test_every_error_summary_is_the_one_include():
    found = hand_written_summaries()
    assert found <= KNOWN_HAND_WRITTEN_SUMMARIES, (
        f'hand-written error summaries (use {{% include "core/error_summary.html" %}}): '
        f"{sorted(found - KNOWN_HAND_WRITTEN_SUMMARIES)}")
    assert found == KNOWN_HAND_WRITTEN_SUMMARIES, (
        f"fixed — remove from KNOWN_HAND_WRITTEN_SUMMARIES: {sorted(KNOWN_HAND_WRITTEN_SUMMARIES - found)}")


# `.count` on a dict's key (`data.uncoded.count`) or a paginator (counted already when the page
# was taken) is not a query: only a manager's or queryset's name before it is.
TEMPLATE_QUERY = re.compile(r"\{[{%][^}]*?(\.exists\b|\.queryset\b|\.objects\b|\b(?:[a-z_]+_set|shared_with|members|"
                            r"raters|responses|codings|memos|sources|codes|goals|reviews|notes|coders|cycles)\.count\b)")


def template_queries(text: str) -> set[str]:
    return {match.group(1) for match in TEMPLATE_QUERY.finditer(text)}


def test_no_template_runs_a_query_of_its_own():
    found = {rel(path): template_queries(path.read_text(encoding="utf-8"))
             for path in sorted(PACKAGE.rglob("templates/**/*.html"))}
    assert {path: uses for path, uses in found.items() if uses} == {}, (
        "queries in templates (compute them in the view's presenters)")


# --- the checker itself is checked, so a broken checker cannot pass everything ------------------

def test_the_checker_sees_a_query_in_a_template():
    assert template_queries("{% if action_form.fields.owner.queryset.exists %}") == {".queryset"}
    assert template_queries("{{ cycle.shared_with.exists }} {{ cycle.raters.count }}") == {".exists", "raters.count"}
    assert template_queries("{{ data.uncoded.count }} {{ page.paginator.count }} {{ plans.exists_note }}") == set()

def test_the_checker_sees_each_kind_of_orm_access():
    source = (
        "from django.shortcuts import get_object_or_404\n"
        "def view(request):\n"
        "    cycle = Cycle.objects.get(pk=1)\n"
        "    cycle.save()\n"
        "    cycle.delete()\n"
    )
    assert orm_uses(source) == {".objects.", ".save(", ".delete(", "get_object_or_404"}
    assert orm_uses("def view(request):\n    return render(request, 'x.html', {'objects': 1})\n") == set()


def test_the_checker_resolves_relative_imports_of_view_modules():
    path = PACKAGE / "feedback" / "pdf.py"
    assert imported_modules(path, "from .report_views import context\n") >= {"flourish.feedback.report_views"}
    assert imported_modules(path, "from . import views\n") >= {"flourish.feedback.views"}
    assert imported_modules(path, "from ..qualitative.views import page\n") >= {"flourish.qualitative.views"}
    assert is_view_module("flourish.feedback.report_views") and not is_view_module("flourish.feedback.reviews_x")


def test_the_checker_sees_a_form_defined_in_a_module():
    source = "from django import forms\nclass AgreementForm(forms.Form):\n    pass\nclass Other(Thing):\n    pass\n"
    assert forms_defined(source) == {"AgreementForm"}
    assert forms_defined("class LayerForm(SingleChoiceForm, Mixin):\n    pass\n") == {"LayerForm"}
