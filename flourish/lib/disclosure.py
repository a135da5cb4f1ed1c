"""Disclosure rules (anonymity) from DESIGN.md, as pure functions (no Django, no database).

The unit decided at once is one PROCESS TOGETHER WITH ITS ITEMS (`decide_process`): its
*spaces* are the process (the other raters whose process score counts) and each item (the
other raters who answered it). In each space the per-space rules choose candidate figures:

1. "All others" is shown only if at least k others are in the space.
2. A consented line manager (when the organisation enables it) is shown as its own
   relationship group, exempt from k.
3. In each dimension (profession, relationship) a group is shown only if at least k of its
   respondents are in the space; smaller groups pool into "Other raters", shown only if the
   pool reaches k. If the pool is 1..k-1 people, the smallest shown groups are moved into
   the pool until it is empty or reaches k.

4. Joint audit, at the level of individual answers. Variable x[r,i] is rater r's answer to
   item i (only answered items exist). A figure is a mean published with its n, so its sum
   is known: an item figure over H is sum_{r in H} x[r,i]; a process figure over G is
   sum_{r in G} (1/m_r) sum_{i answered by r} x[r,i] (m_r = items r answered). Anything in
   the row space V of these functionals is known. A set S of 1..k-1 raters is EXPOSED when
   V holds a vector supported on S's variables that is not supported on consented line
   managers alone, i.e. dim(V & W_S) > dim(V & W_{S & L}) (W_T: vectors living on T's
   variables; L: the consented, shown-separately line managers). This catches
   differencing within and across dimensions, between process and item figures (a
   person who skipped an item is weighted differently at process level), and around
   the line manager. While anything is exposed, one figure is withheld (see
   `_removal_order`: item-level group figures before process-level ones, relationship
   before profession, pools before named groups, smallest first, "all others" last) and
   the whole process is decided again.

Cell reduction (why checking unions of whole cells is exact). Raters with the same
answered-item pattern, the same line-manager status and the same membership in every
candidate figure form a *cell*. Every figure gives all members of a cell the same
coefficient on a given item, so every vector of V (a combination of figures) does too:
it is "cell-constant". A cell-constant vector that vanishes outside S vanishes on every
cell only partly inside S, so it lives on T = the union of the cells wholly inside S;
T & L is inside S & L, hence S exposed => T exposed, and |T| <= |S|. So only unions of
whole cells of total size 1..k-1 need checking, and V can be worked on in cell space
(one column per cell and answered item), which is an exact isomorphism of V.

Exposure test. With R the reduced row echelon form of the figure matrix (exact integer
arithmetic), a vector of V vanishing off S is a combination of the rows whose pivot
column lies in S (I_S), and it vanishes off S iff the combination vanishes on the other
columns: dim(V & W_S) = |I_S| - rank(R[I_S, not S]). Candidates without a pivot are safe
at once; the rest are screened in one batch with the Gram matrices G_S = X X^T of
X = R[I_S, not S] (integers, formed exactly in floating point under a checked size
bound): an eigenvalue above a wide error margin proves the matching rank, so a
candidate is cleared only by proof; anything not cleared is decided exactly with
integers. Exposure only grows with S, so minimal exposed sets are found level by level.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from flourish.lib.audit import Equation, IntArray, Joint, equations_joint

MIN_K = 3
OTHER_RATERS = "Other raters"
LINE_MANAGER = "line manager"
PROFESSION = "profession"
RELATIONSHIP = "relationship"

FigureKey = tuple[str | int | None, ...]  # ("all",), ("line manager",), (dimension, name | None)
JointFigure = tuple[int, FigureKey, frozenset[int]]  # (space, key, rater set)

_ALL: FigureKey = ("all",)
_LM: FigureKey = ("line manager",)


def is_line_manager(relationship: str) -> bool:
    return relationship.strip().casefold() == LINE_MANAGER


def check_minimum(name: str, value: object) -> int:
    """Validate a disclosure minimum: an integer, never below 3."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < MIN_K:
        raise ValueError(f"{name} must be at least {MIN_K} (anonymity minimum), got {value}")
    return value


@dataclass(frozen=True)
class Member:
    """One other rater in a single space (see `decide`)."""

    profession: str
    relationship: str
    shown_as_line_manager: bool = False  # consented line manager, organisation enabled it


@dataclass(frozen=True)
class Rater:
    """One other rater of a process (see `decide_process`)."""

    profession: str
    relationship: str
    answered: tuple[bool, ...]  # one flag per item of the process
    counted: bool  # their process score counts (answered at least half the items)
    shown_as_line_manager: bool = False  # consented line manager, organisation enabled it


