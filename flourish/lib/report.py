"""The one report object every output (page, PDF, JSON API, CLI, export) is built from.

`build_report()` turns a closed cycle's answers into a plain, JSON-serialisable dict that
has ALREADY applied the disclosure rules (see `flourish.lib.disclosure`). A figure the
rules withhold is absent (its key is missing), never null with a count. Pure Python: no
Django, no database.

Output shape (stable keys; the published JSON API):

    {
      "respondents": {"self": 0 | 1, "others": N},
      "rules": {"k": 3, "comment_k": 3, "gap_margin": 0.5, "show_line_manager": false},
      "suppressed": {"groups": bool, "comments": bool},
      "processes": [
        {
          "id", "name", "kind",
          "self": float,                      # absent if the leader did not score it
          "others": {"score", "n"},           # absent unless >= k others scored it
          "groups": {"profession": {name: {"score", "n"}},
                     "relationship": {name: {"score", "n"}}},
          "gap": {"difference": self - others,
                  "kind": "blind spot" | "hidden strength" | null},  # absent without both
          "importance": int,                  # absent if the leader gave none
          "reach": float,                     # absent with < 2 shown professional groups
          "items": [{"id", "self", "others", "groups", "gap"}],  # same rules per item
        }
      ],
      "comments": {process_id: [text, ...]},  # only processes reaching comment_k
    }
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from types import MappingProxyType
from typing import Any, TypeVar

from flourish.lib import disclosure
from flourish.lib.disclosure import OTHER_RATERS, PROFESSION, RELATIONSHIP
from flourish.lib.ledger import Figure
from flourish.lib.scoring import gap_kind, reach, respondent_process_score

V = TypeVar("V")
Json = dict[str, Any]  # the published report is plain JSON

SELF = "self"
OTHER = "other"
MAIN = "main"
BORDERLINE = "borderline"


def _frozen_mapping(value: Mapping[str, V]) -> Mapping[str, V]:
    return MappingProxyType(dict(value))


@dataclass(frozen=True)
class Process:
    id: str
    name: str
    kind: str  # 'main' | 'borderline'
    item_ids: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.kind not in (MAIN, BORDERLINE):
            raise ValueError(f"process {self.id!r}: kind must be 'main' or 'borderline', got {self.kind!r}")
        object.__setattr__(self, "item_ids", tuple(self.item_ids))
        if not self.item_ids:
            raise ValueError(f"process {self.id!r} has no items")
        if len(set(self.item_ids)) != len(self.item_ids):
            raise ValueError(f"process {self.id!r} lists an item twice")


@dataclass(frozen=True)
class Respondent:
    role: str  # 'self' | 'other'
    profession: str
    relationship: str
    answers: Mapping[str, int | None]
    comments: Mapping[str, str] = field(default_factory=dict)
    line_manager_consented: bool = False

    def __post_init__(self) -> None:
        if self.role not in (SELF, OTHER):
            raise ValueError(f"role must be 'self' or 'other', got {self.role!r}")
        for item, value in self.answers.items():
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"answer to item {item!r} must be a whole number or None, got {value!r}")
        for pid, text in self.comments.items():
            if not isinstance(text, str):
                raise ValueError(f"comment on process {pid!r} must be text, got {text!r}")
        object.__setattr__(self, "answers", _frozen_mapping(self.answers))
        object.__setattr__(self, "comments", _frozen_mapping(self.comments))


@dataclass(frozen=True)
class Rules:
    k: int = disclosure.MIN_K
    comment_k: int = disclosure.MIN_K
    gap_margin: float = 0.5
    show_line_manager: bool = False

    def __post_init__(self) -> None:
        disclosure.check_minimum("k", self.k)
        disclosure.check_minimum("comment_k", self.comment_k)
        if isinstance(self.gap_margin, bool) or not isinstance(self.gap_margin, (int, float)) or self.gap_margin < 0:
            raise ValueError(f"gap_margin must be a number >= 0, got {self.gap_margin!r}")


def enough_others(respondents: Sequence[Respondent], rules: Rules = Rules()) -> bool:
    """Whether a closed cycle may be released at all: at least k others responded."""
    return sum(1 for r in respondents if r.role == OTHER) >= rules.k


def _figure(values: Mapping[int, float], members: frozenset[int]) -> Json:
    # Sorted: the float sum must not depend on the order raters were given in.
    return {"score": fmean(sorted(values[i] for i in members)), "n": len(members)}


def _gap(self_value: float | None, others: Json | None, margin: float) -> Json | None:
    if self_value is None or others is None:
        return None
    difference = self_value - others["score"]
    return {"difference": difference, "kind": gap_kind(self_value, others["score"], margin)}


def _space(decision: disclosure.Disclosure, values: Mapping[int, float]) -> tuple[Json, list[float]]:
    """The shown figures of one space: (figures dict, shown professional-group scores).
    `values` maps a rater index (as in the decision) to their value in this space."""
    out: Json = {}
    if decision.everyone is not None:
        out["others"] = _figure(values, decision.everyone)
    groups: Json = {PROFESSION: {}, RELATIONSHIP: {}}
    for dimension, named in ((PROFESSION, decision.profession), (RELATIONSHIP, decision.relationship)):
        # Named groups in name order, the pool last: a stable order unrelated to input order.
        for name in sorted(n for n in named if n != OTHER_RATERS):
            groups[dimension][name] = _figure(values, named[name])
        if OTHER_RATERS in named:
            groups[dimension][OTHER_RATERS] = _figure(values, named[OTHER_RATERS])
    out["groups"] = groups
    professional = [g["score"] for name, g in groups[PROFESSION].items() if name != OTHER_RATERS]
    return out, professional


def _shuffle_key(salt: bytes, process_id: str, text: str) -> bytes:
    message = process_id.encode() + b"\x00" + text.encode()
    return hmac.new(salt, message, hashlib.sha256).digest()


def _check_importance(importance: Mapping[str, int], ids: Sequence[str]) -> None:
    for pid, value in importance.items():
        if pid not in ids:
            raise ValueError(f"importance given for unknown process {pid!r}")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValueError(f"importance of {pid!r} must be a whole number from 1 to 5, got {value!r}")


def _item_entries(
    process: Process,
    me: Respondent | None,
    raters: Sequence[tuple[Respondent, list[int | None], float | None]],
    decision: disclosure.ProcessDisclosure,
    rules: Rules,
) -> tuple[list[Json], bool]:
    """The items of one process as published, and whether any group figure was withheld."""
    withheld = False
    items = []
    for position, item_id in enumerate(process.item_ids):
        item: Json = {"id": item_id}
        self_value = me.answers.get(item_id) if me is not None else None
        if self_value is not None:
            item["self"] = self_value
        answers: dict[int, float] = {}
        for index, (_, values, _) in enumerate(raters):
            answer = values[position]
            if answer is not None:
                answers[index] = answer
        item_decision = decision.items[position]
        item_figures, _ = _space(item_decision, answers)
        withheld |= item_decision.withheld
        item.update(item_figures)
        gap = _gap(self_value, item_figures.get("others"), rules.gap_margin)
        if gap is not None:
            item["gap"] = gap
        items.append(item)
    return items, withheld


def _comments(
    processes: Sequence[Process], others: Sequence[Respondent], rules: Rules, salt: bytes
) -> tuple[dict[str, list[str]], bool]:
    """Each process's comments in a keyed shuffle when at least comment_k were written, and
    whether any were withheld for being fewer."""
    comments: dict[str, list[str]] = {}
    withheld = False
    for process in processes:
        texts = [r.comments.get(process.id, "").strip() for r in others]
        texts = [t for t in texts if t]
        if len(texts) >= rules.comment_k:
            comments[process.id] = sorted(texts, key=lambda t: (_shuffle_key(salt, process.id, t), t))
        elif texts:
            withheld = True
    return comments, withheld


def build_report(
    processes: Sequence[Process],
    respondents: Sequence[Respondent],
    rules: Rules = Rules(),
    *,
    importance: Mapping[str, int] | None = None,
    salt: bytes | str,
) -> Json:
    """Build the disclosure-safe report of one closed cycle (see the module docstring).

    `salt` keys the comment shuffle: use a value fixed for the released report version
    (e.g. its id) so its comment order is stable yet unrelated to submission order."""
    return _build(processes, respondents, rules, importance, salt, None)[0]


def build_report_with_equations(
    processes: Sequence[Process],
    respondents: Sequence[Respondent],
    keys: Sequence[str],
    rules: Rules = Rules(),
    *,
    importance: Mapping[str, int] | None = None,
    salt: bytes | str,
) -> tuple[Json, list[Figure]]:
    """The report and what it reveals as ledger equations (as `report_equations` gives
    them), from one pass of the disclosure decisions: a report's audit is its cost, and
    recording the report in the ledger at release must not pay it twice."""
    report, figures = _build(processes, respondents, rules, importance, salt, keys)
    assert figures is not None
    return report, figures


def _build(
    processes: Sequence[Process],
    respondents: Sequence[Respondent],
    rules: Rules,
    importance: Mapping[str, int] | None,
    salt: bytes | str,
    keys: Sequence[str] | None,
) -> tuple[Json, list[Figure] | None]:
    if isinstance(salt, str):
        salt = salt.encode()
    if not isinstance(salt, bytes):
        raise ValueError("salt must be bytes or str")
    ids = [p.id for p in processes]
    if len(set(ids)) != len(ids):
        raise ValueError("process ids must be unique")
    selves = [r for r in respondents if r.role == SELF]
    if len(selves) > 1:
        raise ValueError("a report has at most one self-assessment")
    me = selves[0] if selves else None
    others = [r for r in respondents if r.role == OTHER]
    if keys is not None and len(keys) != len(others):
        raise ValueError("give one key per other respondent")
    importance = dict(importance or {})
    _check_importance(importance, ids)
    equations: list[Figure] | None = [] if keys is not None else None

    line_managers = [r for r in others if disclosure.is_line_manager(r.relationship)]
    lm_eligible = bool(
        rules.show_line_manager and line_managers and all(r.line_manager_consented for r in line_managers)
    )

    groups_withheld = False
    out_processes = []
    for process in processes:
        entry: Json = {"id": process.id, "name": process.name, "kind": process.kind}
        self_score = None
        if me is not None:
            self_score = respondent_process_score([me.answers.get(i) for i in process.item_ids])
            if self_score is not None:
                entry["self"] = self_score
        # Everyone who answered any item of the process: the process and its items are
        # decided together (a person's process score weights their items by 1/answered).
        raters = []
        rater_keys = []
        for j, r in enumerate(others):
            values = [r.answers.get(i) for i in process.item_ids]
            if any(v is not None for v in values):
                raters.append((r, values, respondent_process_score(values)))
                rater_keys.append(keys[j] if keys is not None else "")
        decision = disclosure.decide_process(
            [
                disclosure.Rater(
                    profession=r.profession,
                    relationship=r.relationship,
                    answered=tuple(v is not None for v in values),
                    counted=score is not None,
                    shown_as_line_manager=lm_eligible and disclosure.is_line_manager(r.relationship),
                )
                for r, values, score in raters
            ],
            rules.k,
            len(process.item_ids),
        )
        if equations is not None:
            equations += _process_equations(process, [r for r, _, _ in raters], rater_keys, decision)
        scores = {index: score for index, (_, _, score) in enumerate(raters) if score is not None}
        figures, professional = _space(decision.process, scores)
        groups_withheld |= decision.process.withheld
        entry.update(figures)
        gap = _gap(self_score, figures.get("others"), rules.gap_margin)
        if gap is not None:
            entry["gap"] = gap
        if process.id in importance:
            entry["importance"] = importance[process.id]
        spread = reach(professional)
        if spread is not None:
            entry["reach"] = spread

        entry["items"], items_withheld = _item_entries(process, me, raters, decision, rules)
        groups_withheld |= items_withheld
        out_processes.append(entry)

    comments, comments_withheld = _comments(processes, others, rules, salt)
    return _report_json(rules, me, others, groups_withheld, comments_withheld, out_processes, comments), equations


def _report_json(
    rules: Rules,
    me: Respondent | None,
    others: Sequence[Respondent],
    groups_withheld: bool,
    comments_withheld: bool,
    out_processes: list[Json],
    comments: dict[str, list[str]],
) -> Json:
    return {
        "respondents": {"self": 1 if me is not None else 0, "others": len(others)},
        "rules": {
            "k": rules.k,
            "comment_k": rules.comment_k,
            "gap_margin": rules.gap_margin,
            "show_line_manager": rules.show_line_manager,
        },
        "suppressed": {"groups": groups_withheld, "comments": comments_withheld},
        "processes": out_processes,
        "comments": comments,
    }


# --- the report as equations, for the disclosure ledger ---------------------------------


def _universe(decision: disclosure.Disclosure, raters: Sequence[Respondent], dimension: str, name: str) -> list[int]:
    """Everyone of the process whom a reader of the rater list can place in a shown group."""
    lm = decision.line_manager or frozenset()
    named = {n for n in getattr(decision, dimension) if n not in (OTHER_RATERS, disclosure.LINE_MANAGER)}
    people = [r for r in range(len(raters)) if not (dimension == RELATIONSHIP and lm and r in lm)]
    if name == OTHER_RATERS:
        return [r for r in people if getattr(raters[r], dimension) not in named]
    if dimension == RELATIONSHIP and name == disclosure.LINE_MANAGER and lm:
        return sorted(lm)
    return [r for r in people if getattr(raters[r], dimension) == name]


def _space_equations(
    decision: disclosure.Disclosure,
    raters: Sequence[Respondent],
    keys: Sequence[str],
    value_terms: Callable[[frozenset[int]], list[tuple[str, str, int]]],
    answered_variable: str,
) -> list[Figure]:
    figures: list[Figure] = []
    groups: list[tuple[frozenset[int], list[int]]] = []
    if decision.everyone is not None:
        groups.append((decision.everyone, list(range(len(raters)))))
    for dimension in (PROFESSION, RELATIONSHIP):
        for name, members in getattr(decision, dimension).items():
            groups.append((members, _universe(decision, raters, dimension, name)))
    for members, universe in groups:
        figures.append(Figure(tuple(value_terms(members))))  # the figure's sum
        figures.append(Figure(tuple((keys[r], answered_variable, 1) for r in universe)))  # its n
    return figures


def report_equations(
    processes: Sequence[Process],
    respondents: Sequence[Respondent],
    keys: Sequence[str],
    rules: Rules = Rules(),
) -> list[Figure]:
    """Everything a reader of the report learns, as ledger equations over the others'
    answers (`keys[j]` names the j-th "other" respondent, never by name): each shown figure's
    sum (a process score weights a rater's items by 1/answered, scaled to integers) and its
    n (over the 0/1 choices "answered this item" / "scored this process")."""
    others = [r for r in respondents if r.role == OTHER]
    if len(keys) != len(others):
        raise ValueError("give one key per other respondent")
    line_managers = [r for r in others if disclosure.is_line_manager(r.relationship)]
    lm_eligible = bool(
        rules.show_line_manager and line_managers and all(r.line_manager_consented for r in line_managers)
    )
    figures: list[Figure] = []
    for process in processes:
        index = [j for j, r in enumerate(others) if any(r.answers.get(i) is not None for i in process.item_ids)]
        raters = [others[j] for j in index]
        decision = disclosure.decide_process(
            [
                disclosure.Rater(
                    profession=r.profession,
                    relationship=r.relationship,
                    answered=tuple(r.answers.get(i) is not None for i in process.item_ids),
                    counted=respondent_process_score([r.answers.get(i) for i in process.item_ids]) is not None,
                    shown_as_line_manager=lm_eligible and disclosure.is_line_manager(r.relationship),
                )
                for r in raters
            ],
            rules.k,
            len(process.item_ids),
        )
        figures += _process_equations(process, raters, [keys[j] for j in index], decision)
    return figures


def _process_equations(
    process: Process,
    raters: Sequence[Respondent],
    rater_keys: Sequence[str],
    decision: disclosure.ProcessDisclosure,
) -> list[Figure]:
    """One process's shown figures as equations (`raters`: those who answered any item)."""
    answered = [[i for i in process.item_ids if r.answers.get(i) is not None] for r in raters]

    def process_terms(members: frozenset[int]) -> list[tuple[str, str, int]]:
        scale = math.lcm(*(len(answered[r]) for r in members)) if members else 1
        return [(rater_keys[r], i, scale // len(answered[r])) for r in sorted(members) for i in answered[r]]

    figures = _space_equations(decision.process, raters, rater_keys, process_terms, f"counted:{process.id}")
    for position, item_id in enumerate(process.item_ids):

        # Bound as a default: _space_equations calls it within this iteration, but the binding says so.
        def item_terms(members: frozenset[int], item_id: str = item_id) -> list[tuple[str, str, int]]:
            return [(rater_keys[r], item_id, 1) for r in sorted(members)]

        figures += _space_equations(decision.items[position], raters, rater_keys, item_terms, f"answered:{item_id}")
    return [f for f in figures if f.terms]
