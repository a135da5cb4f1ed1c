"""REFI-QDA export/import: schema validity, property-based round trips, real-world variants."""

import io
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flourish.qualitative.core import refiqda as q
from flourish.qualitative.core.refiqda import Code, Coding, Memo, Project, QdaError, Source, User

SCHEMA = q.PROJECT_SCHEMA


@pytest.fixture
def schema_path():
    """The official schema, vendored in the package (see refiqda/schema/README.md)."""
    assert SCHEMA.exists(), f"the official REFI-QDA schema is missing: expected {SCHEMA}"
    return SCHEMA


needs_schema = pytest.mark.usefixtures("schema_path")

G = [f"00000000-0000-4000-8000-{i:012d}" for i in range(100)]


def sample() -> Project:
    text = "Ann: We plan across services 👍🏽 and cafe\u0301.\nBob: Yes, the pathway.\n"
    ann, bob = User(G[1], "Ann"), User(G[2], "Bob")
    c1 = Code(G[3], "Thinking Systematically", "Whole system", None, "#1f77b4")
    c2 = Code(G[4], "Emergent: funding", "", G[3])
    s = Source(G[5], "Interview 1", text, {"stage": "interview", "site": "North"})
    codings = [Coding(G[6], G[5], 5, 28, G[3], G[1]), Coding(G[7], G[5], 5, 33, G[4], G[2]),
               Coding(G[8], G[5], 0, len(text), G[3], G[2])]
    memos = [Memo(G[9], "Project memo"), Memo(G[10], "On a code", G[3], "Code note"),
             Memo(G[11], "On a coding", G[6]), Memo(G[12], "On a source", G[5])]
    return Project("Flourish study", [s], [c1, c2], [ann, bob], codings, memos)


def hashed(p: Project) -> Project:
    texts = {s.guid: s.text for s in p.sources}
    for c in p.codings:
        c.text_hash = q.text_hash(texts[c.source_guid][c.start:c.end])
    return p


def canon(p: Project):
    key = lambda x: x.guid  # noqa: E731
    return (p.name, sorted(p.sources, key=key), sorted(p.codes, key=key), sorted(p.users, key=key),
            sorted(p.codings, key=key), sorted(p.memos, key=key))


@needs_schema
def test_export_validates_against_official_schema():
    assert q.validate(q.project_xml(sample()), SCHEMA) == []
    with zipfile.ZipFile(io.BytesIO(q.export_qdpx(sample()))) as z:
        assert sorted(z.namelist()) == ["Sources/" + G[5] + ".txt", "project.qde"]
        assert q.validate(z.read("project.qde"), SCHEMA) == []


@needs_schema
def test_codebook_codes_validate_as_project_codebook():
    from lxml import etree

    qdc = etree.fromstring(q.export_qdc(sample()))
    assert etree.QName(qdc).namespace == q.CODEBOOK_NS
    xml = etree.tostring(qdc).decode().replace(q.CODEBOOK_NS, q.NS).replace(' origin="Flourish"', "")
    xml = xml.replace(f'<CodeBook xmlns="{q.NS}">', f'<Project xmlns="{q.NS}" name="x"><CodeBook>') + "</Project>"
    assert q.validate(xml.encode(), SCHEMA) == []


def test_round_trip_keeps_everything():
    project, report = q.import_qdpx(q.export_qdpx(sample()))
    assert report.skipped == [] and report.warnings == []
    assert canon(project) == canon(hashed(sample()))
    codes, _ = q.import_qdc(q.export_qdc(sample()))
    assert codes.codes == sample().codes


def test_invalid_project_refused():
    p = sample()
    p.codings.append(Coding(G[20], G[5], 3, 999, G[3], G[1]))
    p.codings.append(Coding(G[21], G[5], 0, 3, G[50], G[1]))
    p.codes.append(Code(G[22], "Loop", "", G[22]))
    p.memos.append(Memo(G[23], "bad \x01 char"))
    with pytest.raises(QdaError) as exc:
        q.export_qdpx(p)
    for part in ("outside the source", "not in the codebook", "cycle", "XML cannot carry"):
        assert part in str(exc.value)
    p = sample()
    p.codings[0].text_hash = q.text_hash("something else")
    with pytest.raises(QdaError, match="has changed"):
        q.export_qdpx(p)


texts = st.lists(st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
    st.sampled_from(["👍🏽", "e\u0301", "\r\n", "\n", "Ann: ", "👩‍👩‍👧", "\r", "𝔘"]),
), max_size=12).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 1)), max_size=8),
       st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20))