@dataclass(frozen=True)
class Disclosure:
    """What may be shown for one space. Member sets are indices into the caller's list."""

    everyone: frozenset[int] | None
    line_manager: frozenset[int] | None
    profession: dict[str, frozenset[int]]
    relationship: dict[str, frozenset[int]]  # includes the shown line manager, if any
    withheld: bool  # some respondent's own profession/relationship group is not shown


@dataclass(frozen=True)
class ProcessDisclosure:
    process: Disclosure
    items: tuple[Disclosure, ...]


@dataclass
class _State:
    hidden: dict[str, set[str]] = field(
        default_factory=lambda: {PROFESSION: set(), RELATIONSHIP: set()}
    )
    pool_hidden: dict[str, bool] = field(
        default_factory=lambda: {PROFESSION: False, RELATIONSHIP: False}
    )
    line_manager_hidden: bool = False
    everyone_hidden: bool = False


# --- per-space candidate figures -------------------------------------------------------


def _pool(
    labels: dict[int, str], k: int, hidden: set[str], pool_hidden: bool
) -> tuple[dict[str, frozenset[int]], frozenset[int] | None]:
    """Named groups of >= k and the "Other raters" pool, for one dimension.

    `labels` maps member index to group name over the dimension's universe."""
    groups: dict[str, set[int]] = {}
    for index, name in labels.items():
        groups.setdefault(name, set()).add(index)
    shown = {
        name: members
        for name, members in groups.items()
        if len(members) >= k
        and name not in hidden
        and name.strip()
        and name.strip().casefold() != OTHER_RATERS.casefold()
    }
    pool = set(labels) - set().union(*shown.values()) if shown else set(labels)
    # A remainder of 1..k-1 people is "all minus the shown groups": pool further.
    while shown and 0 < len(pool) < k:
        smallest = min(shown, key=lambda n: (len(shown[n]), n))
        pool |= shown.pop(smallest)
    named = {name: frozenset(members) for name, members in shown.items()}
    if not named or not pool or len(pool) < k or pool_hidden:
        return named, None
    return named, frozenset(pool)


def _figures(members: Sequence[Member], k: int, state: _State) -> list[tuple[FigureKey, frozenset[int]]]:
    """The candidate figures of one space for the current state: list of (key, member set)."""
    everyone = frozenset(range(len(members)))
    line_manager = frozenset(i for i, m in enumerate(members) if m.shown_as_line_manager)
    show_lm = bool(line_manager) and not state.line_manager_hidden
    figures: list[tuple[FigureKey, frozenset[int]]] = []
    if not state.everyone_hidden and len(everyone) >= k:
        figures.append((_ALL, everyone))
    if show_lm:
        figures.append((_LM, line_manager))
    profession, profession_pool = _pool(
        {i: m.profession for i, m in enumerate(members)},
        k,
        state.hidden[PROFESSION],
        state.pool_hidden[PROFESSION],
    )
    relationship, relationship_pool = _pool(
        {
            # With the line manager shown on its own, any other "line manager" label
            # can only be pooled (it must not appear as a second group of that name).
            i: ("" if show_lm and is_line_manager(m.relationship) else m.relationship)
            for i, m in enumerate(members)
            if not (show_lm and i in line_manager)
        },
        k,
        state.hidden[RELATIONSHIP],
        state.pool_hidden[RELATIONSHIP],
    )
    for name, group in profession.items():
        figures.append(((PROFESSION, name), group))
    if profession_pool is not None:
        figures.append(((PROFESSION, None), profession_pool))
    for name, group in relationship.items():
        figures.append(((RELATIONSHIP, name), group))
    if relationship_pool is not None:
        figures.append(((RELATIONSHIP, None), relationship_pool))
    return figures


def _removal_order(figures: Sequence[JointFigure]) -> list[int]:
    """Indices of joint figures (space, key, members), least informative first: item-level
    group figures, then process-level group figures (space 0), then "all others" (items
    before the process); within those, relationship pool, relationship groups, the line
    manager, profession pool, profession groups, smallest first."""

    def order_key(index: int) -> tuple[int | str, ...]:
        space, key, group = figures[index]
        level = 1 if space == 0 else 0
        if key == _ALL:
            return (1, level, len(group), "", space)
        if key == _LM:
            return (0, level, 2, 0, "", space)
        dimension, name = key
        base = 0 if dimension == RELATIONSHIP else 3
        if name is None:  # the pool goes before the named groups
            return (0, level, base, len(group), "", space)
        return (0, level, base + 1, len(group), name, space)

    return sorted(range(len(figures)), key=order_key)


# --- the joint audit in cell space ------------------------------------------------------


