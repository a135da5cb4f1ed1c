"""`flourish framework validate|show|load` as a user runs them."""

import json
import subprocess
import sys

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from flourish.frameworks.actions import BUILTIN_DIR
from flourish.frameworks.models import Framework

MODEL_FILE = BUILTIN_DIR / "vaggers-anderson.yaml"
MAIN = ["Thinking Systematically", "Building and re-building relationships",
        "Nourishing self-actualization", "Utilizing alternative approaches to problem solving"]
BORDERLINE = ["Interaction", "Integrity", "Flow", "Sensitivity"]


def flourish(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "flourish", *args], capture_output=True, text=True, env=env, check=False
    )


def test_validate_accepts_the_model_file_with_exit_zero():
    result = flourish("framework", "validate", str(MODEL_FILE))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "8 processes, 32 items" in result.stdout


def test_validate_names_the_file_the_place_and_the_problem(tmp_path):
    document = yaml.safe_load(MODEL_FILE.read_text(encoding="utf-8"))
    del document["processes"][3]["items"][1]["self"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(document), encoding="utf-8")
    result = flourish("framework", "validate", str(bad))
    assert result.returncode == 1
    assert f"{bad}: processes[3].items[1].self: is required" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content, expected", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\xff", "binary"),
    (b"slug: [unclosed\n", "line"),
])
def test_validate_refuses_files_that_are_not_frameworks(tmp_path, content, expected):
    bad = tmp_path / "framework.yaml"
    bad.write_bytes(content)
    result = flourish("framework", "validate", str(bad))
    assert result.returncode == 1
    assert str(bad) in result.stderr and expected in result.stderr.lower()


def test_show_json_lists_exactly_the_eight_processes_from_the_source(db, capsys):
    call_command("framework", "show", "--format", "json")
    shown = json.loads(capsys.readouterr().out)
    assert {"slug", "version", "name", "citation", "processes", "scale"} <= set(shown)
    assert shown["citation"]["doi"] == "10.1080/13561820.2021.1897553"
    assert [p["name"] for p in shown["processes"] if p["kind"] == "main"] == MAIN
    assert [p["name"] for p in shown["processes"] if p["kind"] == "borderline"] == BORDERLINE
    for process in shown["processes"]:
        assert process["items"] and all({"id", "self", "other"} <= set(i) for i in process["items"])


def test_show_text_is_readable(db, capsys):
    call_command("framework", "show", "vaggers-anderson", "--format", "text")
    out = capsys.readouterr().out
    assert "Main processes" in out and "Borderline processes" in out and "Thinking Systematically" in out


def test_show_refuses_an_unknown_framework(db):
    with pytest.raises(CommandError, match="no framework 'nope'"):
        call_command("framework", "show", "nope")


def test_load_stores_another_organisations_framework_and_is_idempotent(db, tmp_path, organisation, capsys):
    document = yaml.safe_load(MODEL_FILE.read_text(encoding="utf-8"))
    document["slug"], document["name"] = "riverside-practice", "Riverside practice framework"
    path = tmp_path / "riverside.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    call_command("framework", "load", str(path), "--organisation", organisation.name)
    call_command("framework", "load", str(path), "--organisation", organisation.name)
    out = capsys.readouterr().out
    assert "loaded" in out and "already loaded (unchanged)" in out
    framework = Framework.objects.get(slug="riverside-practice")
    assert framework.organisation == organisation and framework.versions.count() == 1


def test_load_refuses_an_invalid_file_and_stores_nothing(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: x\n", encoding="utf-8")
    before = Framework.objects.count()
    with pytest.raises(CommandError):
        call_command("framework", "load", str(bad))
    assert Framework.objects.count() == before
