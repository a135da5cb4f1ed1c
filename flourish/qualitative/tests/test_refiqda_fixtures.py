"""Files shaped like QualCoder's, NVivo's, ATLAS.ti's and MAXQDA's exports (`qda_fixtures`):
each is schema-valid, imports with every coding on the same words, and survives
import → export → import field by field; the export keeps every element of the original with
its attributes (a structural diff that ignores only the documented differences)."""

import io
import zipfile
from dataclasses import asdict

import pytest
from lxml import etree

from flourish.qualitative.core import refiqda as q

from . import qda_fixtures as fx

SCHEMA = q.PROJECT_SCHEMA
# Documented, intentional differences of a Flourish export: sources are written as
# ``plainTextPath="internal://<guid>.txt"`` (so text paths change and rich text becomes plain
# text), and ``origin`` names Flourish; a project's own creatingUserGUID/creationDateTime and
# basePath are not kept.
IGNORED = {"plainTextPath", "richTextPath", "origin", "basePath", "creatingUserGUID", "creationDateTime@Project"}
# Positions in a CRLF text are written again on the "\n"-normalised text Flourish keeps.
IGNORED_BY_FIXTURE = {"atlas_small": {"startPosition", "endPosition"}}


def qde_of(archive: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return z.read(next(n for n in z.namelist() if n.endswith(".qde")))


def canon(p: q.Project) -> dict:
    """Every field of every object, keyed by GUID (lists in a stable order)."""
    key = lambda x: x.guid  # noqa: E731
    out = {"name": p.name, "description": p.description, "extra_xml": p.extra_xml}
    for part in ("sources", "codes", "users", "codings", "memos", "variables", "cases", "sets", "other_sources"):
        out[part] = {x.guid: asdict(x) for x in sorted(getattr(p, part), key=key)}
    return out


def structure(xml: bytes, ignored: set = frozenset()) -> dict:
    """guid -> (element name, its attributes, its Description) for every element with a guid."""
    out = {}
    for el in etree.fromstring(xml).iter():
        if not isinstance(el.tag, str) or el.get("guid") is None:
            continue
        name = etree.QName(el).localname
        attrs = {k: v.lower().strip("{}") if k in ("guid", "creatingUser") else v for k, v in el.attrib.items()
                 if k not in IGNORED | ignored and f"{k}@{name}" not in IGNORED}
        desc = next((d.text for d in el if isinstance(d.tag, str) and etree.QName(d).localname == "Description"), None)
        out[el.get("guid").lower().strip("{}")] = (name, attrs, desc)
    return out


@pytest.mark.parametrize("name", sorted(fx.ALL))
def test_each_fixture_is_valid_against_the_vendored_schema(name):
    archive, _ = fx.ALL[name]()
    assert q.validate(qde_of(archive), SCHEMA) == []


@pytest.mark.parametrize("name", sorted(fx.ALL))
def test_each_fixture_keeps_every_coding_on_the_same_words(name):
    archive, facts = fx.ALL[name]()
    project, report = q.import_qdpx(archive)
    texts = {s.guid: s.text for s in project.sources}
    words = {c.guid: texts[c.source_guid][c.start:c.end] for c in project.codings}
    assert words == facts.codings, report.skipped
    for part, n in facts.counts.items():
        assert len(getattr(project, part)) == n, (part, report.skipped)
    assert report.skipped == []


@pytest.mark.parametrize("name", sorted(fx.ALL))
def test_each_fixture_round_trips_field_by_field(name):
    archive, _ = fx.ALL[name]()
    first, _ = q.import_qdpx(archive)
    exported = q.export_qdpx(first)
    assert q.validate(qde_of(exported), SCHEMA) == []
    second, report = q.import_qdpx(exported)
    assert report.skipped == []
    assert canon(second) == canon(first)
    assert q.export_qdpx(second) == exported  # and the export is stable


@pytest.mark.parametrize("name", sorted(fx.ALL))
def test_the_export_keeps_every_element_of_the_original_with_its_attributes(name):
    archive, _ = fx.ALL[name]()
    ignored = IGNORED_BY_FIXTURE.get(name, set())
    before = structure(qde_of(archive), ignored)
    first, _ = q.import_qdpx(archive)
    after = structure(q.project_xml(first), ignored)
    for guid, (element, attrs, desc) in before.items():
        assert guid in after, f"{element} {guid} is missing from the export"
        e2, attrs2, desc2 = after[guid]
        assert e2 == element
        assert {k: v for k, v in attrs2.items() if k in attrs} == attrs, (element, guid)
        if desc is not None:
            assert desc2 == desc, (element, guid)


def test_qualcoder_bare_paths_keep_all_205_codings():
    archive, facts = fx.qualcoder()
    project, report = q.import_qdpx(archive)
    assert len(project.codings) == 205 == len(facts.codings)
    assert {s.name for s in project.sources} == {"board_2017.txt", "board_2018.txt"}
    assert project.memos[0].text == "First impressions." and project.memos[0].created == "2021-03-05T08:00:00Z"
    board = project.cases[0]
    assert (board.name, board.attributes, len(board.source_guids)) == ("Board", {"attendees": "12"}, 2)
    assert {v.name: v.type for v in project.variables} == {"meeting": "Text", "attendees": "Integer"}
    first = min(project.codings, key=lambda c: (c.source_guid, c.start))
    assert first.selection_name == "item 1 of the agenda at length" and first.created == "2021-03-04T10:11:12Z"
    assert first.selection_guid == fx.guid(3, 1)


def test_nvivo_users_folders_notes_and_sets_are_kept():
    archive, _ = fx.nvivo()
    project, report = q.import_qdpx(archive)
    assert {u.id for u in project.users} == {"CP", "C"}
    codable = {c.name: c.is_codable for c in project.codes}
    assert codable["Level 1"] is False and codable["Level 8"] is True and codable["Trust"] is True
    memo = next(m for m in project.memos if m.name == "Interview memo")
    assert (memo.author_guid, memo.created, memo.target_guid) == (fx.guid(1, 2), "2020-01-02T10:30:00Z", fx.guid(5, 1))
    assert project.sources[0].description == "First ward interview"
    assert [(s.name, len(s.code_guids), s.source_guids, s.memo_guids) for s in project.sets] == [
        ("Key codes", 2, [fx.guid(5, 1)], [fx.guid(8, 1)])]
    picture = project.other_sources[0]
    assert picture.kind == "PictureSource" and picture.files == {
        "Sources/ward.jpg": b"\xff\xd8\xff\xe0fake-jpeg-bytes\xff\xd9"}
    assert any("the picture source is kept" in w for w in report.warnings)
    with zipfile.ZipFile(io.BytesIO(q.export_qdpx(project))) as z:
        assert z.read("Sources/ward.jpg") == picture.files["Sources/ward.jpg"]
    qdc, _ = q.import_qdc(q.export_qdc(project))
    assert [c.is_codable for c in qdc.codes] == [c.is_codable for c in project.codes]
    assert [(s.guid, s.code_guids) for s in qdc.sets] == [(s.guid, s.code_guids) for s in project.sets]


def test_maxqda_typed_variables_keep_their_type_and_guid():
    archive, _ = fx.maxqda()
    project, _ = q.import_qdpx(archive)
    assert [(v.guid, v.name, v.type) for v in project.variables] == [
        (fx.guid(6, 1), "Age", "Integer"), (fx.guid(6, 2), "Consent", "Boolean"),
        (fx.guid(6, 3), "Interviewed", "Date"), (fx.guid(6, 4), "Score", "Float"), (fx.guid(6, 5), "Site", "Text")]
    case = project.cases[0]
    assert case.attributes == {"Age": "34", "Consent": "true", "Interviewed": "2019-11-05", "Score": "3.75",
                               "Site": "North"}
    assert case.selection_guids == [fx.guid(3, 1)] and case.code_guids == [fx.guid(2, 1)]
    xml = q.project_xml(project).decode()
    assert "<IntegerValue>34</IntegerValue>" in xml and "<DateValue>2019-11-05</DateValue>" in xml
    # both codings of the one selection stay in one selection, with its description
    assert {c.selection_guid for c in project.codings} == {fx.guid(3, 1)}
    assert {c.description for c in project.codings} == {"Age and consent in one breath"}
    assert xml.count("<PlainTextSelection ") == 1 and "sha256:" not in xml


def test_a_value_that_does_not_fit_its_type_is_refused_on_export():
    archive, _ = fx.maxqda()
    project, _ = q.import_qdpx(archive)
    project.cases[0].attributes["Age"] = "thirty"
    with pytest.raises(q.QdaError, match="is not a Integer value of variable 'Age'"):
        q.export_qdpx(project)


def test_paths_resolve_as_the_standard_and_the_tools_write_them():
    text = b"Hello there"
    for path, member in [("internal://a.txt", "Sources/a.txt"), ("a.txt", "sources/a.txt"),
                         ("Documents/a.txt", "Sources/Documents/a.txt"),
                         ("relative://Field/a.txt", "Sources/Field/a.txt"),
                         ("internal://a.txt", "a.txt"), ("./a.txt", "sources/a.txt"),
                         (".a.txt", "sources/.a.txt")]:
        qde = (f'<Project xmlns="{fx.NS}" name="p"><Sources><TextSource guid="{fx.guid(5, 1)}" name="s" '
               f'plainTextPath="{path}"/></Sources></Project>')
        project, report = q.import_qdpx(fx.zipped({"project.qde": qde, member: text}))
        assert [s.text for s in project.sources] == ["Hello there"], (path, member, report.skipped)
    qde = (f'<Project xmlns="{fx.NS}" name="p"><Sources><TextSource guid="{fx.guid(5, 1)}" name="s" '
           f'plainTextPath="C:/Users/x/a.txt"/></Sources></Project>')
    _, report = q.import_qdpx(fx.zipped({"project.qde": qde}))
    assert [s.reason for s in report.skipped] == ["the text is outside the archive (C:/Users/x/a.txt)"]


# --- limits: one file cannot make a project unusable ----------------------------------------


def _codebook(n: int, depth: int = 0) -> str:
    flat = "".join(f'<Code guid="{fx.guid(2, i)}" name="C{i}" isCodable="true"/>' for i in range(n))
    deep = ""
    for i in reversed(range(depth)):
        deep = f'<Code guid="{fx.guid(12, i)}" name="D{i}" isCodable="true">{deep}</Code>'
    return f"<Codes>{flat}{deep}</Codes>"


def test_too_many_codes_are_refused_naming_the_limit_and_the_code():
    limits = q.Limits(codes=50)
    xml = f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0">{_codebook(51)}</CodeBook>'.encode()
    with pytest.raises(q.QdaError, match=r"more than 50 codes \(the limit was reached at code “C50”\)"):
        q.import_qdc(xml, limits=limits)
    qde = f'<Project xmlns="{fx.NS}" name="p"><CodeBook>{_codebook(51)}</CodeBook></Project>'
    with pytest.raises(q.QdaError, match="nothing was imported"):
        q.import_qdpx(fx.zipped({"project.qde": qde}), limits=limits)
    assert len(q.import_qdc(xml, limits=q.Limits(codes=51))[0].codes) == 51


def test_a_code_tree_too_deep_is_refused_naming_the_code():
    xml = f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0">{_codebook(0, 12)}</CodeBook>'.encode()
    with pytest.raises(q.QdaError, match="code “D10” is nested 11 levels deep, more than the limit of 10"):
        q.import_qdc(xml, limits=q.Limits(depth=10))
    assert len(q.import_qdc(xml, limits=q.Limits(depth=12))[0].codes) == 12


def test_a_source_too_long_or_too_many_sources_are_refused():
    archive, _ = fx.qualcoder()
    with pytest.raises(q.QdaError, match="source “board_2017.txt” has 7,704 characters, more than the limit of 1,000"):
        q.import_qdpx(archive, limits=q.Limits(source_chars=1000))
    with pytest.raises(q.QdaError, match="the project has 2 sources, more than the limit of 1"):
        q.import_qdpx(archive, limits=q.Limits(sources=1))
    with pytest.raises(q.QdaError, match="205 codings, more than the limit of 200"):
        q.import_qdpx(archive, limits=q.Limits(codings=200))
    nvivo, _ = fx.nvivo()
    with pytest.raises(q.QdaError, match="larger than 10 bytes \\(at source “Ward photo”\\)"):
        q.import_qdpx(nvivo, limits=q.Limits(other_bytes=10))


def test_the_default_limits_hold_a_large_but_real_project():
    limits = q.DEFAULT_LIMITS
    assert limits.codes >= 1000 and limits.depth >= 10 and limits.source_chars >= 2_500_000
