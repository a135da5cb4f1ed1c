"""An INDEPENDENT brute-force checker of a built report's anonymity.

It shares no code with flourish.lib.disclosure: from the raw inputs it rebuilds the set
of respondents behind every shown figure (by group name, "Other raters" being everyone
in the space whose own group is not shown by name), checks each figure's n and mean
against that set, and then tries EVERY subset of 1..k-1 respondents of the space: a
subset is exposed when its indicator vector lies in the rational span of the shown
figures' indicator vectors (sum = mean x n is known for every shown figure). The span
test is exact: the null space of the figure matrix is computed with Fractions, and a
vector is in the row space iff it is orthogonal to that null space.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

OTHER_RATERS = "Other raters"
LINE_MANAGER = "line manager"


def _null_space(rows: list[list[int]], width: int) -> list[list[int]]:
    """Integer basis of {y : row . y = 0 for every row} (Gauss-Jordan over Fractions)."""
    m = [[Fraction(v) for v in row] for row in rows]
    pivot_cols: list[int] = []
    r = 0
    for c in range(width):
        pivot = None
        for i in range(r, len(m)):
            if m[i][c] != 0:
                pivot = i
                break
        if pivot is None:
            continue
        m[r], m[pivot] = m[pivot], m[r]
        lead = m[r][c]
        m[r] = [v / lead for v in m[r]]
        for i in range(len(m)):
            if i != r and m[i][c] != 0:
                factor = m[i][c]
                m[i] = [a - factor * b for a, b in zip(m[i], m[r])]
        pivot_cols.append(c)
        r += 1
    free = [c for c in range(width) if c not in pivot_cols]
    basis = []
    for f in free:
        y = [Fraction(0)] * width
        y[f] = Fraction(1)
        for row_index, pc in enumerate(pivot_cols):
            y[pc] = -m[row_index][f]
        denominator = 1
        for v in y:
            denominator = denominator * v.denominator // _gcd(denominator, v.denominator)
        basis.append([int(v * denominator) for v in y])
    return basis


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def figure_sets(entry: dict, raters: list) -> list[tuple[str, str, set[int], dict]]:
    """(dimension, name, respondent index set, shown figure) for every shown figure of one
    space. `raters` is the list of (Respondent, value) who scored/answered it."""
    out = []
    if "others" in entry:
        out.append(("all", "all", set(range(len(raters))), entry["others"]))
    for dimension, attribute in (("profession", "profession"), ("relationship", "relationship")):
        shown = entry["groups"][dimension]
        named = {name for name in shown if name != OTHER_RATERS}
        for name, figure in shown.items():
            if name == OTHER_RATERS:
                members = {i for i, (r, _) in enumerate(raters) if getattr(r, attribute) not in named}
            else:
                members = {i for i, (r, _) in enumerate(raters) if getattr(r, attribute) == name}
            out.append((dimension, name, members, figure))
    return out


def check_space(entry: dict, raters: list, k: int, line_manager_allowed: bool) -> list[str]:
    """Problems with one space (a process or an item); empty when it is safe."""
    problems = []
    figures = figure_sets(entry, raters)
    allowed_sets = []
    for dimension, name, members, figure in figures:
        values = [raters[i][1] for i in members]
        if not members or figure["n"] != len(members):
            problems.append(f"{dimension}/{name}: n={figure['n']} but {len(members)} respondents")
            continue
        if abs(figure["score"] - sum(values) / len(values)) > 1e-9:
            problems.append(f"{dimension}/{name}: score does not match its respondents")
        if dimension == "relationship" and name == LINE_MANAGER and line_manager_allowed:
            allowed_sets.append(frozenset(members))
            continue
        if figure["n"] < k:
            problems.append(f"{dimension}/{name}: shown with n={figure['n']} < k={k}")
    if not figures:
        return problems
    size = len(raters)
    rows = [[1 if i in members else 0 for i in range(size)] for _, _, members, _ in figures]
    null = _null_space(rows, size)
    columns = [tuple(y[i] for y in null) for i in range(size)]
    zero = tuple(0 for _ in null)
    for count in range(1, min(k - 1, size) + 1):
        for subset in combinations(range(size), count):
            total = zero
            for i in subset:
                total = tuple(a + b for a, b in zip(total, columns[i]))
            if total == zero and frozenset(subset) not in allowed_sets:
                problems.append(f"respondents {subset} derivable by subtraction")
    return problems


def check_report(report: dict, processes, respondents, rules) -> list[str]:
    """All anonymity problems of a report, checked against the raw inputs."""
    others = [r for r in respondents if r.role == "other"]
    managers = [r for r in others if r.relationship == LINE_MANAGER]
    lm_allowed = rules.show_line_manager and bool(managers) and all(
        r.line_manager_consented for r in managers
    )
    problems = []
    for process, entry in zip(processes, report["processes"]):
        raters = []
        for r in others:
            values = [r.answers.get(i) for i in process.item_ids]
            answered = [v for v in values if v is not None]
            if answered and len(answered) >= (len(values) + 1) // 2:
                raters.append((r, sum(answered) / len(answered)))
        problems += [f"{process.id}: {p}" for p in check_space(entry, raters, rules.k, lm_allowed)]
        for item_id, item in zip(process.item_ids, entry["items"]):
            raters = [(r, r.answers[item_id]) for r in others if r.answers.get(item_id) is not None]
            problems += [f"{item_id}: {p}" for p in check_space(item, raters, rules.k, lm_allowed)]
    return problems
