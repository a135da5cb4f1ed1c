"""`flourish coding list|import|export|agreement`."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from flourish.accounts.models import Role
from flourish.qualitative import actions, exchange, selectors
from flourish.qualitative.models import Coding, Project
from flourish.testing import personas

from .helpers import make_project


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("coding", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args) -> str:
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 1
    return str(error.value)


@pytest.fixture
def coded(researcher, second_researcher, model_version):
    project = make_project(researcher, second_researcher, model_version)
    relations = project.codes.get(process_id="building-relationships")
    systems = project.codes.get(process_id="thinking-systematically")
    for source in project.sources.all():
        for index in range(len(source.turns)):
            actions.add_code_to_turn(selectors.person_layer(project, researcher), source, index,
                              [relations] if index % 2 else [systems])
            actions.add_code_to_turn(selectors.person_layer(project, second_researcher), source, index,
                              [relations] if index % 3 else [systems])
    actions.add_memo(project, researcher, "A memo", target=relations)
    return project


def test_list_shows_each_project_with_its_counts(coded):
    out, _ = run("list")
    assert f"{coded.pk}: {coded.name} (Riverside Children's Centre): 2 source(s), 8 code(s), 14 coding(s), " \
           "1 memo(s), 2 member(s)" in out
    rows = json.loads(run("list", "--format", "json")[0])
    assert rows == [{"id": coded.pk, "name": coded.name, "organisation": "Riverside Children's Centre",
                     "framework": str(coded.framework_version), "members": 2, "sources": 2, "codes": 8,
                     "codings": 14, "memos": 1}]


def test_list_says_when_there_are_no_projects(db):
    assert run("list")[0].strip() == "no coding projects"


def test_an_exported_project_imports_back_unchanged(coded, researcher, second_researcher, tmp_path):
    target = tmp_path / "study.qdpx"
    out, err = run("export", coded.name, "--format", "qdpx", "--output", str(target))
    assert f"Wrote {coded.name} as .qdpx to {target}." in err
    assert zipfile.is_zipfile(target)
    out, _ = run("import", str(target), "--project", "Copy", "--user", second_researcher.email)
    copy = Project.objects.get(name="Copy")
    assert f"Imported Copy (id {copy.pk}) into Riverside Children's Centre: 2 sources, 8 codes, 14 codings, " \
           "1 memo, 2 coders." in out
    assert "Skipped 0 item(s)." in out
    assert copy.members.get().user == second_researcher
    assert sorted(Coding.objects.filter(source__project=copy).values_list("start", "end", "coder__name")) == sorted(
        Coding.objects.filter(source__project=coded).values_list("start", "end", "coder__name"))
    # the codebook, by id, into another project
    qdc = tmp_path / "codes.qdc"
    run("export", str(coded.pk), "--format", "qdc", "--output", str(qdc))
    assert qdc.read_bytes().startswith(b"<?xml")
    empty = actions.create_project(researcher, coded.organisation, "Empty")
    out, _ = run("import", str(qdc), "--project", "Empty")
    assert f"Added 8 code(s) to Empty (id {empty.pk})." in out and empty.codes.count() == 8
    out, _ = run("import", str(qdc), "--project", str(empty.pk), "--user", researcher.email)
    assert "Added 0 code(s)" in out and "Skipped 8 item(s):" in out
    assert "  - code Thinking Systematically: the codebook already has this code (same GUID)" in out


def test_import_reports_skipped_items(researcher, tmp_path):
    text = "Ann: hello there"
    qde = f"""<Project xmlns="urn:QDA-XML:project:1:0" name="Other">
      <CodeBook><Codes><Code guid="cccccccc-0000-4000-8000-000000000001" name="A" isCodable="true"/></Codes></CodeBook>
      <Sources><TextSource guid="aaaaaaaa-0000-4000-8000-000000000001" name="s">
        <PlainTextContent>{text}</PlainTextContent>
        <PlainTextSelection guid="bbbbbbbb-0000-4000-8000-000000000001" startPosition="5" endPosition="99">
          <Coding guid="bbbbbbbb-0000-4000-8000-000000000002">
            <CodeRef targetGUID="cccccccc-0000-4000-8000-000000000001"/></Coding>
        </PlainTextSelection></TextSource>
        <PictureSource guid="aaaaaaaa-0000-4000-8000-000000000002" name="photo"/></Sources></Project>"""
    path = tmp_path / "other.QDPX"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("x.qde", qde)
    path.write_bytes(buf.getvalue())
    out, _ = run("import", str(path), "--project", "From elsewhere")  # Mei is the only researcher
    assert "Skipped 1 item(s):" in out
    assert "  - coding bbbbbbbb-0000-4000-8000-000000000001: positions 5-99 are outside source 's'" in out
    # the picture is kept (and exported again), and the person is told Flourish cannot code it
    assert "1 picture, PDF, audio or video source" in out
    assert "source photo: the picture source is kept with its files and selections" in out
    assert Project.objects.get(name="From elsewhere").members.get().user == researcher


def test_agreement_prints_strict_json_per_code(coded, second_researcher):
    out, _ = run("agreement", coded.name, "--format", "json", "--coders", "Mei Chen,Tomasz Nowak",
                 "--unit", "turn", "--bootstrap", "20")
    result = json.loads(out)
    assert result["coders"] == ["Mei Chen", "Tomasz Nowak"] and result["unit_kind"] == "turn"
    assert result["bootstrap"] == 20 and result["n_units"] == 7
    by_code = {r["process_id"]: r for r in result["per_code"]}
    assert by_code["building-relationships"]["n_applied"] > 0
    out, _ = run("agreement", str(coded.pk), "--unit", "sentence", "--exclude-uncoded", "--bootstrap", "0")
    assert json.loads(out)["exclude_uncoded"] is True and json.loads(out)["unit_kind"] == "sentence"
    assert "no coder “Nobody”" in fails("agreement", coded.name, "--coders", "Mei Chen,Nobody")


@pytest.mark.parametrize("args, message", [
    (("export", "No such", "--format", "qdpx", "--output", "x"), "No coding project is called 'No such'"),
    (("export", "999", "--format", "qdc", "--output", "x"), "No coding project is called '999'"),
    (("agreement", "No such"), "No coding project is called"),
])
def test_an_unknown_project_is_named_in_the_error(db, args, message):
    assert message in fails(*args)


def test_bad_import_input_fails_with_a_message_and_saves_nothing(researcher, tmp_path, coded):
    missing = tmp_path / "missing.qdpx"
    assert "missing.qdpx: cannot read" in fails("import", str(missing), "--project", "X")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert "use a REFI-QDA project (.qdpx) or codebook (.qdc) file" in fails("import", str(text), "--project", "X")
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(b"not a zip")
    message = fails("import", str(broken), "--project", "X", "--user", researcher.email)
    assert "broken.qdpx: The file could not be read: this is not a .qdpx file (it is not a ZIP archive)." in message
    good = tmp_path / "good.qdpx"
    good.write_bytes(exchange.export_qdpx(coded))
    assert f"already has a project called “{coded.name}”" in fails(
        "import", str(good), "--project", coded.name, "--user", researcher.email)
    assert "Choose who leads the project with --user EMAIL" in fails("import", str(good), "--project", "New")
    assert "No user has the email address nobody@x.test" in fails(
        "import", str(good), "--project", "New", "--user", "nobody@x.test")
    leader = personas.leader(coded.organisation)
    assert "amara@riverside.test is not a researcher in Riverside" in fails(
        "import", str(good), "--project", "New", "--user", leader.email)
    assert "No organisation is called 'Nowhere'" in fails(
        "import", str(good), "--project", "New", "--organisation", "Nowhere")
    personas.outsider()
    assert "Choose the organisation with --organisation NAME" in fails(
        "import", str(good), "--project", "New", "--user", researcher.email)
    assert Project.objects.count() == 1
    qdc = tmp_path / "codes.qdc"
    qdc.write_bytes(b"<Project name='x'/>")
    assert "codes.qdc: The file could not be read: this is not a REFI-QDA codebook" in fails(
        "import", str(qdc), "--project", coded.name)


def test_bad_export_input_fails_with_a_message(coded, tmp_path):
    with pytest.raises(CommandError, match="invalid choice"):
        run("export", coded.name, "--format", "pdf", "--output", "x")
    assert "cannot write" in fails("export", coded.name, "--format", "qdc", "--output", str(tmp_path / "no" / "x.qdc"))


def test_same_name_in_two_organisations(coded, researcher, tmp_path):
    other = personas.organisation("Hilltop Family Hub")
    personas.person("rae@hilltop.test", Role.RESEARCHER, other, "Rae", "Hill")
    target = tmp_path / "s.qdpx"
    target.write_bytes(exchange.export_qdpx(coded))
    run("import", str(target), "--project", coded.name, "--organisation", other.name)
    assert "add --organisation NAME" in fails("export", coded.name, "--format", "qdc", "--output", "x")
    run("export", coded.name, "--format", "qdc", "--output", str(tmp_path / "h.qdc"), "--organisation", other.name)
    assert (tmp_path / "h.qdc").exists()


@pytest.mark.assist
def test_suggest_writes_only_to_the_assistant_layer_for_uncoded_turns(researcher, model_version):
    from flourish.qualitative.models import CoderKind

    project = make_project(researcher, framework_version=model_version)
    out, _ = run("suggest", str(project.pk), "--threshold", "0.2")
    uncoded = sum(len(s.turns) for s in project.sources.all())
    assert out.startswith(f"{project.name}: {uncoded} uncoded unit(s) considered")
    made = Coding.objects.filter(source__project=project)
    assert made.exists() and set(made.values_list("coder__kind", flat=True)) == {CoderKind.ASSISTANT}


def test_suggest_without_the_extra_says_how_to_enable_it(researcher, model_version, monkeypatch):
    from flourish.qualitative.assist import embedding

    monkeypatch.setattr(embedding, "available", lambda: False)
    project = make_project(researcher, framework_version=model_version)
    assert "make assist" in fails("suggest", str(project.pk))
    assert "between 0 and 1" in fails("suggest", str(project.pk), "--threshold", "2")
    assert not Coding.objects.exists()
