"""Suggesting a journal entry's process tags from its words. Pure Python: no Django.

The text is split into words, lower-cased, stop words dropped and each word lightly
stemmed ("meetings" and "meeting" → "meet"). Each process's vocabulary is the same
treatment of its name, summary, indicators and prompts. A process is suggested when
the distinct stems of the entry found in its vocabulary weigh enough: each weighs
ln(processes / processes whose vocabulary has it), so a stem found in one process only
counts most and words every process uses ("team", "work") count nothing. A process is
suggested when its weight reaches THRESHOLD and RELATIVE of the best process's weight.
The matched words are returned as the reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

THRESHOLD = 3.0  # weighted overlap a process needs to be suggested …
RELATIVE = 0.4  # … and at least this share of the best-matching process's
MIN_WORD = 3

# One paragraph of words, so the list reads (and diffs) as prose rather than 200 quoted items.
_STOP_WORDS_TEXT = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing done down during each even
ever every few for from further get got had has have having he her here hers herself him
himself his how i if in into is it its itself just like made make many may me might more
most much must my myself no nor not now of off on once one only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up upon us very
was we were what when where which while who whom why will with would you your yours
yourself yourselves think thing things way ways really still well today yesterday week
time lot new good see saw say said tell told went going come came want know knew last
next recent first yet like look looked make makes give gives use used take takes right
big two three year years month months real able sure need needs find found put try
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SUFFIXES = ("ational", "ization", "isation", "fulness", "ousness", "iveness", "ments", "ment",
             "ingly", "ings", "ing", "edly", "ies", "ied", "ness", "ions", "ion", "ers", "er",
             "ed", "es", "ly", "s")


def stem(word: str) -> str:
    """A light suffix-stripping stem; keeps at least four letters of the word."""
    word = word.split("'")[0]
    for suffix in _SUFFIXES:
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            continue
        if suffix == "ly" and len(word) < 7:
            continue  # family, only
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                word += "y"
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # planning -> plann -> plan
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # relate / relation -> relat
    return word


def tokens(text: str) -> list[str]:
    """Lower-cased words without stop words or very short words, in order."""
    return [w for w in _WORD.findall(text.lower()) if len(w) >= MIN_WORD and w not in STOP_WORDS]


def stems(text: str) -> dict[str, str]:
    """Stem -> the first word of the text that gave it (for showing as a reason)."""
    found: dict[str, str] = {}
    for word in tokens(text):
        found.setdefault(stem(word), word.split("'")[0])
    return found


@dataclass(frozen=True)
class Suggestion:
    process_id: str
    score: float
    words: tuple[str, ...]  # the entry's words that matched, in the order they appear

    @property
    def reason(self) -> str:
        return "Matched: " + ", ".join(self.words)


def vocabulary(process: Mapping) -> set[str]:
    parts: list[str] = [process.get("name", ""), process.get("summary", "")]
    for key in ("indicators", "prompts"):
        parts.extend(process.get(key) or [])
    return set(stems(" ".join(parts)))


def suggest(text: str, processes: Sequence[Mapping], threshold: float = THRESHOLD,
            relative: float = RELATIVE) -> list[Suggestion]:
    """Processes whose vocabulary overlaps the text enough, best first."""
    entry = stems(text)
    if not entry or not processes:
        return []
    vocabularies = [(p["id"], vocabulary(p)) for p in processes]
    document_frequency: dict[str, int] = {}
    for _, words in vocabularies:
        for word in words:
            document_frequency[word] = document_frequency.get(word, 0) + 1
    total = len(vocabularies)
    scored = []
    for process_id, words in vocabularies:
        matched = [s for s in entry if s in words and document_frequency[s] < total]
        score = sum(math.log(total / document_frequency[s]) for s in matched)
        scored.append(Suggestion(process_id, round(score, 3), tuple(entry[s] for s in matched)))
    best = max(s.score for s in scored)
    chosen = [s for s in scored if s.score >= threshold and s.score >= relative * best]
    return sorted(chosen, key=lambda s: -s.score)


def suggested_ids(text: str, processes: Iterable[Mapping], threshold: float = THRESHOLD) -> list[str]:
    return [s.process_id for s in suggest(text, list(processes), threshold)]
