"""REFI-QDA exchange through the database: round trips, other tools' files, all or nothing."""

import io
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flourish.qualitative import actions, actions_exchange, exchange, selectors
from flourish.qualitative.actions import NotAllowed
from flourish.qualitative.core import refiqda as qda
from flourish.qualitative.core.sources import normalise_newlines
from flourish.qualitative.models import Code, Coder, CoderKind, Coding, Memo, Project, Source, text_hash

from .helpers import make_project

# The official schema, vendored in the package (see refiqda/schema/README.md).
SCHEMA = qda.PROJECT_SCHEMA


def snapshot(project):
    """Everything a round trip must keep, keyed by guid (no primary keys)."""
    g = str
    return {
        "sources": {g(s.guid): (s.name, s.text, s.attributes, s.turns) for s in project.sources.all()},
        "codes": {g(c.guid): (c.name, g(c.parent.guid) if c.parent else None, c.process_id, c.definition,
                              c.inclusion, c.exclusion, c.examples, c.colour) for c in project.codes.all()},
        "coders": {g(c.guid): c.name for c in project.coders.all()},
        "codings": {g(c.guid): (g(c.source.guid), g(c.code.guid), c.coder.name, g(c.coder.guid), c.start, c.end,
                                c.text_hash) for c in Coding.objects.filter(source__project=project)},
        "memos": {g(m.guid): (m.name, m.text, g(m.target.guid) if m.target else None) for m in project.memos.all()},
        "framework": project.framework_version_id,
        "description": project.description,
    }


def coded_project(researcher, second_researcher, model_version):
    project = make_project(researcher, second_researcher, model_version)
    interview, par = project.sources.order_by("name")
    mei, tomasz = selectors.person_layer(project, researcher), selectors.person_layer(project, second_researcher)
    systems = project.codes.get(process_id="thinking-systematically")
    relations = project.codes.get(process_id="building-relationships")
    emergent = actions.add_code(project, researcher, "Coffee", parent=relations, definition="Informal repair.",
                                inclusion="Any drink.\n\nWhen to use:\nlooks like a heading", exclusion="Formal",
                                examples=["We had a proper coffee.", "Tea too"], colour="#abcdef")
    start = interview.text.index("After the row")
    end = interview.text.index("😀") + 1
    made = actions.apply_codes(mei, interview, start, end, [relations, emergent], user=researcher)
    actions.apply_codes(tomasz, interview, start, end - 5, [relations], user=second_researcher)
    actions.add_code_to_turn(mei, par, 1, [systems], user=researcher)
    actions.add_code_to_turn(project.consensus(), par, 1, [systems])
    actions.apply_codes(project.assistant(), interview, 0, 11, [systems], score=0.7, method="similarity")
    actions.add_memo(project, researcher, "Why this study", name="Aims")
    actions.add_memo(project, researcher, "About coffee", target=emergent)
    actions.add_memo(project, second_researcher, "On the source", target=interview)
    actions.add_memo(project, researcher, "On the coding ☕", target=made[1])
    project.description = "A study.\nFlourish framework: not-a-marker 1"
    project.save()
    return project


def test_round_trip_keeps_everything(researcher, second_researcher, model_version):
    project = coded_project(researcher, second_researcher, model_version)
    notes = []
    data = exchange.export_qdpx(project, notes)
    assert notes == []
    copy, report = actions_exchange.import_qdpx(data, project.organisation, researcher, "Copy")
    assert report.skipped == [] and report.warnings == []
    assert report.counts == {"sources": 2, "codes": project.codes.count(), "codings": 6, "memos": 4, "coders": 4}
    assert snapshot(copy) == snapshot(project)
    assert copy.name == "Copy" and copy.members.get().user == researcher
    kinds = {c.name: c.kind for c in copy.coders.all()}
    assert kinds == {"Mei Chen": CoderKind.PERSON, "Tomasz Nowak": CoderKind.IMPORTED,
                     "Consensus": CoderKind.CONSENSUS, "Assistant": CoderKind.ASSISTANT}
    assert selectors.person_layer(copy, researcher).guid == selectors.person_layer(project, researcher).guid
    assert copy.memos.get(name="Aims").author == researcher  # Mei's own memo stays hers
    assert copy.memos.get(text="On the source").author is None  # Tomasz is not in the new project
    assert {s.name: s.speakers() for s in copy.sources.all()} == {s.name: s.speakers() for s in project.sources.all()}
    assert set(copy.speakers.values_list("name", flat=True)) == set(project.speakers.values_list("name", flat=True))
    assert {s.format for s in copy.sources.all()} == {"txt"}
    # the codebook alone, into another project
    other = actions.create_project(researcher, project.organisation, "Other")
    made, report = actions_exchange.import_qdc(exchange.export_qdc(project), other, researcher)
    assert report.skipped == []
    assert snapshot(other)["codes"] == snapshot(project)["codes"]
    assert [c.guid for c in made] == list(other.codes.order_by("order").values_list("guid", flat=True))


