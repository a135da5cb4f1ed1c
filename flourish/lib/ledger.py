"""The disclosure ledger's audit: everything one audience has been shown, decided jointly
(pure: no Django, no database).

Each released figure is a linear equation over respondents' values: a mean published with
its n gives its sum, i.e. sum of coefficient x value over its terms. A term names the
respondent (a key that is never a name: "leader:12", a response pseudonym) and the variable
(e.g. "self:think@self-40": that leader's self score for Thinking Systematically in
self-assessment 40; "answered:t1": whether they answered item t1). Some respondents are
*known* to the audience in full (their own data, rows already exported to them): their
terms are known constants and drop out. The audience then learns the row space V of the
remaining equations, and a set S of 1..k-1 respondents is exposed when V holds a nonzero
vector living on S's variables alone (`flourish.lib.audit`, the same exact engine as a
report's own audit). Differencing across any number of releases is therefore caught, e.g.
{A,B,C,D}, {E,F,G}, {A,B,C,E,F,G} reveal D, though no two of them isolate anyone.

Equations that share no variable are independent blocks: V is their direct sum, so a set is
exposed in V iff it is exposed in one block, and each block is audited on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flourish.lib.audit import Equation, equations_joint
from flourish.lib.disclosure import check_minimum

Term = tuple[str, str, int]  # (respondent key, variable, integer coefficient)


@dataclass(frozen=True)
class Figure:
    """One released figure as an equation: the sum of coefficient x value over `terms`."""

    terms: tuple[Term, ...]

    def __post_init__(self) -> None:
        for term in self.terms:
            respondent, variable, coefficient = term
            if not isinstance(respondent, str) or not isinstance(variable, str):
                raise ValueError(f"a term names a respondent and a variable as text, got {term!r}")
            if isinstance(coefficient, bool) or not isinstance(coefficient, int):
                raise ValueError(f"a term's coefficient must be a whole number, got {term!r}")

    @property
    def respondents(self) -> frozenset[str]:
        return frozenset(r for r, _, c in self.terms if c)

    def to_json(self) -> list[list[str | int]]:
        return [[r, v, c] for r, v, c in self.terms]

    @staticmethod
    def from_json(value: Sequence[Sequence[str | int]]) -> Figure:
        terms: list[Term] = []
        for term in value:
            if len(term) != 3:
                raise ValueError(f"a stored term has three parts, got {term!r}")
            respondent, variable, coefficient = term
            if not isinstance(respondent, str) or not isinstance(variable, str) or not isinstance(coefficient, int):
                raise ValueError(f"a stored term is (text, text, whole number), got {term!r}")
            terms.append((respondent, variable, coefficient))
        return Figure(tuple(terms))


def sum_of(values: Mapping[str, str]) -> Figure:
    """The sum (mean x n) of one value per respondent: {respondent: variable}."""
    return Figure(tuple((r, values[r], 1) for r in sorted(values)))


def _blocks(figures: Sequence[Figure]) -> list[list[Figure]]:
    """Figures grouped into blocks that share no variable (union-find on variables)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for figure in figures:
        variables = [(r, v) for r, v, c in figure.terms if c]
        for other in variables[1:]:
            a, b = find(variables[0]), find(other)
            if a != b:
                parent[a] = b
    blocks: dict[tuple[str, str], list[Figure]] = {}
    for figure in figures:
        first = next(((r, v) for r, v, c in figure.terms if c), None)
        if first is not None:
            blocks.setdefault(find(first), []).append(figure)
    return list(blocks.values())


def exposed(
    figures: Sequence[Figure],
    k: int,
    *,
    known: Iterable[str] = (),
    allowed: Iterable[str] = (),
    first_only: bool = False,
) -> list[frozenset[str]]:
    """Minimal sets of 1..k-1 respondents about whom the figures together reveal something.

    `known`: respondents the audience knows in full (left out of the question); `allowed`:
    respondents whose exposure does not count (e.g. a consented line manager)."""
    check_minimum("k", k)
    known_set = set(known)
    allowed_set = set(allowed)
    reduced = []
    for figure in figures:
        terms = tuple(t for t in figure.terms if t[0] not in known_set and t[2])
        if terms:
            reduced.append(Figure(terms))
    found: list[frozenset[str]] = []
    for block in _blocks(reduced):
        people = sorted({r for f in block for r in f.respondents})
        index = {r: i for i, r in enumerate(people)}
        equations: list[Equation] = [{(index[r], v): c for r, v, c in f.terms} for f in block]
        joint = equations_joint(equations, frozenset(index[r] for r in allowed_set if r in index), k)
        for cells in joint.exposed(first_only=first_only):
            found.append(frozenset(people[i] for i in joint.people(cells)))
            if first_only:
                return found
    return sorted(set(found), key=lambda s: (len(s), sorted(s)))


def _block_of(figures: Sequence[Figure], candidate: Figure, known: set[str]) -> list[Figure]:
    """The figures linked to the candidate through shared unknown variables (only this
    block can change when the candidate is added)."""
    return _block_of_all(figures, [candidate], known)


def _block_of_all(figures: Sequence[Figure], candidates: Sequence[Figure], known: set[str]) -> list[Figure]:
    def variables(f: Figure) -> set[tuple[str, str]]:
        return {(r, v) for r, v, c in f.terms if c and r not in known}

    reach: set[tuple[str, str]] = set()
    for candidate in candidates:
        reach |= variables(candidate)
    rest = [(f, variables(f)) for f in figures]
    block: list[Figure] = []
    grew = True
    while grew:
        grew = False
        remaining = []
        for f, vs in rest:
            if vs & reach:
                block.append(f)
                reach |= vs
                grew = True
            else:
                remaining.append((f, vs))
        rest = remaining
    return block


def may_release(
    shown: Sequence[Figure], candidate: Figure, k: int, *, known: Iterable[str] = ()
) -> bool:
    """Whether the audience that was shown `shown` may also be shown `candidate`: nothing
    about fewer than k respondents follows from all of them together that did not already
    follow from `shown` (figures released before this audit existed cannot be unshown)."""
    known = set(known)
    block = _block_of(shown, candidate, known)
    if not exposed([*block, candidate], k, known=known, first_only=True):
        return True
    before = exposed(block, k, known=known)
    return all(any(b <= s for b in before) for s in exposed([*block, candidate], k, known=known))


def may_release_all(
    shown: Sequence[Figure],
    candidates: Sequence[Figure],
    k: int,
    *,
    known: Iterable[str] = (),
    allowed: Iterable[str] = (),
) -> bool:
    """Whether the audience may be shown all of `candidates` at once (e.g. a whole report):
    nothing about fewer than k respondents (apart from `allowed` ones, e.g. a consented line
    manager shown on their own) follows from them together with `shown` that did not follow
    from `shown` alone. One joint audit, not one per candidate."""
    known = set(known)
    allowed = set(allowed)
    reach = _block_of_all(shown, candidates, known)
    together = [*reach, *candidates]
    if not exposed(together, k, known=known, allowed=allowed, first_only=True):
        return True
    before = exposed(reach, k, known=known, allowed=allowed)
    return all(any(b <= s for b in before) for s in exposed(together, k, known=known, allowed=allowed))
