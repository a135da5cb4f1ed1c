"""A set's record as Markdown and PDF, and the command line."""

import json
import shutil
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from flourish.jobs.models import Job
from flourish.jobs.testing import made_pdf
from flourish.sets import actions, export

from .helpers import a_leader, join, new_set, run_cycle_to_close


@pytest.fixture
def learning_set(facilitator, model_version):
    learning_set = new_set(facilitator, model_version)
    run_cycle_to_close(learning_set, join(learning_set, a_leader(0)))
    actions.start_par_cycle(learning_set, "What helps people raise a worry early?", [model_version.processes[3]["id"]])
    return learning_set


def pdf_text(data: bytes) -> str:
    """The PDF's text as pdftotext (poppler) reads it."""
    if not shutil.which("pdftotext"):
        raise AssertionError("pdftotext is missing (apt-get install poppler-utils)")
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_the_markdown_record_tells_the_story(learning_set, model_version):
    text = export.markdown(learning_set)
    assert text.startswith("# North locality leaders\n")
    for expected in ("## Cycle 1: How do we share one plan with a family?", "#### Session on",
                     "**Shared notes.**", "Most families have three plans.",
                     "- Bethan Rees undertook to invite the health visiting lead",
                     "> The family did not have to tell their story twice.",
                     "**What changed.** Joint planning meetings in two centres.",
                     "**What the set learnt.** Relationships come before the template.",
                     "## Cycle 2: What helps people raise a worry early?", "The cycle is now at the plan stage."):
        assert expected in text, expected


def test_the_pdf_has_the_same_content_and_is_made_by_a_job(client, learning_set):
    client.force_login(learning_set.facilitator)
    address = reverse("sets:export", args=[learning_set.pk, "pdf"])
    jobs = Job.objects.count()
    page = client.get(address)  # the old address asks first: a GET makes no job
    assert page.status_code == 200 and "Make the PDF" in page.content.decode()
    assert Job.objects.count() == jobs
    response = made_pdf(client, reverse("sets:prepare_record_pdf", args=[learning_set.pk]))
    assert response.content.startswith(b"%PDF")
    md = client.get(reverse("sets:export", args=[learning_set.pk, "md"]))
    assert md.content.decode().startswith("# North locality leaders")
    text = " ".join(pdf_text(response.content).split())
    for expected in ("Cycle 1: How do we share one plan", "Relationships come before the template."):
        assert expected in text
    # Made once: the old address now opens it, and asking again gives the same job.
    job = Job.objects.get(kind="sets.record_pdf")
    assert client.get(address).url == reverse("jobs:download", args=[job.pk])
    again = client.post(reverse("sets:prepare_record_pdf", args=[learning_set.pk]))
    assert again.url == reverse("jobs:progress", args=[job.pk])
    assert Job.objects.filter(kind="sets.record_pdf").count() == 1


def test_something_new_in_the_set_makes_a_new_pdf(client, learning_set):
    client.force_login(learning_set.facilitator)
    made_pdf(client, reverse("sets:prepare_record_pdf", args=[learning_set.pk]))
    actions.add_session(learning_set.current_cycle(), date=date(2026, 3, 4), agenda="Who else should sit at the table?")
    page = client.get(reverse("sets:export", args=[learning_set.pk, "pdf"]))
    assert page.status_code == 200 and "Make the PDF" in page.content.decode()
    text = pdf_text(made_pdf(client, reverse("sets:prepare_record_pdf", args=[learning_set.pk])).content)
    assert "Who else should sit at the table?" in " ".join(text.split())
    assert Job.objects.filter(kind="sets.record_pdf").count() == 2


def test_a_member_who_left_cannot_fetch_the_pdf_they_made(client, learning_set):
    member = learning_set.members.filter(left_at__isnull=True).first()
    client.force_login(member.user)
    made_pdf(client, reverse("sets:prepare_record_pdf", args=[learning_set.pk]))
    job = Job.objects.get(kind="sets.record_pdf")
    actions.leave(member)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_people_outside_the_set_can_neither_ask_for_nor_see_the_pdf(client, learning_set, outsider):
    client.force_login(outsider)
    assert client.get(reverse("sets:export", args=[learning_set.pk, "pdf"])).status_code == 404
    assert client.post(reverse("sets:prepare_record_pdf", args=[learning_set.pk])).status_code == 404
    assert not Job.objects.filter(kind="sets.record_pdf").exists()


def test_cli_lists_sets_as_json_with_stable_keys(learning_set, capsys):
    call_command("sets", "list", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in data] == [learning_set.pk]
    assert {"id", "name", "cycles"} <= set(data[0]) and data[0]["name"] == "North locality leaders"
    assert [(c["focus"], c["stage"]) for c in data[0]["cycles"]] == [
        ("How do we share one plan with a family?", "closed"), ("What helps people raise a worry early?", "plan")]


def test_cli_exports_markdown_and_pdf(learning_set, tmp_path, capsys):
    call_command("sets", "export", str(learning_set.pk), "--format", "md")
    assert capsys.readouterr().out.startswith("# North locality leaders")
    target = tmp_path / "record.pdf"
    call_command("sets", "export", str(learning_set.pk), "--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("args, message", [
    (["export", "999999"], "no set with id 999999"),
    (["export", "abc"], "SET must be a set id"),
    (["export", "1", "--format", "docx"], "unknown --format 'docx': choose one of md, pdf"),
    (["list", "--format", "xml"], "unknown --format 'xml': choose one of json, text"),
])
def test_cli_refuses_bad_input_with_exit_one(db, args, message):
    with pytest.raises(CommandError) as error:
        call_command("sets", *args)
    assert error.value.returncode == 1 and message in str(error.value)


def test_a_bad_format_exits_one_from_the_real_command():
    result = subprocess.run([sys.executable, "-m", "flourish", "sets", "export", "1", "--format", "docx"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "unknown --format 'docx'" in result.stderr and "Traceback" not in result.stderr