def test_definitions_are_readable_in_the_file(researcher, second_researcher, model_version):
    project = coded_project(researcher, second_researcher, model_version)
    codes, _ = qda.import_qdc(exchange.export_qdc(project))
    coffee = next(c for c in codes.codes if c.name == "Coffee")
    assert coffee.description == (
        "Informal repair.\n\nWhen to use:\nAny drink.\n\n When to use:\nlooks like a heading\n\n"
        "When not to use:\nFormal\n\nExamples:\n- We had a proper coffee.\n- Tea too")
    systems = next(c for c in codes.codes if c.name == project.codes.get(process_id="thinking-systematically").name)
    assert systems.description.endswith("\n\nFlourish process: thinking-systematically")


def test_export_validates_against_the_official_schema(researcher, second_researcher, model_version):
    assert SCHEMA.exists(), f"the official REFI-QDA schema is missing: expected {SCHEMA}"
    project = coded_project(researcher, second_researcher, model_version)
    with zipfile.ZipFile(io.BytesIO(exchange.export_qdpx(project))) as z:
        names = z.namelist()
        assert qda.validate(z.read("project.qde"), SCHEMA) == []
    assert len(names) == 3 and all(n.startswith("Sources/") for n in names if n != "project.qde")
    assert qda.validate(qda.project_xml(exchange.project_to_qda(project)), SCHEMA) == []


def test_changed_source_left_out_of_export_and_said_so(researcher, second_researcher, model_version):
    project = coded_project(researcher, second_researcher, model_version)
    interview = project.sources.get(name="interview-ann.txt")
    assert len(exchange.stale_codings(project)) == 0
    actions.revise_source(interview, researcher, "interview-ann.txt", ("Preface.\n" + interview.text).encode())
    stale = exchange.stale_codings(project)
    assert len(stale) == 4
    notes = []
    data = exchange.export_qdpx(project, notes)
    assert "4 coding(s) were left out" in notes[0] and "is on a coding that was left out" in notes[1]
    copy, report = actions_exchange.import_qdpx(data, project.organisation, researcher, "Copy")
    assert Coding.objects.filter(source__project=copy).count() == 2
    assert copy.memos.get(text="On the coding ☕").target is None


def test_control_characters_replaced_on_export(researcher):
    project = make_project(researcher)
    actions.add_memo(project, researcher, "bell \x07 here")
    notes = []
    exported = exchange.export_qdpx(project, notes)
    copy, _ = actions_exchange.import_qdpx(exported, project.organisation, researcher, "Copy")
    assert copy.memos.get().text == "bell \ufffd here" and "replaced" in notes[0]


def test_text_starting_with_a_byte_order_mark(researcher):
    project = actions.create_project(researcher, researcher.memberships.first().organisation, "BOM")
    # the file's own BOM is dropped on upload; a second one is text
    source, = actions.import_sources(project, researcher, [("b.txt", "\ufeff\ufeffAnn: hello".encode())])
    assert source.text == "\ufeffAnn: hello"
    code = actions.add_code(project, researcher, "Greeting")
    actions.apply_codes(selectors.person_layer(project, researcher), source, 6, 11, [code])
    copy, report = actions_exchange.import_qdpx(exchange.export_qdpx(project), project.organisation, researcher, "Copy")
    assert report.skipped == [] and snapshot(copy)["codings"] == snapshot(project)["codings"]
    assert copy.sources.get().text == source.text


# --- property-based round trips through the database -------------------------------------------

PIECES = ["👍🏽", "e\u0301", "\r\n", "\n", "Ann: ", "Bob: ", "👩‍👩‍👧", "\r", "𝔘", "\t", "\u200f", "ﬁ"]
TEXTS = st.lists(st.one_of(st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
                                   max_size=25), st.sampled_from(PIECES)), min_size=1, max_size=12).map("".join)
