"""An independent brute-force check of the live view's promise (flourish/lib/live.py).

Every history of events on a small cycle is played out: the leader adds people, withdraws
them and sends reminders; raters answer and delete their answers, unseen. After every
event the leader may reload the page and sees what `live` lets them see. Two histories
look the same to the leader when they did the same things in the same order and the page
changed at the same points. The promise holds when, for every way the page can look and
every person the leader asked, some history that looks like that has the person answered
by now and another has them not answered.

Nothing here is taken from the product except the one rule under test
(`live.milestone_reached`), passed in, so a weaker rule can be checked too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

Rule = Callable[..., bool]


@dataclass(frozen=True)
class State:
    added: frozenset[int]
    withdrawn: frozenset[int]
    answered: frozenset[int]  # answers in now (withdrawn people's included)
    answered_once: frozenset[int]  # who has ever answered (each answers at most twice)
    milestones: frozenset[str]


def _events(state: State, raters: int, *, retract: bool, remind: bool) -> Iterator[tuple[str, int]]:
    for r in range(raters):
        if r not in state.added:
            yield ("add", r)
            continue
        if r not in state.withdrawn:
            yield ("withdraw", r)
            if r not in state.answered and (r not in state.answered_once or retract):
                yield ("answer", r)
            if retract and r in state.answered:
                yield ("retract", r)
    if remind:
        yield ("remind", -1)


def _apply(state: State, event: tuple[str, int], groups: Sequence[str], k: int, rule: Rule) -> State:
    kind, r = event
    if kind == "add":
        return State(state.added | {r}, state.withdrawn, state.answered, state.answered_once, state.milestones)
    if kind == "withdraw":
        return State(state.added, state.withdrawn | {r}, state.answered, state.answered_once, state.milestones)
    if kind == "retract":
        return State(state.added, state.withdrawn, state.answered - {r}, state.answered_once, state.milestones)
    if kind == "remind":
        return state
    answered = state.answered | {r}
    group = groups[r]
    milestones = state.milestones
    members = {i for i in range(len(groups)) if groups[i] == group}
    if group not in milestones and rule(
        asked_ever=len(state.added & members),
        still_asked=len((state.added - state.withdrawn) & members),
        answered=len(answered & members),
        k=k,
    ):
        milestones = milestones | {group}
    return State(state.added, state.withdrawn, answered, state.answered_once | {r}, milestones)


def leaks(groups: Sequence[str], k: int, rule: Rule, *, depth: int, retract: bool = True,
          remind: bool = False) -> list[str]:
    """Every (trace, person, certainty) the leader could reach within `depth` events,
    described in words; empty when the promise holds. (Reminders change nothing the
    leader sees by construction; `remind=True` plays them too, at more cost.)"""
    start = State(frozenset(), frozenset(), frozenset(), frozenset(), frozenset())
    # Traces are numbered as they are met: trace 0 is the empty one, and `extend` maps
    # (trace, what the leader saw next) to the longer trace's number.
    extend: dict[tuple[int, tuple[str, int, frozenset[str]]], int] = {}
    parent: list[tuple[int, tuple[str, int, frozenset[str]]] | None] = [None]
    length = [0]
    frontier: set[tuple[int, State]] = {(0, start)}
    seen: dict[int, dict[int, set[bool]]] = {}
    for _ in range(depth):
        following: set[tuple[int, State]] = set()
        for trace, state in frontier:
            for event in _events(state, len(groups), retract=retract, remind=remind):
                after = _apply(state, event, groups, k, rule)
                kind, r = event
                if kind in ("add", "withdraw", "remind"):
                    seen_now = (kind, r, after.milestones)
                elif after.milestones != state.milestones:
                    seen_now = ("page changed", -1, after.milestones)
                else:
                    following.add((trace, after))  # an answer the page does not show
                    continue
                key = (trace, seen_now)
                if key not in extend:
                    extend[key] = len(parent)
                    parent.append(key)
                    length.append(length[trace] + 1)
                following.add((extend[key], after))
        frontier = following
        for trace, state in frontier:
            statuses = seen.setdefault(trace, {})
            for r in state.added:
                statuses.setdefault(r, set()).add(r in state.answered)
    # A trace seen only near the depth limit has not had room for the unseen answers that
    # would make it ambiguous; judge only traces with room for every rater to answer (and
    # delete) unseen.
    room = len(groups) * (2 if retract else 1)
    found = []
    for trace, statuses in seen.items():
        if length[trace] + room > depth:
            continue
        for r, possible in statuses.items():
            if possible != {True, False}:
                certain = "has answered" if True in possible else "has not answered"
                found.append(f"after {_spell(trace, parent)} the leader knows person {r} {certain}")
    return found


def _spell(trace: int, parent: list[tuple[int, tuple[str, int, frozenset[str]]] | None]) -> list[str]:
    steps = []
    while (link := parent[trace]) is not None:
        trace, (kind, r, milestones) = link
        steps.append(f"{kind}{'' if r < 0 else f' {r}'} -> {sorted(milestones)}")
    return steps[::-1]