def test_any_project_round_trips_with_identical_positions(raw, selections, memo_text):
    text = raw.replace("\r\n", "\n").replace("\r", "\n")  # what sources.parse stores
    codes = [Code(G[30], "A"), Code(G[31], "B", memo_text, G[30])]
    codings = []
    for i, (a, b, k) in enumerate(selections):
        a, b = sorted((a % (len(text) + 1), b % (len(text) + 1)))
        codings.append(Coding(G[40 + i], G[5], a, b, codes[k].guid, G[1]))
    p = Project("P", [Source(G[5], "S", text, {"role": memo_text})], codes, [User(G[1], "Ann")], codings,
                [Memo(G[60], memo_text, codings[0].guid if codings else None)])
    project, report = q.import_qdpx(q.export_qdpx(p))
    assert report.skipped == []
    assert canon(project) == canon(hashed(p))
    src = project.sources[0].text
    for before, after in zip(sorted(p.codings, key=lambda c: c.guid), sorted(project.codings, key=lambda c: c.guid)):
        assert src[after.start:after.end] == text[before.start:before.end]


# --- real-world variants ------------------------------------------------------------------

VARIANT = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1:0" name="From another tool" origin="OtherQDA">
  <Users><User guid="{AAAAAAAA-0000-4000-8000-000000000001}" name="Rae"/></Users>
  <CodeBook><Codes>
    <Code guid="AAAAAAAA-0000-4000-8000-000000000002" name="Flow" isCodable="true" color="#abc">
      <Code guid="aaaaaaaa-0000-4000-8000-000000000003" name="Child" isCodable="false"/>
    </Code>
  </Codes></CodeBook>
  <Cases><Case guid="aaaaaaaa-0000-4000-8000-000000000099"/></Cases>
  <Sources>
    <TextSource guid="aaaaaaaa-0000-4000-8000-000000000010" name="crlf" plainTextPath="internal://crlf.txt">
      <PlainTextSelection guid="aaaaaaaa-0000-4000-8000-000000000011" startPosition="8" endPosition="21"
          creatingUser="AAAAAAAA-0000-4000-8000-000000000001">
        <Description>Rae's comment</Description>
        <Coding guid="aaaaaaaa-0000-4000-8000-000000000012">
          <CodeRef targetGUID="{AAAAAAAA-0000-4000-8000-000000000002}"/></Coding>
        <Coding guid="aaaaaaaa-0000-4000-8000-000000000013">
          <CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000003"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="aaaaaaaa-0000-4000-8000-000000000014" startPosition="0" endPosition="999">
        <Coding guid="aaaaaaaa-0000-4000-8000-000000000015">
          <CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000002"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="aaaaaaaa-0000-4000-8000-000000000016" startPosition="0" endPosition="2">
        <Coding guid="aaaaaaaa-0000-4000-8000-000000000017">
          <CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000077"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="aaaaaaaa-0000-4000-8000-000000000018" startPosition="0" endPosition="2">
        <NoteRef targetGUID="aaaaaaaa-0000-4000-8000-000000000040"/>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="aaaaaaaa-0000-4000-8000-000000000020" name="word" richTextPath="internal://word.docx">
      <Coding guid="aaaaaaaa-0000-4000-8000-000000000021" creatingUser="aaaaaaaa-0000-4000-8000-000000000005">
        <CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000002"/></Coding>
    </TextSource>
    <TextSource guid="aaaaaaaa-0000-4000-8000-000000000030" name="gone" plainTextPath="internal://missing.txt"/>
    <TextSource guid="aaaaaaaa-0000-4000-8000-000000000031" name="inline">
      <PlainTextContent>Inline text</PlainTextContent></TextSource>
    <PDFSource guid="aaaaaaaa-0000-4000-8000-000000000032" name="scan" path="internal://scan.pdf"/>
  </Sources>
  <Notes><Note guid="aaaaaaaa-0000-4000-8000-000000000040" name="n">
    <PlainTextContent>annotation</PlainTextContent></Note></Notes>