NOTE_TEXT = st.lists(st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufffe\uffff"),
            max_size=15),
    st.sampled_from(["\n", "\n\n", "When to use:", "Examples:", " Examples:", "Flourish process: x", "- ",
                     "Flourish framework: va 1", "\t"]),
), max_size=8).map("".join)
SELECTIONS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 3), st.integers(0, 1)),
                      max_size=8)
_counter = iter(range(10**9))
PROPERTY = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _drop(*projects):
    for p in projects:
        Project.objects.filter(pk=p.pk).delete()


@PROPERTY
@given(raw=TEXTS, selections=SELECTIONS, definition=NOTE_TEXT, inclusion=NOTE_TEXT,
       examples=st.lists(NOTE_TEXT, max_size=3), memo=NOTE_TEXT)
def test_property_round_trip_through_the_database(researcher, second_researcher, model_version, raw, selections,
                                                  definition, inclusion, examples, memo):
    org = researcher.memberships.first().organisation
    project = actions.create_project(researcher, org, f"P{next(_counter)}", model_version)
    copy = None
    try:
        actions.add_member(project, second_researcher.email)
        source, = actions.import_sources(project, researcher, [("t.txt", ("Ann: " + raw).encode())])
        codes = list(project.codes.all()[:2])
        codes.append(actions.add_code(project, researcher, "Emergent", parent=codes[0], definition=definition,
                                      inclusion=inclusion, examples=[e.replace("\n", " ") for e in examples]))
        layers = [selectors.person_layer(project, researcher), selectors.person_layer(project, second_researcher),
                  project.consensus(), project.assistant()]
        made = []
        for a, b, layer, k in selections:
            a, b = sorted((a % (len(source.text) + 1), b % (len(source.text) + 1)))
            if b > a and source.text[a:b].strip():
                made += actions.apply_codes(layers[layer], source, a, b, [codes[k + (layer % 2)]])
        if memo.strip():
            actions.add_memo(project, researcher, memo, target=made[0] if made else codes[2])
        exported = exchange.export_qdpx(project)
        copy, report = actions_exchange.import_qdpx(exported, org, researcher, f"C{next(_counter)}")
        assert report.skipped == []
        before, after = snapshot(project), snapshot(copy)
        assert after == before
        text = copy.sources.get().text
        for c in Coding.objects.filter(source__project=copy):
            assert text_hash(text[c.start:c.end]) == c.text_hash
    finally:
        _drop(project, *([copy] if copy else []))


@PROPERTY
@given(raw=TEXTS, selections=SELECTIONS)
def test_property_other_tools_crlf_positions_land_on_the_same_words(researcher, raw, selections):
    """Another tool counts positions in its CRLF file; Flourish stores \\n and maps them."""
    raw = "Ann: " + raw.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    expected_text = normalise_newlines(raw)
    def norm(p):  # where raw position p lands in the stored text (between \r and \n: on the \n)
        return len(normalise_newlines(raw[:p])) - (0 < p < len(raw) and raw[p - 1:p + 1] == "\r\n")

    sels, expected, spans = [], {}, set()
    for i, (a, b, _, _) in enumerate(selections):
        a, b = sorted((a % (len(raw) + 1), b % (len(raw) + 1)))
        if b < len(raw) and raw[b - 1:b + 1] == "\r\n":  # never end between \r and \n
            b += 1
        guid = f"00000000-0000-4000-8000-{i:012d}"
        sels.append(_selection(guid, a, b))
        words = normalise_newlines(raw[a:b])
        assert expected_text[norm(a):norm(b)] == words
        if words and (norm(a), norm(b)) not in spans:  # the same span twice is one coding
            expected[guid] = words
            spans.add((norm(a), norm(b)))
    data = _qdpx({"Other.qde": _other_project("".join(sels)), "sources/t.txt": raw.encode("utf-8")})
    project, report = actions_exchange.import_qdpx(data, researcher.memberships.first().organisation, researcher,
                                           f"X{next(_counter)}")
    try:
        assert project.sources.get().text == expected_text
        got = {str(c.guid): expected_text[c.start:c.end] for c in Coding.objects.filter(source__project=project)}
        assert got == expected
        assert len(report.skipped) == len(selections) - len(expected)
        assert all("empty selection" in s.reason or "already has" in s.reason for s in report.skipped)
    finally:
        _drop(project)


