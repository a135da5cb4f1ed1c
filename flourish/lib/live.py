"""What a leader is told while a 360° cycle is open (pure; no Django).

The promise: whatever the leader does while the cycle runs — add people, withdraw them,
send reminders, reload the page as often as they like — they can never become certain
that a named person has, or has not, answered.

Exact counts break it ("1 of 1 answered"; "2 of 3" becoming "1 of 2" when the withdrawn
person had answered), and so does any figure that an add or a withdrawal can move. So the
leader is told, per professional group, one thing that depends on answers: a milestone,
"at least k people in this group have answered". It is decided only at the moment
someone answers (never when the leader adds, withdraws or reminds), and once reached it
stays reached until close. It is reached at an answer only when

- at least k + 1 people of the group have ever been asked (with exactly k asked, "k
  answered" would mean "all of them answered"),
- at least two of them are still asked (the person answering now is one of them; with
  only one left, it would point at them), and
- at least k answers from the group are in (withdrawn people's answers included, so a
  withdrawal cannot move anything).

Everything else the leader sees — who was asked and when, which groups have k + 1 people
— is what they did themselves. `flourish/lib/tests/livecheck.py` replays every small
history and checks that both "answered" and "did not answer" stay possible for every
named person, whatever the leader saw.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def milestone_reached(*, asked_ever: int, still_asked: int, answered: int, k: int) -> bool:
    """Whether an answer arriving now puts its group's milestone up (see the module)."""
    return asked_ever >= k + 1 and still_asked >= 2 and answered >= k


def can_ever_be_told(asked_ever: int, k: int) -> bool:
    """A group's milestone can only be shown once k + 1 of its people have been asked."""
    return asked_ever >= k + 1


@dataclass(frozen=True)
class GroupState:
    """One professional group as the leader's page needs it: counts the leader knows
    anyway (they asked these people) and whether the milestone was reached."""

    group: str
    asked: int  # still asked (not withdrawn)
    asked_ever: int
    reached: bool


@dataclass(frozen=True)
class Row:
    group: str
    asked: int
    status: str  # "reached" | "not yet" | "not told"


REACHED, NOT_YET, NOT_TOLD = "reached", "not yet", "not told"


def rows(groups: Iterable[GroupState], k: int) -> list[Row]:
    """The leader's table: for each group, how many are asked, and the milestone where it
    can be told."""
    out = []
    for g in groups:
        if g.reached:
            status = REACHED
        elif can_ever_be_told(g.asked_ever, k):
            status = NOT_YET
        else:
            status = NOT_TOLD
        out.append(Row(g.group, g.asked, status))
    return out


def report_expected(milestones: Sequence[str]) -> bool:
    """A group that reached its milestone had k answers, so the whole cycle had at least k:
    the report will be released (unless answers are withdrawn before close)."""
    return bool(milestones)
