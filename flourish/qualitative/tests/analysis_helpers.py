"""A project coded by Mei (lead) and Tomasz (coder), for the agreement, adjudication and
synthesis tests.

Turns of the interview (positions are the words after each "Name:" label):
  1 Interviewer 13–54, 2 Ann 60–129, 3 Interviewer 143–168, 4 Ann 174–259
  (turn 4 has the sentences 174–233, 234–257 and the emoji 258–259).
Turns of the PAR session: 1 Facilitator 13–41, 2 Bea 47–100, 3 Cal 106–159.

Mei codes Ann's turn 2 with Building and re-building relationships (BR) and Thinking
Systematically (TS), the first sentence of turn 4 with BR, Bea's turn with Utilizing
alternative approaches (AA) and Cal's with an emergent code "Duty rota". Tomasz codes only
the interview: turns 2 and 4 whole with BR. So Tomasz is missing on the PAR session, the
coders agree about BR over turns and disagree about TS on turn 2 (and, over sentences,
about the rest of turn 4).
"""

import re
from html.parser import HTMLParser

from django.urls import reverse

from flourish.qualitative import actions, selectors

from .helpers import make_project

BR, TS, AA = "building-relationships", "thinking-systematically", "alternative-approaches"
ANN_2 = (60, 129)
ANN_4 = (174, 259)
ANN_4_FIRST = (174, 233)
BEA = (47, 100)
CAL = (106, 159)


def coded_project(mei, tomasz, model_version):
    project = make_project(mei, tomasz, model_version)
    interview = project.sources.get(name="interview-ann.txt")
    par = project.sources.get(name="par-session-1.txt")
    code = {pid: project.codes.get(process_id=pid) for pid in (BR, TS, AA)}
    rota = actions.add_code(project, mei, "Duty rota")
    m, t = selectors.person_layer(project, mei), selectors.person_layer(project, tomasz)
    actions.apply_codes(m, interview, *ANN_2, [code[BR], code[TS]], user=mei)
    actions.apply_codes(m, interview, *ANN_4_FIRST, [code[BR]], user=mei)
    actions.apply_codes(m, par, *BEA, [code[AA]], user=mei)
    actions.apply_codes(m, par, *CAL, [rota], user=mei)
    actions.apply_codes(t, interview, *ANN_2, [code[BR]], user=tomasz)
    actions.apply_codes(t, interview, *ANN_4, [code[BR]], user=tomasz)
    return project


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._row, self._caption = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"], self._caption = " ".join("".join(self._caption).split()), None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data):
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    """The page's tables by caption text, each a list of rows of cell texts."""
    parser = _Tables()
    parser.feed(html)
    return {t["caption"]: t["rows"] for t in parser.tables}


def url(name, project, *args):
    return reverse(f"qualitative:{name}", args=[project.pk, *args])


def text(response) -> str:
    """The page's words, without tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
