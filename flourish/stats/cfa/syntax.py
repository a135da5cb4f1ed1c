"""Parser for the subset of lavaan model syntax used in CFA.

Supported::

    visual  =~ x1 + x2 + x3        # loadings; first loading fixed to 1 by default
    textual =~ NA*x4 + x5 + 0.5*x6 # NA* frees, a number fixes the value
    speed   =~ x7 + lab*x8         # labels (parameters sharing a label are equal)
           + x9                    # '+' continuation on the next line
    x1 ~~ x4                       # residual covariance
    visual ~~ 1*visual             # fixed variance
    visual ~~ 0*speed              # orthogonal factors

Also accepted: several statements on one line separated by ``;``, and comments
starting with ``#`` or ``!``.  Not supported (raise :class:`StatsError`):
regressions (``~``), intercepts (``~1``), defined parameters (``:=``) and
constraints (``==``, ``<``, ``>``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import StatsError

_NAME = re.compile(r"^[A-Za-z_.][A-Za-z0-9_.]*$")
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


@dataclass
class Term:
    """One right-hand-side term: ``modifier*name``."""

    name: str
    fixed: float | None = None  # fixed value (number*)
    free: bool = False  # explicitly freed with NA*
    label: str | None = None  # label* (equality by label)


@dataclass
class Statement:
    lhs: str
    op: str  # "=~" or "~~"
    terms: list[Term]
    line: int


def _strip_comment(line: str) -> str:
    for mark in ("#", "!"):
        pos = line.find(mark)
        if pos >= 0:
            line = line[:pos]
    return line


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join continuation lines (line ending or starting with '+') and split on ';'."""
    pieces: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        for part in _strip_comment(raw).split(";"):
            part = part.strip()
            if part:
                pieces.append((number, part))
    joined: list[tuple[int, str]] = []
    for number, part in pieces:
        if joined and (joined[-1][1].endswith("+") or part.startswith("+")):
            joined[-1] = (joined[-1][0], joined[-1][1] + " " + part)
        else:
            joined.append((number, part))
    return joined


def _parse_term(text: str, line: int) -> Term:
    text = text.strip()
    if not text:
        raise StatsError(f"Model syntax, line {line}: an empty term (check for '+ +' or a trailing '+').")
    parts = [p.strip() for p in text.split("*")]
    if len(parts) > 2:
        raise StatsError(f"Model syntax, line {line}: '{text}' has more than one '*'.")
    name = parts[-1]
    if not _NAME.match(name):
        raise StatsError(f"Model syntax, line {line}: '{name}' is not a valid variable name.")
    term = Term(name=name)
    if len(parts) == 2:
        mod = parts[0]
        if mod.upper() == "NA":
            term.free = True
        elif _NUMBER.match(mod):
            term.fixed = float(mod)
        elif _NAME.match(mod):
            term.label = mod
        else:
            raise StatsError(f"Model syntax, line {line}: cannot read the modifier '{mod}' in '{text}'.")
    return term


def parse_model(text: str) -> list[Statement]:
    """Parse lavaan-style CFA syntax into statements.

    Raises :class:`StatsError` with the line number for anything it cannot read.
    """
    if not isinstance(text, str) or not text.strip():
        raise StatsError("The model is empty: give at least one 'factor =~ item1 + item2 + ...' line.")
    statements: list[Statement] = []
    for line, stmt in _logical_lines(text):
        if "<~" in stmt:
            raise StatsError(f"Model syntax, line {line}: formative indicators ('<~') are not supported; "
                             "a CFA has reflective indicators only ('factor =~ item1 + item2').")
        for bad, what in ((":=", "defined parameters (:=)"), ("==", "equality constraints (==)"),
                          ("<", "inequality constraints"), (">", "inequality constraints")):
            if bad in stmt:
                raise StatsError(f"Model syntax, line {line}: {what} are not supported.")
        if "=~" in stmt:
            op = "=~"
        elif "~~" in stmt:
            op = "~~"
        elif "~" in stmt:
            raise StatsError(
                f"Model syntax, line {line}: regressions and intercepts ('~', '~1') are not supported "
                "in a CFA; use '=~' for loadings and '~~' for (co)variances.")
        else:
            raise StatsError(f"Model syntax, line {line}: expected '=~' or '~~' in '{stmt}'.")
        lhs, rhs = stmt.split(op, 1)
        lhs = lhs.strip()
        if not _NAME.match(lhs):
            raise StatsError(f"Model syntax, line {line}: '{lhs}' is not a valid name on the left of '{op}'.")
        terms = [_parse_term(t, line) for t in rhs.split("+")]
        statements.append(Statement(lhs=lhs, op=op, terms=terms, line=line))
    if not any(s.op == "=~" for s in statements):
        raise StatsError("The model defines no factor: add at least one 'factor =~ item1 + item2 + ...' line.")
    return statements