def _joint_of_raters(raters: Sequence[Rater], figures: Sequence[JointFigure], k: int) -> Joint:
    """The shown figures of one process and its items, in cell space (see `audit.Joint`).

    `figures` are (space, key, rater set): space 0 is the process, space 1 + i item i."""
    masks = [0] * len(raters)
    for f, (_, _, group) in enumerate(figures):
        bit = 1 << f
        for r in group:
            masks[r] |= bit
    cells: dict[tuple[int, tuple[bool, ...], bool, bool], list[int]] = {}
    for r, rater in enumerate(raters):
        if masks[r]:  # in no figure: no shown functional involves them
            key = (masks[r], rater.answered, rater.counted, rater.shown_as_line_manager)
            cells.setdefault(key, []).append(r)
    # Big cells (never part of a candidate) first, so that pivots go there first.
    ordered = sorted(cells.items(), key=lambda kv: (len(kv[1]) < k, -len(kv[1]), kv[1][0]))
    col_cell_list: list[int] = []
    col_item: list[int] = []
    for c, (key, _) in enumerate(ordered):
        for i, answered in enumerate(key[1]):
            if answered:
                col_cell_list.append(c)
                col_item.append(i)
    col_cell = np.array(col_cell_list, dtype=np.int64)
    col_item_arr = np.array(col_item, dtype=np.int64)
    width = len(col_cell_list)
    member = np.array(
        [[(key[0] >> f) & 1 for f in range(len(figures))] for key, _ in ordered], dtype=np.int64
    ).reshape(len(ordered), len(figures))
    matrix: IntArray = (
        member[col_cell].T.copy() if width else np.zeros((len(figures), 0), np.int64)
    )
    counted_m = [sum(key[1]) for key, _ in ordered if key[2]]
    scale = math.lcm(*counted_m) if counted_m else 1
    weight = np.array([scale // sum(key[1]) if key[2] else 0 for key, _ in ordered], dtype=np.int64)
    if width:
        for f, (space, _, _) in enumerate(figures):
            if space == 0:
                matrix[f] *= weight[col_cell]
            else:
                matrix[f] *= col_item_arr == space - 1
    return Joint(
        [people for _, people in ordered], [key[3] for key, _ in ordered], col_cell, matrix, k
    )


def _universe(
    figure: JointFigure, raters: Sequence[Rater], shown: Sequence[JointFigure]
) -> frozenset[int]:
    """Everyone whose "answered" choice a figure's n counts: the raters of the process the
    leader can name as belonging to the figure's group, answered or not (item 6)."""
    space, key, _ = figure
    everyone = range(len(raters))
    lm_shown = any(s == space and k == _LM for s, k, _ in shown)
    if key == _ALL:
        return frozenset(everyone)
    if key == _LM:
        return frozenset(r for r in everyone if raters[r].shown_as_line_manager)
    dimension, name = key
    if dimension == PROFESSION:
        label = [rater.profession for rater in raters]
        excluded: set[int] = set()
    else:
        label = [rater.relationship for rater in raters]
        excluded = {r for r in everyone if lm_shown and raters[r].shown_as_line_manager}
    if name is not None:
        return frozenset(r for r in everyone if label[r] == name and r not in excluded)
    named = {k[1] for s, k, _ in shown if s == space and k not in (_ALL, _LM) and k[0] == dimension}
    return frozenset(r for r in everyone if label[r] not in named and r not in excluded)


def _answered_joint(raters: Sequence[Rater], figures: Sequence[JointFigure], k: int) -> Joint:
    """The published n of every figure as equations over the 0/1 "answered" choices: item
    figure n = sum of answered[r, i] over its universe, process figure n = sum of
    counted[r]. These variables are disjoint from the answers' values, so V is the direct
    sum of the two blocks and a set is exposed in the union iff it is in one block."""
    equations: list[Equation] = [
        {(r, figure[0]): 1 for r in _universe(figure, raters, figures)} for figure in figures
    ]
    allowed = frozenset(r for r, rater in enumerate(raters) if rater.shown_as_line_manager)
    return equations_joint(equations, allowed, k)


def _withhold(state: _State, key: FigureKey) -> None:
    """Record that the figure `key` of a space is withheld from now on."""
    if key == _ALL:
        state.everyone_hidden = True
    elif key == _LM:
        state.line_manager_hidden = True
    elif key[1] is None:
        state.pool_hidden[str(key[0])] = True
    else:
        state.hidden[str(key[0])].add(str(key[1]))


def _decide_spaces(
    raters: Sequence[Rater], k: int, with_process: bool, item_count: int | None = None
) -> ProcessDisclosure:
    check_minimum("k", k)
    n_items = item_count if item_count is not None else len(raters[0].answered) if raters else 0
    if any(len(r.answered) != n_items for r in raters):
        raise ValueError("every rater needs one answered flag per item")
    # A canonical order (nothing about answers' values), so that the decision does not
    # depend on the order raters are given in.
    order = sorted(
        range(len(raters)),
        key=lambda i: (
            raters[i].profession, raters[i].relationship, raters[i].shown_as_line_manager,
            raters[i].answered, raters[i].counted,
        ),
    )
    canon = [raters[i] for i in order]
    spaces = [[r for r, rater in enumerate(canon) if rater.counted and with_process]]
    spaces += [[r for r, rater in enumerate(canon) if rater.answered[i]] for i in range(n_items)]
    members = [
        [Member(canon[r].profession, canon[r].relationship, canon[r].shown_as_line_manager) for r in space]
        for space in spaces
    ]
    states = [_State() for _ in spaces]
    cache: dict[int, list[JointFigure]] = {}
    while True:
        figures: list[JointFigure] = []
        for s, space in enumerate(spaces):
            if s not in cache:
                cache[s] = [
                    (s, key, frozenset(space[j] for j in group))
                    for key, group in _figures(members[s], k, states[s])
                ]
            figures.extend(cache[s])
        if not figures:
            break
        # The values first, then the published n's ("answered this item" is protected too).
        joint = _joint_of_raters(canon, figures, k)
        exposed = joint.exposed(first_only=True)
        if not exposed and with_process:
            joint = _answered_joint(canon, figures, k)
            exposed = joint.exposed(first_only=True)
        if not exposed:
            break
        target = min(exposed, key=lambda s: (sum(joint.sizes[c] for c in s), sorted(s)))
        victim = joint.victim(target, _removal_order(figures))
        victim_space, key, _ = figures[victim]
        _withhold(states[victim_space], key)
        del cache[victim_space]

    def disclosure(s: int) -> Disclosure:
        everyone = line_manager = None
        named: dict[str, dict[str, frozenset[int]]] = {PROFESSION: {}, RELATIONSHIP: {}}
        for _, key, group in cache.get(s, []):
            group = frozenset(order[r] for r in group)
            if key == _ALL:
                everyone = group
            elif key == _LM:
                line_manager = group
            else:
                named[str(key[0])][OTHER_RATERS if key[1] is None else str(key[1])] = group
        if line_manager is not None:
            named[RELATIONSHIP][LINE_MANAGER] = line_manager
        shown_profession = {n for n in named[PROFESSION] if n != OTHER_RATERS}
        shown_relationship = {n for n in named[RELATIONSHIP] if n != OTHER_RATERS}
        withheld = any(
            canon[r].profession not in shown_profession
            or (
                canon[r].relationship not in shown_relationship
                and not (line_manager and order[r] in line_manager)
            )
            for r in spaces[s]
        )
        return Disclosure(
            everyone=everyone,
            line_manager=line_manager,
            profession=named[PROFESSION],
            relationship=named[RELATIONSHIP],
            withheld=withheld,
        )

    return ProcessDisclosure(
        process=disclosure(0), items=tuple(disclosure(s) for s in range(1, len(spaces)))
    )


def decide_process(raters: Sequence[Rater], k: int, item_count: int) -> ProcessDisclosure:
    """Which figures of one process and of each of its `item_count` items may be shown (see
    the module docstring). Member sets are indices into `raters`."""
    return _decide_spaces(raters, k, with_process=True, item_count=item_count)


def decide(members: Sequence[Member], k: int) -> Disclosure:
    """One space on its own (each member contributes one value): which figures may be
    shown. Member sets are indices into `members`."""
    raters = [Rater(m.profession, m.relationship, (True,), False, m.shown_as_line_manager) for m in members]
    return _decide_spaces(raters, k, with_process=False, item_count=1).items[0]


def exposed_sets(
    figures: Sequence[frozenset[int]],
    size: int,
    k: int,
    allowed: Iterable[frozenset[int]] = (),
) -> list[frozenset[int]]:
    """The minimal sets of 1..k-1 respondents (0..size-1, one value each) about whom the
    figures' sums reveal something (a nonzero combination living on that set alone), where
    revealing something about the `allowed` respondents alone does not count."""
    check_minimum("k", k)
    lm = set().union(*allowed) if allowed else set()
    raters = [Rater("", "", (True,), False, r in lm) for r in range(size)]
    joint = _joint_of_raters(raters, [(1, ("f", i), frozenset(f)) for i, f in enumerate(figures)], k)
    found = [joint.people(s) for s in joint.exposed(first_only=False)]
    return sorted(found, key=lambda s: (len(s), sorted(s)))
