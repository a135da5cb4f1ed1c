"""Transcript import: formats, speaker turns, sentences and every error."""

import io

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flourish.qualitative.core.sources import SourceError, find_turns, parse, split_sentences, units


def _docx(paragraphs, table=None) -> bytes:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=2)
        for r, (a, b) in enumerate(table):
            t.cell(r, 0).text, t.cell(r, 1).text = a, b
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_txt_turns_continuations_and_crlf():
    text = "Site visit 2\r\n\r\nAnn: We met the health visitors.\r\nThey came too.\r\n\r\nDr Jo Smith: Yes 👍🏽.\r"
    s = parse(text.encode(), "t.txt")
    assert "\r" not in s.text and s.format == "txt"
    assert [t.speaker for t in s.turns] == [None, "Ann", "Dr Jo Smith"]
    ann = s.turns[1]
    assert s.text[ann.start:ann.end] == "Ann: We met the health visitors.\nThey came too."
    assert s.text[ann.body:ann.end].startswith("We met")
    assert s.text[s.turns[2].body:s.turns[2].end] == "Yes 👍🏽."
    assert s.speakers == ["Ann", "Dr Jo Smith"]


def test_times_and_addresses_are_not_speaker_labels():
    assert [t.speaker for t in find_turns("Ann: hi\nAt 10:30 we met\nhttp://example.org: x\n12: no")] == ["Ann"]


def test_markdown_and_timestamps():
    s = parse(b"# Notes\n\n**Ann:** hello\n[00:01:02] Bob: hi", "n.md")
    assert [t.speaker for t in s.turns] == [None, "Ann", "Bob"] and s.format == "md"


def test_paragraphs_when_no_labels():
    s = parse(b"First para\nstill first.\n\n\nSecond.", "p.txt")
    assert [s.text[t.start:t.end] for t in s.turns] == ["First para\nstill first.", "Second."]


def test_a_byte_order_mark_is_dropped():
    assert parse("\ufeffAnn: hi".encode(), "a.txt").text == "Ann: hi"


def test_docx_paragraphs_and_table():
    s = parse(_docx(["Interview", "Ann: hello", "more"], table=[("Bob", "table turn")]), "i.docx")
    assert s.text == "Interview\nAnn: hello\nmore\nBob: table turn"
    assert [t.speaker for t in s.turns] == [None, "Ann", "Bob"]


def test_vtt_voices_tags_and_continuation():
    vtt = (b"WEBVTT\n\nNOTE a comment\n\n1\n00:00.000 --> 00:01.000\n<v Ann>Hello <b>there</b> &amp; you\n"
           b"<v.loud Bob>Hi\n\n00:01.000 --> 00:02.000\nagain\n\n00:02.000 --> 00:03.000 align:start\nCarl: ok\n")
    s = parse(vtt, "m.vtt")
    assert s.text == "Ann: Hello there & you\nBob: Hi again\nCarl: ok"
    assert [(t.speaker, s.text[t.body:t.end]) for t in s.turns] == [
        ("Ann", "Hello there & you"), ("Bob", "Hi again"), ("Carl", "ok")]


def test_srt_cues_become_turns():
    srt = (b"1\r\n00:00:01,000 --> 00:00:02,000\r\n<i>Ann: hi</i>\r\nthere\r\n\r\n"
           b"2\r\n00:00:02,000 --> 00:00:03,000\r\nBob: yo\r\n")
    s = parse(srt, "m.srt")
    assert s.text == "Ann: hi there\nBob: yo" and [t.speaker for t in s.turns] == ["Ann", "Bob"]


