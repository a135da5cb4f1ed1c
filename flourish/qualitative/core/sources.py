"""Transcript import: bytes of a .txt, .md, .docx, .vtt or .srt file -> one plain text with turns.

Conventions (the rest of the qualitative workbench relies on them):

- **All or nothing.** `parse()` either returns a complete `Source` or raises `SourceError`
  with a plain-language message (wrong encoding, empty, binary, oversize, malformed).
- **Text is stored once**, as a Python `str`: UTF-8 decoded (a UTF-8 byte-order mark is
  dropped), line endings normalised to ``\\n`` (``\\r\\n`` and lone ``\\r`` both become ``\\n``).
  No Unicode normalisation is applied: what the file says is what is stored.
- **Positions** are Unicode code points, i.e. Python ``str`` indices, with an exclusive end:
  ``text[turn.start:turn.end]`` is the turn.
- **Speaker turns.** In .txt/.md/.docx a turn starts at a line beginning with a short name
  and a colon (``Ann: …``, ``Dr Jo Smith: …``, ``**Ann:** …``, optionally after a
  ``[00:01:02]`` timestamp); following lines without a label belong to the same turn.
  A name is 1–4 words, at most 40 characters, starting with a letter (so ``10:30`` and
  ``http://…`` are not names). Text before the first label is a turn with ``speaker=None``.
  A file with no labels at all gets one turn per paragraph (blocks split by blank lines).
  A turn spans from the start of its first line to the end of its last non-blank line;
  ``body_start`` is where the speech begins after the label.
- **Subtitles** (.vtt, .srt): timestamps, cue numbers, NOTE/STYLE/REGION blocks and markup
  are dropped; the stored text is the spoken text, one line per turn, ``Name: words``.
  The speaker comes from a WebVTT ``<v Name>`` voice or a ``Name:`` at the start of a cue
  line; a cue line without one continues the current speaker's turn (joined by a space).
- **Sentences** (`split_sentences`): a sentence ends after ``.``, ``!``, ``?`` or ``…`` (plus
  any closing quotes/brackets) when whitespace follows, unless the word is a common
  abbreviation (Mr., Dr., e.g., …) or a single initial; a line break always ends one.
  Spans never include surrounding whitespace. Deterministic, no language model.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

DEFAULT_LIMIT = 5 * 1024 * 1024  # bytes of text (UTF-8)
FORMATS = {"txt": "txt", "text": "txt", "md": "md", "markdown": "md", "docx": "docx", "vtt": "vtt", "srt": "srt"}


class SourceError(ValueError):
    """A transcript could not be imported; ``str(error)`` is a message for the person."""


@dataclass(frozen=True)
class Turn:
    start: int
    end: int
    speaker: str | None
    body_start: int | None = None  # where the words start, after "Name:"; defaults to start

    @property
    def body(self) -> int:
        return self.start if self.body_start is None else self.body_start


@dataclass
class Source:
    text: str
    turns: list[Turn] = field(default_factory=list)
    format: str = "txt"

    @property
    def speakers(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.turns:
            if t.speaker:
                seen.setdefault(t.speaker, None)
        return list(seen)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _format_of(filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in FORMATS:
        raise SourceError(
            f"{filename}: unsupported file type '.{ext}'. Use .txt, .md, .docx, .vtt or .srt."
            if ext else f"{filename}: the file name has no extension; use .txt, .md, .docx, .vtt or .srt."
        )
    return FORMATS[ext]


def _decode(data: bytes, filename: str, limit: int) -> str:
    if not data or not data.strip():
        raise SourceError(f"{filename}: the file is empty.")
    if len(data) > limit:
        raise SourceError(f"{filename}: the file is too large ({len(data):,} bytes; the limit is {limit:,}).")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(f"{filename}: the file is UTF-16 encoded, not UTF-8. Save it as UTF-8 and try again.")
    if b"\x00" in data:
        raise SourceError(f"{filename}: this looks like a binary file, not text (it contains NUL bytes).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{filename}: the file is not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at byte "
            f"{exc.start:,}). Save it as UTF-8 and try again."
        ) from None
    text = normalise_newlines(text)
    if not text.strip():
        raise SourceError(f"{filename}: the file is empty.")
    return text


def parse(data: bytes, filename: str, *, limit: int = DEFAULT_LIMIT) -> Source:
    """Parse one uploaded transcript. ``limit`` is the maximum text size in bytes."""
    fmt = _format_of(filename)
    if fmt == "docx":
        text = _docx_text(data, filename, limit)
        return Source(text=text, turns=find_turns(text), format=fmt)
    text = _decode(data, filename, limit)
    if fmt in ("txt", "md"):
        return Source(text=text, turns=find_turns(text), format=fmt)
    lines = _vtt_lines(text, filename) if fmt == "vtt" else _srt_lines(text, filename)
    text, turns = _assemble_subtitles(lines)
    if not text.strip():
        raise SourceError(f"{filename}: the subtitles contain no spoken text.")
    return Source(text=text, turns=turns, format=fmt)


# --- speaker turns in running text -------------------------------------------------------

_LABEL = re.compile(
    r"""^[ \t]*
    (?:[\[(]\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?[\])][ \t]*)?      # optional [00:01:02]
    (?:\*\*|__)?
    (?P<name>[^\W\d_][\w.'’\-]*(?:[ \t][\w.'’\-()]+){0,3}?)        # 1-4 words, starts with a letter
    (?:\*\*|__)?[ \t]*:(?:\*\*|__)?
    (?=[ \t]|$)[ \t]*""",
    re.VERBOSE,
)


def speaker_label(line: str) -> tuple[str, int] | None:
    """(name, length of the label incl. colon and spaces) if ``line`` starts with ``Name:``."""
    m = _LABEL.match(line)
    if not m or len(m.group("name")) > 40:
        return None
    return m.group("name").strip(), m.end()


def find_turns(text: str) -> list[Turn]:
    """Speaker turns of a normalised text (see the module docstring)."""
    lines: list[tuple[int, int]] = []  # (start, end) of each line, end excludes "\n"
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    labelled = [(s, e, speaker_label(text[s:e])) for s, e in lines]
    turns: list[Turn] = []
    if not any(lab for _, _, lab in labelled):
        block: list[tuple[int, int]] = []
        for s, e, _ in labelled + [(len(text), len(text), None)]:
            if text[s:e].strip() and s < len(text):
                block.append((s, e))
            elif block:
                turns.append(_trimmed(text, block[0][0], block[-1][1], None, None))
                block = []
        return turns
    cur: list[Any] = []  # [start, last_nonblank_end, speaker, body_start]
    for s, e, lab in labelled:
        blank = not text[s:e].strip()
        if lab:
            if cur:
                turns.append(_trimmed(text, cur[0], cur[1], cur[2], cur[3]))
            cur = [s, e, lab[0], s + lab[1]]
        elif not blank:
            if cur:
                cur[1] = e
            else:
                cur = [s, e, None, None]
    if cur:
        turns.append(_trimmed(text, cur[0], cur[1], cur[2], cur[3]))
    return turns


def _trimmed(text: str, start: int, end: int, speaker: str | None, body_start: int | None) -> Turn:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if body_start is not None:
        body_start = min(max(body_start, start), end)
    return Turn(start, end, speaker, body_start)


# --- .docx ------------------------------------------------------------------------------


def _docx_text(data: bytes, filename: str, limit: int) -> str:
    if not data:
        raise SourceError(f"{filename}: the file is empty.")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SourceError(f"{filename}: this is not a Word (.docx) document (it is not a ZIP package).")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if sum(i.file_size for i in z.infolist()) > 20 * limit:
            raise SourceError(f"{filename}: the document is too large once unpacked.")
        if "word/document.xml" not in z.namelist():
            raise SourceError(f"{filename}: this ZIP file is not a Word (.docx) document.")
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    cells = [c.text.strip() for c in row.cells]
                    if len(cells) == 2 and cells[0] and len(cells[0]) <= 40 and "\n" not in cells[0]:
                        parts.append(f"{cells[0].rstrip(':')}: {cells[1]}")
                    else:
                        parts.append("\t".join(cells))
    except SourceError:
        raise
    except Exception as exc:  # corrupt package, bad XML, …
        raise SourceError(f"{filename}: the Word document could not be read ({exc.__class__.__name__}).") from None
    text = normalise_newlines("\n".join(parts)).replace("\x0b", "\n")
    if not text.strip():
        raise SourceError(f"{filename}: the document contains no text.")
    if len(text.encode("utf-8")) > limit:
        raise SourceError(f"{filename}: the document's text is too large (the limit is {limit:,} bytes).")
    return text


# --- subtitles --------------------------------------------------------------------------

_VOICE = re.compile(r"^<v(?:\.[^ \t>]*)?[ \t]+([^>]+)>")
_TAG = re.compile(r"</?[^>]*>")


def _clean_cue_line(line: str) -> tuple[str | None, str]:
    """(speaker or None, plain words) of one cue line."""
    line = line.strip()
    speaker = None
    m = _VOICE.match(line)
    if m:
        speaker = html.unescape(m.group(1)).strip()
        line = line[m.end():]
    words = " ".join(html.unescape(_TAG.sub("", line)).replace("\u00a0", " ").split())
    words = words.replace("\u200e", "").replace("\u200f", "")
    if speaker is None:
        lab = speaker_label(words)
        if lab:
            speaker, words = lab[0], words[lab[1]:].strip()
    return speaker, words


def _vtt_lines(text: str, filename: str) -> list[tuple[str | None, str]]:
    import webvtt

    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise SourceError(f"{filename}: not a WebVTT file (the first line must be 'WEBVTT').")
    for i, line in enumerate(text.split("\n"), 1):
        if "-->" in line and not re.match(r"^\s*(\d+:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(\d+:)?\d{2}:\d{2}\.\d{3}", line):
            raise SourceError(f"{filename}: line {i} has a malformed cue timing: {line.strip()[:60]!r}.")
    try:
        captions = webvtt.from_string(text).captions
    except Exception as exc:
        raise SourceError(f"{filename}: the WebVTT file is malformed ({exc}).") from None
    return [_clean_cue_line(raw) for c in captions for raw in c.raw_text.split("\n")]


def _srt_lines(text: str, filename: str) -> list[tuple[str | None, str]]:
    import srt

    try:
        subs = list(srt.parse(text))
    except srt.SRTParseError as exc:
        raise SourceError(f"{filename}: the SRT file is malformed ({exc}).") from None
    if not subs:
        raise SourceError(f"{filename}: the SRT file has no subtitles.")
    return [_clean_cue_line(raw) for s in subs for raw in s.content.split("\n")]


def _assemble_subtitles(lines: list[tuple[str | None, str]]) -> tuple[str, list[Turn]]:
    runs: list[list[Any]] = []  # [speaker, [words...]]
    for speaker, words in lines:
        if not words and speaker is None:
            continue
        if runs and (speaker is None or speaker == runs[-1][0]):
            if words:
                runs[-1][1].append(words)
        else:
            runs.append([speaker, [words] if words else []])
    out: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for speaker, words in runs:
        label = f"{speaker}: " if speaker else ""
        line = label + " ".join(words)
        turns.append(Turn(pos, pos + len(line.rstrip()), speaker, pos + len(label)))
        out.append(line.rstrip())
        pos += len(line.rstrip()) + 1
    return "\n".join(out), turns


# --- sentences --------------------------------------------------------------------------

ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "prof", "st", "mt", "no", "vs", "etc", "e.g", "i.e", "cf", "approx", "dept", "fig",
     "jr", "sr", "rev", "gov", "col", "gen", "lt", "sgt", "inc", "ltd", "co", "jan", "feb", "mar", "apr", "jun",
     "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) inside ``text[start:end]``; see the module docstring."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    s = start
    for m in _END.finditer(text, start, end):
        if m.group()[0] == "." and _abbreviation(text, start, m.start()):
            continue
        _add_span(text, s, m.end(), spans)
        s = m.end()
    _add_span(text, s, end, spans)
    return spans


# How far back from a full stop the word before it is looked for. Scanning is bounded so
# that splitting stays linear in the text's length (a turn without tabs or line breaks made
# an unbounded look-back quadratic); a word longer than this is never an abbreviation.
_WORD_WINDOW = 64


def _abbreviation(text: str, start: int, dot: int) -> bool:
    """Whether the word ending at the full stop ``text[dot]`` is an abbreviation or an
    initial (so the stop does not end the sentence)."""
    lo = max(start, dot - _WORD_WINDOW)
    k = dot - 1
    while k >= lo and text[k] not in " \t\n":
        k -= 1
    if k < lo and lo > start:  # no space in the window: a very long word
        return False
    word = text[k + 1:dot + 1].lstrip("\"'“‘([").rstrip(".").lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _add_span(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))


def units(source: Source, kind: str = "turn") -> list[tuple[int, int]]:
    """Coding units of a source: ``"turn"`` (whole turns incl. label) or ``"sentence"``
    (sentences of each turn's words, never crossing a turn). Sorted, non-overlapping."""
    if kind == "turn":
        return [(t.start, t.end) for t in source.turns]
    if kind == "sentence":
        if not source.turns:
            return split_sentences(source.text)
        return [span for t in source.turns for span in split_sentences(source.text, t.body, t.end)]
    raise ValueError(f"unknown unit {kind!r}; use 'turn' or 'sentence'")
