"""Other tools' files (`qda_fixtures`) through the database: imported into a project and
exported again, everything the file carried is still there, field by field; imported again,
nothing changes. Documented differences: a Flourish project also has its consensus and
assistant layers (exported as users with ids ``flourish:consensus`` / ``flourish:assistant``),
dates are written in UTC with a ``Z``, a coding or note without a date gets the time it was
imported, and a colour ``#rgb`` is kept as ``#rrggbb``."""

import pytest

from flourish.qualitative import actions_exchange, exchange
from flourish.qualitative.actions import NotAllowed
from flourish.qualitative.core import refiqda as q
from flourish.qualitative.models import Case, Code, Coder, CodeSet, Coding, Memo, Project, Source, StoredSource

from . import qda_fixtures as fx
from .test_refiqda_fixtures import canon


def comparable(p: q.Project) -> dict:
    """`canon`, with lists of references sorted, dates as instants, and only the users the file
    listed (the Flourish layers without codings are left out)."""
    c = canon(p)
    for part in ("cases", "sets"):
        for item in c[part].values():
            for key, value in item.items():
                if isinstance(value, list):
                    item[key] = sorted(value)
    for part in ("codings", "memos", "sources"):
        for item in c[part].values():
            item["created"] = exchange.parse_when(item["created"]) if item["created"] else None
    c["users"] = {g: u for g, u in c["users"].items() if not u["id"].startswith(exchange.LAYER_ID)}
    c["name"] = None
    for code in c["codes"].values():  # Flourish keeps colours as #rrggbb
        if code["colour"] and len(code["colour"]) == 4:
            code["colour"] = "#" + "".join(ch * 2 for ch in code["colour"][1:])
    return c


def through_the_database(archive: bytes, researcher, name: str):
    project, report = actions_exchange.import_qdpx(archive, researcher.memberships.first().organisation,
                                                   researcher, name)
    return project, report, exchange.export_qdpx(project)


@pytest.mark.parametrize("name", sorted(fx.ALL))
def test_each_fixture_keeps_everything_through_the_database(researcher, name):
    archive, facts = fx.ALL[name]()
    expected, _ = q.import_qdpx(archive)
    project, report, exported = through_the_database(archive, researcher, f"{name} study")
    assert report.skipped == []
    assert Coding.objects.filter(source__project=project).count() == len(facts.codings)
    assert q.validate(q.project_xml(q.import_qdpx(exported)[0]), q.PROJECT_SCHEMA) == []
    got, core_report = q.import_qdpx(exported)
    assert core_report.skipped == []
    want = comparable(expected)
    have = comparable(got)
    for part in want:
        if part in ("codings", "memos", "sources"):  # a missing date becomes the import time
            for guid, item in want[part].items():
                if item["created"] is None:
                    item["created"] = have[part][guid]["created"]
        assert have[part] == want[part], part


@pytest.mark.parametrize("name", sorted(fx.ALL))
def test_importing_the_export_again_changes_nothing(researcher, name):
    archive, _ = fx.ALL[name]()
    _, _, first = through_the_database(archive, researcher, f"{name} one")
    _, report, second = through_the_database(first, researcher, f"{name} two")
    assert report.skipped == []
    assert canon(q.import_qdpx(second)[0]) | {"name": None} == canon(q.import_qdpx(first)[0]) | {"name": None}


def test_nvivo_ids_folders_sets_and_a_picture_are_kept_in_the_project(researcher):
    archive, _ = fx.nvivo()
    project, report, _ = through_the_database(archive, researcher, "Ward")
    assert set(Coder.objects.filter(project=project).exclude(external_id="").values_list("external_id", flat=True)) \
        == {"CP", "C"}
    assert Code.objects.get(project=project, name="Level 1").is_codable is False
    memo = Memo.objects.get(project=project, name="Interview memo")
    assert memo.author_layer.external_id == "C" and exchange.when_text(memo.created) == "2020-01-02T10:30:00Z"
    assert Source.objects.get(project=project).description == "First ward interview"
    key = CodeSet.objects.get(project=project)
    assert sorted(c.name for c in key.codes.all()) == ["Level 8", "Trust"] and key.memos.count() == 1
    picture = StoredSource.objects.get(project=project)
    assert (picture.kind, picture.name, picture.size) == ("PictureSource", "Ward photo", 21)
    assert "1 picture, PDF, audio or video source" in report.summary()
    assert any("cannot show or code it" in w for w in report.warnings)


