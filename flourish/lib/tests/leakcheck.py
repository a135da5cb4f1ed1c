"""An INDEPENDENT brute-force checker of a built report's anonymity.

It shares no code with flourish.lib.disclosure. From the raw inputs it rebuilds the set of
respondents behind every shown figure (by group name, "Other raters" being everyone in
the space whose own group is not shown by name) and checks each figure's n and mean.

Then, per process, it models every shown figure of the process AND of its items jointly,
at the level of individual answers: variable x[r,i] is rater r's answer to item i (only
answered items exist). Every figure's sum (mean x n) is known; a process figure over G is
sum_{r in G} (1/m_r) sum_{i answered by r} x[r,i] (m_r: items r answered), an item figure
over H is sum_{r in H} x[r,i]. V is the rational span of these functionals.

A set S of respondents with 1..k-1 members is exposed when V holds a vector living on S's
variables only that does not live on consented, shown-separately line managers alone:
dim(V & W_S) > dim(V & W_{S & L}). Computed exactly: with N an integer basis of the null
space of the figure matrix (Fractions), dim(V & W_T) = |T's variables| - rank(N restricted
to T's variables). Exposure only grows with S (a vector living on S lives on any superset,
and if it is nonzero outside L on S it stays so), so trying EVERY subset of exactly
min(k-1, people) respondents (no cells, no shortcuts) tries them all.
"""

from __future__ import annotations

from fractions import Fraction

OTHER_RATERS = "Other raters"
LINE_MANAGER = "line manager"


def _null_space(rows: list[list[Fraction]], width: int) -> list[list[int]]:
    """Integer basis of {y : row . y = 0 for every row} (Gauss-Jordan over Fractions)."""
    m = [list(row) for row in rows]
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


class _Echelon:
    """Incremental rank of integer vectors (fraction-free elimination)."""

    def __init__(self, parent: _Echelon | None = None):
        self.rows: list[tuple[int, list[int]]] = list(parent.rows) if parent else []
        self.dependent = parent.dependent if parent else 0

    def add(self, vector: list[int]) -> None:
        v = list(vector)
        for p, row in self.rows:
            if v[p]:
                a, b = row[p], v[p]
                v = [x * a - y * b for x, y in zip(v, row)]
        lead = next((i for i, x in enumerate(v) if x), None)
        if lead is None:
            self.dependent += 1
        else:
            self.rows.append((lead, v))


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


def check_figures(entry: dict, raters: list, k: int, line_manager_allowed: bool) -> tuple[list[str], list[set[int]]]:
    """Direct problems of one space (n, mean, n < k) and the member sets of its figures."""
    problems, sets = [], []
    for dimension, name, members, figure in figure_sets(entry, raters):
        values = [raters[i][1] for i in members]
        if not members or figure["n"] != len(members):
            problems.append(f"{dimension}/{name}: n={figure['n']} but {len(members)} respondents")
            continue
        if abs(figure["score"] - sum(values) / len(values)) > 1e-9:
            problems.append(f"{dimension}/{name}: score does not match its respondents")
        sets.append(members)
        if dimension == "relationship" and name == LINE_MANAGER and line_manager_allowed:
            continue
        if figure["n"] < k:
            problems.append(f"{dimension}/{name}: shown with n={figure['n']} < k={k}")
    return problems, sets


def exposed(rows: list[dict], people: list, k: int, allowed: set) -> list[tuple]:
    """Every exposed set of exactly min(k-1, len(people)) people (or a smaller exposed
    prefix). `rows` are figures as {(person, item): Fraction coefficient}."""
    variables = sorted({v for row in rows for v in row}, key=repr)
    variables += [(p, None) for p in people if not any(v[0] == p for v in variables)]
    index = {v: j for j, v in enumerate(variables)}
    matrix = [[Fraction(0)] * len(variables) for _ in rows]
    for m_row, row in zip(matrix, rows):
        for v, coefficient in row.items():
            m_row[index[v]] = coefficient
    null = _null_space(matrix, len(variables)) if rows else []
    if not rows:
        return []
    columns = {p: [[y[j] for y in null] for v, j in index.items() if v[0] == p and v[1] is not None] for p in people}

    def nullity(group) -> int:
        e = _Echelon()
        for p in group:
            for column in columns[p]:
                e.add(column)
        return e.dependent

    lm_nullity: dict[frozenset, int] = {}

    def excused(group) -> int:
        inside = frozenset(p for p in group if p in allowed)
        if inside not in lm_nullity:
            lm_nullity[inside] = nullity(inside)
        return lm_nullity[inside]

    size = min(k - 1, len(people))
    found: list[tuple] = []

    def walk(start: int, chosen: tuple, echelon: _Echelon) -> None:
        if echelon.dependent and echelon.dependent > excused(chosen):
            found.append(chosen)  # exposed already: so is every extension
            return
        if len(chosen) == size:
            return
        for position in range(start, len(people) - (size - len(chosen)) + 1):
            person = people[position]
            child = _Echelon(echelon)
            for column in columns[person]:
                child.add(column)
            walk(position + 1, chosen + (person,), child)

    walk(0, (), _Echelon())
    return found