@pytest.mark.parametrize("data,name,message", [
    (b"", "a.txt", "empty"),
    (b"  \n\r\n ", "a.txt", "empty"),
    ("héllo".encode("utf-16"), "a.txt", "UTF-16"),
    ("café".encode("latin-1"), "a.txt", "not UTF-8"),
    (b"ab\x00cd", "a.md", "binary"),
    (b"x" * 101, "a.txt", "too large"),
    (b"PK-not-really", "a.docx", "not a ZIP"),
    (b"", "a.docx", "empty"),
    (b"hello", "a.pdf", "unsupported"),
    (b"hello", "README", "no extension"),
    (b"hello", "a.vtt", "WEBVTT"),
    (b"WEBVTT\n\n00:00 --> 00:01\nhi\n", "a.vtt", "malformed cue timing"),
    (b"WEBVTT\n\nNOTE only\n", "a.vtt", "no spoken text"),
    (b"garbage", "a.srt", "malformed"),
])
def test_bad_files_are_refused_with_a_reason(data, name, message):
    with pytest.raises(SourceError, match=message):
        parse(data, name, limit=100)


def test_broken_docx_files_are_refused_with_a_reason():
    buf = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "x")
    with pytest.raises(SourceError, match="not a Word"):
        parse(buf.getvalue(), "a.docx")
    with pytest.raises(SourceError, match="no text"):
        parse(_docx([""]), "a.docx")
    with pytest.raises(SourceError, match="too large"):
        parse(_docx(["x" * 200]), "a.docx", limit=100)


def test_sentences_split_at_ends_but_not_abbreviations():
    text = 'Ann: Dr. Smith came, e.g. on Monday. "Really?" Yes… ok 3.5 times!\nNext line'
    s = parse(text.encode(), "a.txt")
    spans = units(s, "sentence")
    assert [text[a:b] for a, b in spans] == [
        "Dr. Smith came, e.g. on Monday.", '"Really?"', "Yes…", "ok 3.5 times!", "Next line"]
    assert units(s, "turn") == [(0, len(text))]
    with pytest.raises(ValueError):
        units(s, "word")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_turns_and_sentences_are_ordered_trimmed_spans(text):
    text = text.replace("\r", "\n")
    turns = find_turns(text)
    last = 0
    for t in turns:
        assert last <= t.start < t.end <= len(text) and t.start <= t.body <= t.end
        assert not text[t.start].isspace() and not text[t.end - 1].isspace()
        last = t.end
    spans = split_sentences(text)
    assert all(a < b for a, b in spans) and all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))
    assert "".join("".join(text[a:b].split()) for a, b in spans) == "".join(text.split())
    assert all(not text[a:b].isspace() for a, b in spans)


def _sentences_before_issue_16(text, start=0, end=None):
    """The splitter as it was (its unbounded look-back was quadratic on a long turn without
    tabs or line breaks): the linear one must split every text the same way."""
    from flourish.qualitative.core.sources import _END, ABBREVIATIONS, _add_span

    end = len(text) if end is None else end
    spans, s = [], start
    for m in _END.finditer(text, start, end):
        if m.group() != "\n":
            k = max(start, max(text.rfind(c, start, m.start()) for c in " \t\n") + 1)
            word = text[k:m.start() + 1].lstrip("\"'“‘([").rstrip(".").lower()
            if m.group()[0] == "." and (word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
                continue
        _add_span(text, s, m.end(), spans)
        s = m.end()
    _add_span(text, s, end, spans)
    return spans


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["Dr. ", "e.g. ", "J. ", "(Mr. ", "“St. ", ". ", "! ", "… ", "\n", "\t",
                                           "x" * 70 + ". ", "No. 5 ", "etc.) "]),
                          st.text(alphabet="abc .?!\"'", max_size=12)), max_size=30).map("".join),
       st.integers(0, 20))
def test_sentences_split_exactly_as_before_but_in_linear_time(text, offset):
    start = min(offset, len(text))
    assert split_sentences(text, start) == _sentences_before_issue_16(text, start)


def test_a_long_turn_without_line_breaks_splits_every_sentence():
    text = "Ann: " + "We met Dr. Rao on the ward. " * 5000
    spans = split_sentences(text, 5)
    assert len(spans) == 5000 and text[slice(*spans[-1])] == "We met Dr. Rao on the ward."
