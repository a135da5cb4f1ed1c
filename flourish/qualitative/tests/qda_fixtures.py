"""REFI-QDA files shaped the way other tools write them, built here from the REFI-QDA 1.5
specification and the tools' published descriptions of their exports (no copied files).

Each builder returns ``(archive bytes, facts)``: ``facts`` holds what a lossless import must
find (the words under each coding, the numbers of things). Every ``project.qde`` written
here validates against the vendored schema (the tests check that too).

- `qualcoder`: QualCoder 1.3 — bare ``plainTextPath="board_2017.txt"`` with the file at
  ``sources/board_2017.txt``; selections named after the coded words, with creatingUser and
  creationDateTime on selection and coding; cases with variables and source references;
  typed variables; a note kept as a file.
- `nvivo`: NVivo — users with ids "CP" and "C", sources as ``richTextPath`` (.docx) only,
  a deep code tree whose folders are ``isCodable="false"``, sets, source descriptions,
  notes with authors and dates, a picture source with a coded region.
- `atlas_empty` / `atlas_small`: ATLAS.ti — an empty project; a small one with sources in a
  sub-folder (``internal://Documents/…``), a ``relative://`` path packed in the archive, a
  PDF with a coded region and a note on it.
- `maxqda`: MAXQDA — Integer, Boolean, Date and Float variables on cases and sources, an
  audio source with a transcript and a coded stretch, a selection holding two codings.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import docx

NS = "urn:QDA-XML:project:1.0"


def guid(kind: int, n: int) -> str:
    return f"{kind:08x}-0000-4000-8000-{n:012x}"


def zipped(files: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def a(**attrs) -> str:
    return "".join(f" {k}={quoteattr(str(v))}" for k, v in attrs.items() if v is not None)


@dataclass
class Facts:
    codings: dict[str, str] = field(default_factory=dict)  # coding guid -> the words it covers
    counts: dict[str, int] = field(default_factory=dict)


def _selection(sel_guid, start, end, codings, *, user=None, when=None, name=None, description=None,
               coding_user=True) -> str:
    inner = f"<Description>{escape(description)}</Description>" if description is not None else ""
    for c_guid, code_guid in codings:
        inner += (f"<Coding{a(guid=c_guid, creatingUser=user if coding_user else None, creationDateTime=when)}>"
                  f"<CodeRef targetGUID=\"{code_guid}\"/></Coding>")
    attrs = a(guid=sel_guid, name=name, startPosition=start, endPosition=end, creatingUser=user,
              creationDateTime=when)
    return f"<PlainTextSelection{attrs}>{inner}</PlainTextSelection>"


# --- QualCoder ------------------------------------------------------------------------------

BOARD_2017 = "".join(f"Member {i}: the board discussed item {i} of the agenda at length.\n" for i in range(1, 121))
BOARD_2018 = "".join(f"Chair {i}: we agreed action {i} and the budget line {i * 7}.\n" for i in range(1, 101))


def qualcoder() -> tuple[bytes, Facts]:
    """205 codings on two bare-path sources (the shape of issue 16's QualCoder export)."""
    facts = Facts()
    user = guid(1, 1)
    codes = [(guid(2, i), name, colour) for i, (name, colour) in enumerate(
        [("Governance", "#ff0000"), ("Budget", "#00ff00"), ("Actions", "#0000ff"), ("Agenda", "#aabbcc")], 1)]
    codebook = "".join(f"<Code{a(guid=g, name=n, isCodable='true', color=c)}><Description>{n} talk</Description>"
                       "</Code>" for g, n, c in codes)
    n = 0
    sources_xml = ""
    for s_i, (fname, text, word) in enumerate([("board_2017.txt", BOARD_2017, "item"),
                                                ("board_2018.txt", BOARD_2018, "action")], 1):
        sels = ""
        pos = 0
        target = 110 if s_i == 1 else 95
        for _ in range(target):
            at = text.index(word, pos)
            end = text.index(".", at)
            pos = end
            n += 1
            c_guid, code = guid(4, n), codes[n % 4][0]
            facts.codings[c_guid] = text[at:end]
            sels += _selection(guid(3, n), at, end, [(c_guid, code)], user=user, when="2021-03-04T10:11:12Z",
                               name=text[at:end][:30])
        src = a(guid=guid(5, s_i), name=fname, plainTextPath=fname, creatingUser=user,
                creationDateTime="2021-03-01T09:00:00Z")
        sources_xml += (f"<TextSource{src}>"
                        f"<Description>Minutes {fname}</Description>{sels}"
                        f"<VariableValue><VariableRef targetGUID=\"{guid(6, 1)}\"/><TextValue>board</TextValue>"
                        "</VariableValue></TextSource>")
    head = a(name="board_study", origin="QualCoder 1.3", creatingUserGUID=user,
             creationDateTime="2021-03-01T09:00:00Z")
    note = a(guid=guid(8, 1), name="Journal", creatingUser=user, creationDateTime="2021-03-05T08:00:00Z",
             plainTextPath="journal.txt")
    qde = (f"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"{NS}\"{head}>"
           f"<Users><User guid=\"{user}\" name=\"default\"/></Users>"
           f"<CodeBook><Codes>{codebook}</Codes></CodeBook>"
           f"<Variables><Variable guid=\"{guid(6, 1)}\" name=\"meeting\" typeOfVariable=\"Text\"/>"
           f"<Variable guid=\"{guid(6, 2)}\" name=\"attendees\" typeOfVariable=\"Integer\"/></Variables>"
           f"<Cases><Case guid=\"{guid(7, 1)}\" name=\"Board\"><Description>The board</Description>"
           f"<VariableValue><VariableRef targetGUID=\"{guid(6, 2)}\"/><IntegerValue>12</IntegerValue>"
           f"</VariableValue><SourceRef targetGUID=\"{guid(5, 1)}\"/><SourceRef targetGUID=\"{guid(5, 2)}\"/>"
           "</Case></Cases>"
           f"<Sources>{sources_xml}</Sources>"
           f"<Notes><Note{note}/></Notes>"
           f"<NoteRef targetGUID=\"{guid(8, 1)}\"/></Project>")
    facts.counts = {"sources": 2, "codings": n, "codes": 4, "cases": 1, "memos": 1}
    archive = zipped({"project.qde": qde, "sources/board_2017.txt": BOARD_2017.encode(),
                      "sources/board_2018.txt": BOARD_2018.encode(), "sources/journal.txt": b"First impressions."})
    return archive, facts


# --- NVivo ----------------------------------------------------------------------------------

NVIVO_PARAS = ["Interviewer: Tell me about the ward.", "CP: We rebuilt the rota together after the audit.",
               "C: Trust came back slowly, meeting by meeting."]


def nvivo(depth: int = 8) -> tuple[bytes, Facts]:
    facts = Facts()
    cp, c = guid(1, 1), guid(1, 2)
    text = "\n".join(NVIVO_PARAS)
    # a chain of folders (not codable) with one codable leaf at the bottom, plus a sibling
    code_guids = [guid(2, i) for i in range(1, depth + 1)]
    inner = f"<Code{a(guid=guid(2, 99), name='Trust', isCodable='true', color='#123456')}/>"
    for i in reversed(range(depth)):
        codable = "true" if i == depth - 1 else "false"
        note = f"<NoteRef targetGUID=\"{guid(8, 2)}\"/>" if i == 0 else ""
        inner = (f"<Code{a(guid=code_guids[i], name=f'Level {i + 1}', isCodable=codable)}>"
                 f"<Description>Level {i + 1} of the tree</Description>{note}{inner}</Code>")
    leaf = code_guids[-1]
    sels = ""
    for n, (word, user) in enumerate([("rebuilt the rota", cp), ("Trust came back", c), ("the audit", cp)], 1):
        at = text.index(word)
        facts.codings[guid(4, n)] = word
        code = leaf if n != 2 else guid(2, 99)
        sels += _selection(guid(3, n), at, at + len(word), [(guid(4, n), code)], user=user,
                           when=f"2020-01-0{n}T12:00:00Z", name=f"Passage {n}", coding_user=False)
    region = a(guid=guid(3, 50), name="Board", firstX=1, firstY=2, secondX=30, secondY=40, creatingUser=cp)
    src = a(guid=guid(5, 1), name="Ward interview", richTextPath=f"internal://{guid(5, 1)}.docx", creatingUser=cp,
            creationDateTime="2020-01-01T09:00:00Z")
    note1 = a(guid=guid(8, 1), name="Interview memo", creatingUser=c, creationDateTime="2020-01-02T10:30:00Z")
    note2 = a(guid=guid(8, 2), name="Tree memo", creatingUser=cp, creationDateTime="2020-01-03T10:30:00Z")
    picture = (f"<PictureSource{a(guid=guid(5, 2), name='Ward photo', path='internal://ward.jpg')}>"
               f"<Description>The ward board</Description>"
               f"<PictureSelection{region}>"
               f"<Coding guid=\"{guid(4, 50)}\" creatingUser=\"{cp}\"><CodeRef targetGUID=\"{leaf}\"/></Coding>"
               "</PictureSelection></PictureSource>")
    qde = (f"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"{NS}\" name=\"Ward study\" "
           "origin=\"NVivo 14\">"
           f"<Users><User guid=\"{cp}\" name=\"Chris Parker\" id=\"CP\"/><User guid=\"{c}\" name=\"Cam\" id=\"C\"/>"
           "</Users>"
           f"<CodeBook><Codes>{inner}</Codes></CodeBook>"
           f"<Sources><TextSource{src}>"
           f"<Description>First ward interview</Description>{sels}"
           f"<NoteRef targetGUID=\"{guid(8, 1)}\"/></TextSource>{picture}</Sources>"
           f"<Notes><Note{note1}>"
           "<PlainTextContent>Felt guarded at first.</PlainTextContent></Note>"
           f"<Note{note2}>"
           "<PlainTextContent>Why the tree is deep.</PlainTextContent></Note></Notes>"
           f"<Sets><Set guid=\"{guid(9, 1)}\" name=\"Key codes\"><Description>For the report</Description>"
           f"<MemberCode targetGUID=\"{leaf}\"/><MemberCode targetGUID=\"{guid(2, 99)}\"/>"
           f"<MemberSource targetGUID=\"{guid(5, 1)}\"/><MemberNote targetGUID=\"{guid(8, 1)}\"/></Set></Sets>"
           "</Project>")
    facts.counts = {"sources": 1, "other_sources": 1, "codings": 3, "codes": depth + 1, "sets": 1, "memos": 2}
    archive = zipped({"project.qde": qde, f"Sources/{guid(5, 1)}.docx": docx_bytes(NVIVO_PARAS),
                      "Sources/ward.jpg": b"\xff\xd8\xff\xe0fake-jpeg-bytes\xff\xd9"})
    return archive, facts


# --- ATLAS.ti -------------------------------------------------------------------------------


def atlas_empty() -> tuple[bytes, Facts]:
    qde = f"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"{NS}\" name=\"Empty\" origin=\"ATLAS.ti 23\"/>"
    return zipped({"project.qde": qde}), Facts(counts={"sources": 0, "codings": 0, "codes": 0})


ATLAS_DOC = "Q: What changed?\r\nA: The referral route, and who answers the phone.\r\n"


def atlas_small() -> tuple[bytes, Facts]:
    facts = Facts()
    user = guid(1, 7)
    raw_at = ATLAS_DOC.index("The referral route")
    plain = ATLAS_DOC.replace("\r\n", "\n")
    facts.codings[guid(4, 1)] = "The referral route"
    facts.codings[guid(4, 2)] = plain  # a whole-document coding
    sel = _selection(guid(3, 1), raw_at, raw_at + len("The referral route"), [(guid(4, 1), guid(2, 1))], user=user)
    pdf = (f"<PDFSource{a(guid=guid(5, 3), name='Leaflet', path='internal://Documents/leaflet.pdf')}>"
           f"<PDFSelection{a(guid=guid(3, 9), page=1, firstX=0, firstY=0, secondX=100, secondY=50)}>"
           f"<Coding guid=\"{guid(4, 9)}\" creatingUser=\"{user}\"><CodeRef targetGUID=\"{guid(2, 1)}\"/></Coding>"
           "</PDFSelection>"
           f"<NoteRef targetGUID=\"{guid(8, 1)}\"/></PDFSource>")
    ana = "internal://Documents/ana.txt"
    qde = (f"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"{NS}\" name=\"Referrals\" "
           f"origin=\"ATLAS.ti 23\" basePath=\"C:/Users/ana/Documents\">"
           f"<Users><User guid=\"{user}\" name=\"Ana\"/></Users>"
           f"<CodeBook><Codes><Code guid=\"{guid(2, 1)}\" name=\"Route\" isCodable=\"true\"/></Codes></CodeBook>"
           f"<Sources><TextSource{a(guid=guid(5, 1), name='Interview Ana', plainTextPath=ana)}>"
           f"{sel}</TextSource>"
           f"<TextSource{a(guid=guid(5, 2), name='Notes Ana', plainTextPath='relative://Field/notes.txt')}>"
           f"<Coding guid=\"{guid(4, 2)}\" creatingUser=\"{user}\"><CodeRef targetGUID=\"{guid(2, 1)}\"/></Coding>"
           f"</TextSource>{pdf}</Sources>"
           f"<Notes><Note guid=\"{guid(8, 1)}\" name=\"On the leaflet\"><PlainTextContent>Out of date."
           "</PlainTextContent></Note></Notes></Project>")
    facts.counts = {"sources": 2, "other_sources": 1, "codings": 2, "codes": 1, "memos": 1}
    archive = zipped({"project.qde": qde, "Sources/Documents/ana.txt": ATLAS_DOC.encode(),
                      "Sources/Field/notes.txt": ATLAS_DOC.encode(), "Sources/Documents/leaflet.pdf": b"%PDF-1.4 fake"})
    return archive, facts


# --- MAXQDA ---------------------------------------------------------------------------------

MAXQDA_TEXT = "I: How old were you then?\nB: Nineteen, and I had just signed the consent form.\n"


def maxqda() -> tuple[bytes, Facts]:
    facts = Facts()
    user = guid(1, 3)
    types = [("Age", "Integer", "IntegerValue", "34"), ("Consent", "Boolean", "BooleanValue", "true"),
             ("Interviewed", "Date", "DateValue", "2019-11-05"), ("Score", "Float", "FloatValue", "3.75"),
             ("Site", "Text", "TextValue", "North")]
    variables = "".join(f"<Variable{a(guid=guid(6, i), name=n, typeOfVariable=t)}>"
                        f"<Description>{n} of the participant</Description></Variable>"
                        for i, (n, t, _, _) in enumerate(types, 1))
    values = "".join(f"<VariableValue><VariableRef targetGUID=\"{guid(6, i)}\"/><{el}>{v}</{el}></VariableValue>"
                     for i, (_, _, el, v) in enumerate(types, 1))
    at = MAXQDA_TEXT.index("Nineteen")
    end = MAXQDA_TEXT.index(".", at)
    facts.codings[guid(4, 1)] = facts.codings[guid(4, 2)] = MAXQDA_TEXT[at:end]
    sel = _selection(guid(3, 1), at, end, [(guid(4, 1), guid(2, 1)), (guid(4, 2), guid(2, 2))], user=user,
                     when="2019-11-06T14:00:00", description="Age and consent in one breath")
    audio = (f"<AudioSource{a(guid=guid(5, 2), name='Interview audio', path='internal://audio1.m4a')}>"
             f"<Transcript{a(guid=guid(5, 3), name='Transcript', plainTextPath='internal://audio1-transcript.txt')}>"
             f"<SyncPoint guid=\"{guid(10, 1)}\" timeStamp=\"0\" position=\"0\"/></Transcript>"
             f"<AudioSelection{a(guid=guid(3, 7), begin=1000, end=5000, creatingUser=user)}>"
             f"<Coding guid=\"{guid(4, 7)}\" creatingUser=\"{user}\"><CodeRef targetGUID=\"{guid(2, 1)}\"/></Coding>"
             "</AudioSelection>" + values.split("</VariableValue>")[0] + "</VariableValue></AudioSource>")
    b01 = f"internal://{guid(5, 1)}.txt"
    qde = (f"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"{NS}\" name=\"Youth study\" "
           "origin=\"MAXQDA 2022\">"
           f"<Users><User guid=\"{user}\" name=\"Birgit\" id=\"BI\"/></Users>"
           f"<CodeBook><Codes><Code guid=\"{guid(2, 1)}\" name=\"Age\" isCodable=\"true\" color=\"#fa0\"/>"
           f"<Code guid=\"{guid(2, 2)}\" name=\"Consent\" isCodable=\"true\"/></Codes></CodeBook>"
           f"<Variables>{variables}</Variables>"
           f"<Cases><Case guid=\"{guid(7, 1)}\" name=\"B01\"><Description>Participant B01</Description>"
           f"<CodeRef targetGUID=\"{guid(2, 1)}\"/>{values}<SourceRef targetGUID=\"{guid(5, 1)}\"/>"
           f"<SourceRef targetGUID=\"{guid(5, 2)}\"/><SelectionRef targetGUID=\"{guid(3, 1)}\"/></Case></Cases>"
           f"<Sources><TextSource{a(guid=guid(5, 1), name='B01 interview', plainTextPath=b01)}>"
           f"{sel}{values}</TextSource>{audio}</Sources></Project>")
    facts.counts = {"sources": 1, "other_sources": 1, "codings": 2, "codes": 2, "cases": 1, "variables": 5}
    archive = zipped({"project.qde": qde, f"Sources/{guid(5, 1)}.txt": MAXQDA_TEXT.encode(),
                      "Sources/audio1.m4a": b"\x00\x00\x00\x18ftypM4A fake audio",
                      "Sources/audio1-transcript.txt": b"B: Nineteen."})
    return archive, facts


ALL = {"qualcoder": qualcoder, "nvivo": nvivo, "atlas_empty": atlas_empty, "atlas_small": atlas_small,
       "maxqda": maxqda}