def test_maxqda_cases_and_typed_variables_are_kept_in_the_project(researcher):
    archive, _ = fx.maxqda()
    project, _, _ = through_the_database(archive, researcher, "Youth")
    project.refresh_from_db()
    assert [(v["name"], v["type"]) for v in project.variables] == [
        ("Age", "Integer"), ("Consent", "Boolean"), ("Interviewed", "Date"), ("Score", "Float"), ("Site", "Text")]
    case = Case.objects.get(project=project)
    assert case.attributes["Age"] == "34" and [s.name for s in case.sources.all()] == ["B01 interview"]
    assert case.stored_refs == [fx.guid(5, 2)] and case.selection_refs == [fx.guid(3, 1)]
    codings = Coding.objects.filter(source__project=project)
    assert {str(c.selection_guid) for c in codings} == {fx.guid(3, 1)}
    assert {c.description for c in codings} == {"Age and consent in one breath"}


def test_an_edited_value_that_no_longer_fits_its_type_is_exported_as_text_and_said_so(researcher):
    archive, _ = fx.maxqda()
    project, _, _ = through_the_database(archive, researcher, "Youth")
    case = Case.objects.get(project=project)
    case.attributes["Age"] = "thirty-four"
    case.save()
    notes: list[str] = []
    got, _ = q.import_qdpx(exchange.export_qdpx(project, notes))
    assert {v.name: v.type for v in got.variables}["Age"] == "Text"
    assert notes == ["Variable “Age” is written as Text: some values are no longer Integer values."]


def test_a_deleted_code_takes_its_codings_on_a_stored_source_out_of_the_export(researcher):
    archive, _ = fx.nvivo()
    project, _, _ = through_the_database(archive, researcher, "Ward")
    Code.objects.get(project=project, name="Level 8").delete()
    notes: list[str] = []
    got, report = q.import_qdpx(exchange.export_qdpx(project, notes))
    assert "Coding" not in got.other_sources[0].xml
    assert "1 coding(s) on “Ward photo” were left out: their codes have been deleted." in notes


def test_a_file_over_a_limit_is_refused_and_nothing_is_saved(researcher, monkeypatch):
    monkeypatch.setattr(actions_exchange, "IMPORT_LIMITS", q.Limits(codes=3))
    archive, _ = fx.qualcoder()
    before = Project.objects.count()
    with pytest.raises(NotAllowed, match="more than 3 codes .*at code “Agenda”.*nothing was imported"):
        actions_exchange.import_qdpx(archive, researcher.memberships.first().organisation, researcher, "Board")
    assert Project.objects.count() == before


def test_a_project_made_in_flourish_round_trips_unchanged(researcher, second_researcher, model_version):
    from .test_exchange import coded_project

    made = coded_project(researcher, second_researcher, model_version)
    first = exchange.export_qdpx(made)
    _, report, second = through_the_database(first, researcher, "Made again")
    assert report.skipped == []
    assert canon(q.import_qdpx(second)[0]) | {"name": None} == canon(q.import_qdpx(first)[0]) | {"name": None}


def test_the_codebook_export_keeps_codable_flags_and_sets(researcher):
    archive, _ = fx.nvivo()
    project, _, _ = through_the_database(archive, researcher, "Ward")
    codebook, _ = q.import_qdc(exchange.export_qdc(project))
    assert {c.name: c.is_codable for c in codebook.codes}["Level 1"] is False
    assert [(s.name, sorted(s.code_guids)) for s in codebook.sets] == [
        ("Key codes", sorted([fx.guid(2, 8), fx.guid(2, 99)]))]


def test_a_codebook_over_the_limit_is_explained_on_the_page_and_nothing_added(client, researcher, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    archive, _ = fx.nvivo()
    project, _, _ = through_the_database(archive, researcher, "Ward")
    monkeypatch.setattr(actions_exchange, "IMPORT_LIMITS", q.Limits(depth=3))
    before = project.codes.count()
    client.force_login(researcher)
    response = client.post(reverse("qualitative:import_qdc", args=[project.pk]), {
        "file": SimpleUploadedFile("deep.qdc", exchange.export_qdc(project))})
    html = response.content.decode()
    assert response.status_code == 400
    assert "code “Level 4” is nested 4 levels deep, more than the limit of 3" in html
    assert "codes nested more than 3 levels deep" in html
    assert project.codes.count() == before


def test_a_heading_from_another_tool_is_not_offered_for_coding_and_cannot_be_applied(client, researcher):
    from django.urls import reverse

    from flourish.qualitative import actions, selectors

    archive, _ = fx.nvivo()
    project, _, _ = through_the_database(archive, researcher, "Ward")
    source = Source.objects.get(project=project)
    heading, leaf = Code.objects.get(project=project, name="Level 1"), Code.objects.get(project=project, name="Level 8")
    client.force_login(researcher)
    html = client.get(reverse("qualitative:coding", args=[project.pk, source.pk])).content.decode()
    assert f'value="{leaf.pk}"' in html and f'value="{heading.pk}"' not in html
    with pytest.raises(NotAllowed, match="“Level 1” is a heading in the codebook"):
        actions.apply_codes(selectors.person_layer(project, researcher), source, 0, 5, [heading])