@settings(max_examples=200, deadline=None)
@given(definition=NOTE_TEXT, inclusion=NOTE_TEXT, exclusion=NOTE_TEXT, examples=st.lists(NOTE_TEXT, max_size=4),
       process=st.sampled_from(["", "thinking-systematically", "x"]))
def test_property_code_description_round_trip(definition, inclusion, exclusion, examples, process):
    notes = qda.CodeNotes(definition.strip(), inclusion.strip(), exclusion.strip(),
                          [" ".join(e.split("\n")).strip() for e in examples if e.strip()], process)
    assert qda.parse_code_description(qda.code_description(notes)) == notes
    assert qda.parse_project_description(qda.project_description(definition, "va", 3)) == (definition.strip(), "va", 3)


def test_another_tools_description_is_the_definition():
    notes = qda.parse_code_description("Talk about systems.\nExamples: many\n")
    assert notes == qda.CodeNotes("Talk about systems.\nExamples: many")


# --- another tool's files --------------------------------------------------------------------

def _qdpx(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _docx(*paragraphs) -> bytes:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _selection(guid, start, end, code="cccccccc-0000-4000-8000-000000000001",
               user="{EEEEEEEE-0000-4000-8000-000000000001}", description=""):
    """One PlainTextSelection with one Coding whose guid is `guid` (the selection's is derived)."""
    desc = f"<Description>{description}</Description>" if description else ""
    return (f'<PlainTextSelection guid="{guid[:-12]}ffff{guid[-8:]}" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{user}">{desc}<Coding guid="{guid}"><CodeRef targetGUID="{code}"/></Coding>'
            '</PlainTextSelection>')


def _other_project(selections: str, docx_codings: str = "", extra_users: str = "") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1:0" name="From another tool" origin="OtherQDA 2024">
  <Users><User guid="{{EEEEEEEE-0000-4000-8000-000000000001}}" name="Rae Other"/>{extra_users}</Users>
  <CodeBook><Codes>
    <Code guid="CCCCCCCC-0000-4000-8000-000000000001" name="Thinking Systematically" isCodable="true" color="#c0F">
      <Description>Whole-system talk.</Description>
      <Code guid="cccccccc-0000-4000-8000-000000000002" name="Local data" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables><Variable guid="dddddddd-0000-4000-8000-000000000001" name="site" typeOfVariable="Text"/></Variables>
  <Sources>
    <TextSource guid="aaaaaaaa-0000-4000-8000-000000000001" name="Interview Ann" plainTextPath="internal://t.txt">
      {selections}
      <VariableValue><VariableRef targetGUID="dddddddd-0000-4000-8000-000000000001"/>
        <TextValue>North</TextValue></VariableValue>
    </TextSource>
    {docx_codings}
  </Sources>
</Project>"""


CRLF_TEXT = "Ann: We plan across services 👍🏽\r\nBob: The pathway e\u0301 matters.\r\nAnn: Data too.\r\n"


def test_another_tools_file_imports_with_codings_on_the_right_text(researcher, model_version):
    raw = CRLF_TEXT
    text = normalise_newlines(raw)
    pos = raw.index
    sels = "".join([
        _selection("bbbbbbbb-0000-4000-8000-000000000001", pos("We plan"), pos(" 👍🏽") + 3),  # across the emoji
        _selection("bbbbbbbb-0000-4000-8000-000000000002", pos("The pathway"), pos("matters.") + 10,
                   code="cccccccc-0000-4000-8000-000000000002"),  # ends after \r\n
        _selection("bbbbbbbb-0000-4000-8000-000000000003", pos("Data"), pos("Data") + 4,
                   description="sha256:" + "0" * 64),  # the hash does not match the words
        _selection("bbbbbbbb-0000-4000-8000-000000000004", 5, 9999),  # beyond the text
        _selection("bbbbbbbb-0000-4000-8000-000000000005", 0, 3, code="cccccccc-0000-4000-8000-000000000099"),
        _selection("bbbbbbbb-0000-4000-8000-000000000006", pos("Data"), pos("Data") + 4,
                   description="sha256:" + qda.text_hash("Data"), user="{EEEEEEEE-0000-4000-8000-000000000002}"),
    ])
    word = ('<TextSource guid="aaaaaaaa-0000-4000-8000-000000000002" name="Focus group.docx" '
            'richTextPath="internal://fg.docx"><PlainTextSelection guid="bbbbbbbb-0000-4000-8000-000000000007" '
            'startPosition="5" endPosition="10"><Coding guid="bbbbbbbb-0000-4000-8000-000000000008" '
            'creatingUser="eeeeeeee-0000-4000-8000-000000000003"><CodeRef targetGUID="cccccccc-0000-4000-8000-'
            '000000000002"/></Coding></PlainTextSelection></TextSource>')
    users = '<User guid="eeeeeeee-0000-4000-8000-000000000002" name="MEI CHEN"/>'
    data = _qdpx({"Study Export.qde": _other_project(sels, word, users), "sources/t.txt": raw.encode("utf-8"),
                  "sources/fg.docx": _docx("Cal: Joint clinic.", "Dee: Yes.")})
    project, report = actions_exchange.import_qdpx(data, researcher.memberships.first().organisation, researcher, "")
    assert project.name == "From another tool"
    interview = project.sources.get(name="Interview Ann")
    assert interview.text == text and interview.attributes == {"site": "North"}
    assert interview.speakers() == ["Ann", "Bob"] and len(interview.turns) == 3
    focus = project.sources.get(name="Focus group.docx")
    assert focus.text == "Cal: Joint clinic.\nDee: Yes."
    assert focus.format == "docx" and focus.speakers() == ["Cal", "Dee"]
    landed = {str(c.guid)[-2:]: (c.source.text[c.start:c.end], c.code.name, c.coder.name, c.coder.kind)
              for c in Coding.objects.filter(source__project=project)}
    assert landed == {
        "01": ("We plan across services 👍🏽", "Thinking Systematically", "Rae Other", CoderKind.IMPORTED),
        "02": ("The pathway e\u0301 matters.\n", "Local data", "Rae Other", CoderKind.IMPORTED),
        "06": ("Data", "Thinking Systematically", "Mei Chen", CoderKind.PERSON),  # "MEI CHEN" is the importer
        "08": ("Joint", "Local data", "Coder eeeeeeee", CoderKind.IMPORTED),
    }
    reasons = {s.ref[-2:]: s.reason for s in report.skipped}
    assert "has changed" in reasons["03"] and "outside" in reasons["04"] and "not in the codebook" in reasons["05"]
    assert len(report.skipped) == 3 and any(".docx" in w for w in report.warnings)
    # a code called exactly like a process is linked to it; the framework comes with it
    systems = project.codes.get(name="Thinking Systematically")
    assert systems.process_id == "thinking-systematically" and systems.colour == "#cc00FF"
    assert systems.definition == "Whole-system talk."
    assert project.framework_version == model_version
    assert project.codes.get(name="Local data").parent == systems
    # what came in goes out again, valid
    assert qda.validate(qda.project_xml(exchange.project_to_qda(project)), SCHEMA) == []


def test_codings_without_coder_and_duplicates(researcher):
    sel = _selection("bbbbbbbb-0000-4000-8000-000000000001", 0, 3)
    twin = _selection("bbbbbbbb-0000-4000-8000-000000000002", 0, 3)
    anon = _selection("bbbbbbbb-0000-4000-8000-000000000003", 0, 3).replace(
        ' creatingUser="{EEEEEEEE-0000-4000-8000-000000000001}"', "")
    data = _qdpx({"p.qde": _other_project(sel + twin + anon), "t.txt": b"Ann: hi"})
    project, report = actions_exchange.import_qdpx(data, researcher.memberships.first().organisation, researcher, "Dup")
    assert [s.ref[-2:] for s in report.skipped] == ["02"] and "already has this code" in report.skipped[0].reason
    assert sorted(Coding.objects.filter(source__project=project).values_list("coder__name", flat=True)) == [
        "Rae Other", "Unattributed"]
    assert project.codes.get(name="Thinking Systematically").process_id == "thinking-systematically"


# --- all or nothing --------------------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"<Project/>", "not a ZIP"),
    (b"PK\x03\x04broken", "not a ZIP"),
    (None, "no project file"),
    ("broken-xml", "well-formed"),
])
def test_unreadable_files_save_nothing(researcher, data, message):
    if data is None:
        data = _qdpx({"notes.txt": b"x"})
    elif data == "broken-xml":
        data = _qdpx({"project.qde": b"<Project name='x'><Sources>", "t.txt": b"x"})
    org = researcher.memberships.first().organisation
    with pytest.raises(NotAllowed, match=message) as error:
        actions_exchange.import_qdpx(data, org, researcher, "Broken")
    assert str(error.value).startswith("The file could not be read")
    assert not Project.objects.exists() and not Source.objects.exists()


def test_a_failure_part_way_saves_nothing(researcher, monkeypatch):
    data = _qdpx({"p.qde": _other_project(_selection("bbbbbbbb-0000-4000-8000-000000000001", 0, 3)),
                  "t.txt": b"Ann: hi"})
    org = researcher.memberships.first().organisation

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions_exchange, "_memos", boom)
    with pytest.raises(RuntimeError):
        actions_exchange.import_qdpx(data, org, researcher, "Half")
    assert not any(m.objects.exists() for m in (Project, Source, Code, Coder, Coding, Memo))


def test_a_taken_or_too_long_name_is_refused(researcher):
    project = make_project(researcher)
    data = exchange.export_qdpx(project)
    with pytest.raises(NotAllowed, match="already has a project called"):
        actions_exchange.import_qdpx(data, project.organisation, researcher, project.name)
    with pytest.raises(NotAllowed, match="at most 200"):
        actions_exchange.import_qdpx(data, project.organisation, researcher, "x" * 201)
    assert Project.objects.count() == 1


# --- codebooks into a project ----------------------------------------------------------------

def test_import_qdc_skips_known_codes_and_links_processes(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    systems = project.codes.get(process_id="thinking-systematically")
    relations = project.codes.get(process_id="building-relationships")
    qdc = f"""<CodeBook xmlns="urn:QDA-XML:codebook:1:0"><Codes>
      <Code guid="{systems.guid}" name="Renamed elsewhere" isCodable="true">
        <Code guid="bbbbbbbb-0000-4000-8000-000000000001" name="Funding" isCodable="true">
          <Description>Money.

Flourish process: building-relationships</Description></Code></Code>
      <Code guid="bbbbbbbb-0000-4000-8000-000000000002" name="{relations.name}" isCodable="true"/>
      <Code guid="bbbbbbbb-0000-4000-8000-000000000003" name="{project.codes.get(process_id='interaction').name}"
            isCodable="true"/>
    </Codes></CodeBook>""".encode()
    project.codes.filter(process_id="interaction").update(process_id="")
    made, report = actions_exchange.import_qdc(qdc, project, researcher)
    assert [c.name for c in made] == ["Funding", relations.name, "Interaction"]
    assert [s.ref for s in report.skipped] == ["Renamed elsewhere"]
    funding = made[0]
    assert funding.parent == systems and funding.definition == "Money." and funding.process_id == ""
    assert "already stands for process building-relationships" in report.warnings[0]
    assert made[1].process_id == "" and made[2].process_id == "interaction"
    assert project.codes.get(pk=systems.pk).name == systems.name  # kept as it is
    assert min(c.order for c in made) > systems.order


def test_codebook_import_errors_say_what_is_wrong(researcher):
    project = make_project(researcher)
    with pytest.raises(NotAllowed, match="could not be read: the file is empty"):
        actions_exchange.import_qdc(b"", project, researcher)
    with pytest.raises(NotAllowed, match="no codes"):
        actions_exchange.import_qdc(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>', project, researcher)
    assert not project.codes.exists()


def test_binary_or_oversize_sources_left_out_with_their_codings(researcher, monkeypatch):
    sel = _selection("bbbbbbbb-0000-4000-8000-000000000001", 0, 3)
    org = researcher.memberships.first().organisation
    data = _qdpx({"p.qde": _other_project(sel), "t.txt": b"Ann\x00 hi"})
    project, report = actions_exchange.import_qdpx(data, org, researcher, "Binary")
    assert not project.sources.exists() and not Coding.objects.exists()
    assert [(s.kind, s.reason) for s in report.skipped] == [
        ("source", "the text contains NUL characters (is it a binary file?)"), ("coding", "its source was left out")]
    monkeypatch.setattr(actions_exchange, "SOURCE_LIMIT", 5)
    project, report = actions_exchange.import_qdpx(_qdpx({"p.qde": _other_project(sel), "t.txt": b"Ann: hi"}), org,
                                           researcher, "Large")
    assert not project.sources.exists() and "larger than 5 bytes" in report.skipped[0].reason
