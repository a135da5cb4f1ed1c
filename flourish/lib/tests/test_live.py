"""The live view's promise, checked over every small history (livecheck.py): whatever
the leader does, both "answered" and "did not answer" stay possible for every person."""

import pytest

from flourish.lib import live

from . import livecheck


@pytest.mark.parametrize("groups, k, depth, retract", [
    (["Health"] * 3, 2, 9, False),
    (["Health"] * 3, 2, 10, True),  # raters also delete their answers, unseen
    (["Health"] * 4, 3, 9, False),
    (["Health", "Health", "Health", "Social care"], 2, 8, False),
])
def test_no_history_makes_the_leader_certain_whether_someone_answered(groups, k, depth, retract):
    assert livecheck.leaks(groups, k, live.milestone_reached, depth=depth, retract=retract) == []


def test_the_checker_finds_the_leak_of_telling_a_group_with_only_k_asked():
    def without_k_plus_one(*, asked_ever, still_asked, answered, k):
        return still_asked >= 2 and answered >= k

    found = livecheck.leaks(["Health"] * 3, 2, without_k_plus_one, depth=8, retract=False)
    assert any("knows person" in leak and "has answered" in leak for leak in found)


def test_the_checker_finds_the_leak_of_one_person_left_after_withdrawals():
    def without_two_still_asked(*, asked_ever, still_asked, answered, k):
        return asked_ever >= k + 1 and answered >= k

    found = livecheck.leaks(["Health"] * 3, 2, without_two_still_asked, depth=9, retract=False)
    assert any("withdraw" in leak and "has answered" in leak for leak in found)


def test_a_milestone_needs_k_plus_one_asked_two_still_asked_and_k_answers():
    assert live.milestone_reached(asked_ever=4, still_asked=2, answered=3, k=3)
    assert not live.milestone_reached(asked_ever=3, still_asked=3, answered=3, k=3)
    assert not live.milestone_reached(asked_ever=4, still_asked=1, answered=3, k=3)
    assert not live.milestone_reached(asked_ever=4, still_asked=4, answered=2, k=3)


def test_the_table_says_not_told_for_a_group_that_can_never_be_told():
    rows = live.rows([
        live.GroupState("Health", asked=4, asked_ever=4, reached=True),
        live.GroupState("Social care", asked=4, asked_ever=4, reached=False),
        live.GroupState("Education", asked=3, asked_ever=3, reached=False),
    ], k=3)
    assert [r.status for r in rows] == [live.REACHED, live.NOT_YET, live.NOT_TOLD]
    assert live.report_expected(["Health"]) and not live.report_expected([])