</Project>"""


def _zip(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _docx_bytes(text: str) -> bytes:
    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_variant_file_from_another_tool_imports():
    data = _zip({"Other Name.qde": VARIANT, "sources/crlf.txt": b"Line 1\r\nThe pathway\r\nend",
                 "sources/word.docx": _docx_bytes("Word text")})
    p, report = q.import_qdpx(data)
    assert p.name == "From another tool"
    by_name = {s.name: s for s in p.sources}
    assert by_name["crlf"].text == "Line 1\nThe pathway\nend" and by_name["word"].text == "Word text"
    assert by_name["inline"].text == "Inline text"
    kept = {c.guid: c for c in p.codings}
    c12 = kept["aaaaaaaa-0000-4000-8000-000000000012"]
    assert by_name["crlf"].text[c12.start:c12.end] == "The pathway\n"  # raw 8..21 spans "The pathway\r\n"
    assert c12.coder_guid == "aaaaaaaa-0000-4000-8000-000000000001" and c12.code_guid.endswith("000000000002")
    assert kept["aaaaaaaa-0000-4000-8000-000000000013"].start == c12.start
    whole = kept["aaaaaaaa-0000-4000-8000-000000000021"]
    assert (whole.start, whole.end) == (0, len("Word text"))
    assert {c.guid: c.parent_guid for c in p.codes}["aaaaaaaa-0000-4000-8000-000000000003"].endswith("0002")
    assert p.codes[0].colour == "#abc"
    # the selection's description stays its description, on both codings of the selection
    assert c12.description == "Rae's comment" and c12.selection_guid == "aaaaaaaa-0000-4000-8000-000000000011"
    assert kept["aaaaaaaa-0000-4000-8000-000000000013"].description == "Rae's comment"
    assert not any(m.text == "Rae's comment" for m in p.memos)
    assert {c.guid: c.is_codable for c in p.codes}["aaaaaaaa-0000-4000-8000-000000000003"] is False
    assert [c.guid for c in p.cases] == ["aaaaaaaa-0000-4000-8000-000000000099"]
    assert [(o.kind, o.name) for o in p.other_sources] == [("PDFSource", "scan")]
    reasons = " | ".join(f"{s.kind}:{s.reason}" for s in report.skipped)
    for expected in ("outside source", "not in the codebook", "annotation", "missing.txt is not in the archive"):
        assert expected in reasons, reasons
    assert any("the PDF source is kept" in w and "cannot show or code it" in w for w in report.warnings)
    assert any(".docx" in w for w in report.warnings) and any("added" in w for w in report.warnings)
    # what was kept exports validly again
    q.export_qdpx(p)


def test_changed_source_detected_not_shifted():
    data = q.export_qdpx(sample())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        files = {n: z.read(n) for n in z.namelist()}
    name = f"Sources/{G[5]}.txt"
    files[name] = b"XX" + files[name]
    p, report = q.import_qdpx(_zip(files))
    assert {s.ref for s in report.skipped if "has changed" in s.reason} == {q._derived("selection", g) for g in G[6:9]}
    assert p.codings == []


def test_unreadable_files_are_refused_with_a_reason():
    with pytest.raises(QdaError, match="empty"):
        q.import_qdpx(b"")
    with pytest.raises(QdaError, match="not a ZIP"):
        q.import_qdpx(b"<Project/>")
    with pytest.raises(QdaError, match="no project file"):
        q.import_qdpx(_zip({"a.txt": "x"}))
    with pytest.raises(QdaError, match="well-formed"):
        q.import_qdpx(_zip({"project.qde": "<Project"}))
    with pytest.raises(QdaError, match="not a REFI-QDA project"):
        q.import_qdpx(_zip({"project.qde": "<Other/>"}))
    with pytest.raises(QdaError, match="too large"):
        q.import_qdpx(_zip({"project.qde": "<Project/>" + " " * 1000}), limit=100)
    with pytest.raises(QdaError, match="codebook"):
        q.import_qdc(b"<Project name='x'/>")
    with pytest.raises(QdaError, match="empty"):
        q.import_qdc(b"")


def test_xml_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = f"""<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret}">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"><Sources><TextSource guid="{G[1]}" name="s">
<PlainTextContent>a&x;b</PlainTextContent></TextSource></Sources></Project>"""
    try:
        p, _ = q.import_qdpx(_zip({"project.qde": xml}))
    except QdaError:  # refusing the file is as good as not resolving
        return
    assert "TOP SECRET" not in p.name and all("TOP SECRET" not in s.text for s in p.sources)


def test_a_codebook_with_a_variant_namespace_imports():
    xml = b"""<CodeBook xmlns="urn:QDA-XML:codebook:1:0" origin="x"><Codes>
      <Code guid="{BBBBBBBB-0000-4000-8000-000000000001}" name="Integrity" isCodable="true">
        <Description>Values and actions match</Description></Code></Codes><Sets/></CodeBook>"""
    p, report = q.import_qdc(xml)
    assert p.codes == [Code("bbbbbbbb-0000-4000-8000-000000000001", "Integrity", "Values and actions match")]
    assert report.skipped == [] and p.sets == []