def _universe(dimension: str, name: str, shown: dict, people: list[tuple[int, object]]) -> set[int]:
    """Everyone of the process a reader can name as belonging to a shown figure's group."""
    if dimension == "all":
        return {p for p, _ in people}
    named = {n for n in shown[dimension] if n != OTHER_RATERS}
    if name == OTHER_RATERS:
        return {p for p, r in people if getattr(r, dimension) not in named}
    return {p for p, r in people if getattr(r, dimension) == name}


def answered_rows(process, entry: dict, others: list) -> list[dict]:
    """Item 6: every shown n as an equation over the 0/1 choices "answered this item"
    (item figures) and "scored this process" (process figures), summed over everyone of
    the process the figure's group names, whether they answered or not."""
    people = [(p, r) for p, r in enumerate(others) if any(r.answers.get(i) is not None for i in process.item_ids)]
    rows = []
    spaces = [(entry, ("counted", process.id))] + [
        (item, ("answered", item_id)) for item_id, item in zip(process.item_ids, entry["items"])
    ]
    for space, variable in spaces:
        shown = space["groups"]
        figures = [("all", "all")] if "others" in space else []
        figures += [(d, n) for d in ("profession", "relationship") for n in shown[d]]
        for dimension, name in figures:
            rows.append({(p, variable): Fraction(1) for p in _universe(dimension, name, shown, people)})
    return rows


def check_report(report: dict, processes, respondents, rules) -> list[str]:
    """All anonymity problems of a report, checked against the raw inputs."""
    others = [r for r in respondents if r.role == "other"]
    managers = [i for i, r in enumerate(others) if r.relationship == LINE_MANAGER]
    lm_allowed = rules.show_line_manager and bool(managers) and all(
        others[i].line_manager_consented for i in managers
    )
    allowed = set(managers) if lm_allowed else set()
    problems = []
    for process, entry in zip(processes, report["processes"]):
        rows: list[dict] = []
        counted = []  # (person index, Respondent, process score, items answered)
        for p, r in enumerate(others):
            answered = [i for i in process.item_ids if r.answers.get(i) is not None]
            if answered and len(answered) >= (len(process.item_ids) + 1) // 2:
                counted.append((p, r, sum(r.answers[i] for i in answered) / len(answered), answered))
        raters = [(r, score) for _, r, score, _ in counted]
        found, sets = check_figures(entry, raters, rules.k, lm_allowed)
        problems += [f"{process.id}: {x}" for x in found]
        for members in sets:
            row = {}
            for j in members:
                p, _, _, answered = counted[j]
                for i in answered:
                    row[(p, i)] = Fraction(1, len(answered))
            rows.append(row)
        for item_id, item in zip(process.item_ids, entry["items"]):
            answering = [p for p, r in enumerate(others) if r.answers.get(item_id) is not None]
            raters = [(others[p], others[p].answers[item_id]) for p in answering]
            found, sets = check_figures(item, raters, rules.k, lm_allowed)
            problems += [f"{item_id}: {x}" for x in found]
            for members in sets:
                rows.append({(answering[j], item_id): Fraction(1) for j in members})
        rows += answered_rows(process, entry, others)
        people = sorted({p for row in rows for (p, _) in row})
        for group in exposed(rows, people, rules.k, allowed):
            problems.append(f"{process.id}: respondents {group} derivable by subtraction")
    return problems
