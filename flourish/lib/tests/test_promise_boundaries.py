"""The exact edges of the report's promises: the margin, the importance scale, the defaults,
the all-tied and all-unscored profiles. Each of these once let a mutant of flourish/lib pass
the whole suite (issue 12); each test below fails against that mutant."""

from __future__ import annotations

import pytest

from flourish.lib import scoring
from flourish.lib.report import Process, Respondent, Rules, build_report, enough_others
from flourish.lib.tests.leakcheck import check_report

THINK = Process("think", "Thinking Systematically", "main", ("t1", "t2"))
BUILD = Process("build", "Building and re-building relationships", "main", ("b1", "b2"))
PROCESSES = [THINK, BUILD]


def leader(think=None, build=None):
    return Respondent("self", "leader", "self", {"t1": think, "t2": think, "b1": build, "b2": build})


def colleague(think=4, build=4, profession="teacher", relationship="peer", consented=False):
    return Respondent("other", profession, relationship, {"t1": think, "t2": think, "b1": build, "b2": build},
                      line_manager_consented=consented)


def built(people, rules=None, **kw):
    args = (PROCESSES, people) if rules is None else (PROCESSES, people, rules)
    report = build_report(*args, salt="release-1", **kw)
    assert check_report(report, PROCESSES, people, rules or Rules()) == []
    return report


def process(report, pid="think"):
    return next(p for p in report["processes"] if p["id"] == pid)


# --- the gap margin ---------------------------------------------------------------------------

def test_others_exactly_the_margin_above_the_leader_is_a_hidden_strength():
    assert scoring.gap_kind(3.5, 4.0, 0.5) == scoring.HIDDEN_STRENGTH
    assert scoring.gap_kind(4.0, 3.5, 0.5) == scoring.BLIND_SPOT


def test_a_gap_just_inside_the_margin_is_no_gap_either_way():
    assert scoring.gap_kind(3.51, 4.0, 0.5) is None
    assert scoring.gap_kind(4.0, 3.51, 0.5) is None


def test_a_margin_lost_to_binary_rounding_still_counts_as_the_margin():
    # 4.1 - 3.6 is 0.49999999999999956 in floating point: still exactly the margin.
    assert scoring.gap_kind(4.1, 3.6, 0.5) == scoring.BLIND_SPOT
    assert scoring.gap_kind(3.6, 4.1, 0.5) == scoring.HIDDEN_STRENGTH


def test_the_report_names_a_hidden_strength_at_exactly_the_default_margin():
    report = built([leader(think=3, build=4)] + [colleague(think=s) for s in (3, 4, 3, 4)])
    gap = process(report)["gap"]
    assert gap == {"difference": -0.5, "kind": scoring.HIDDEN_STRENGTH}
    assert process(report, "build")["gap"]["kind"] is None


# --- importance runs from 1 to 5 -------------------------------------------------------------

@pytest.mark.parametrize("value", [1, 5])
def test_importance_at_either_end_of_the_scale_is_kept(value):
    report = built([leader(think=3)] + [colleague()] * 3, importance={"think": value})
    assert process(report)["importance"] == value


@pytest.mark.parametrize("value", [0, 6, True, 2.5])
def test_importance_off_the_scale_is_refused_with_the_process_named(value):
    with pytest.raises(ValueError, match="importance of 'think' must be a whole number from 1 to 5"):
        build_report(PROCESSES, [colleague()] * 3, importance={"think": value}, salt="x")


# --- the defaults are the safe ones ------------------------------------------------------------

def test_by_default_the_rules_are_k_three_margin_half_and_no_line_manager():
    assert Rules() == Rules(k=3, comment_k=3, gap_margin=0.5, show_line_manager=False)
    report = build_report(PROCESSES, [colleague()] * 3, salt="x")
    assert report["rules"] == {"k": 3, "comment_k": 3, "gap_margin": 0.5, "show_line_manager": False}


def test_by_default_a_consenting_line_manager_is_not_shown_on_their_own():
    people = [colleague(think=1, relationship="line manager", consented=True)] + [colleague()] * 3
    groups = process(built(people))["groups"]["relationship"]
    assert "line manager" not in groups


def test_a_line_manager_who_was_never_asked_has_not_consented():
    people = [Respondent("other", "teacher", "line manager", {"t1": 1, "t2": 1, "b1": 1, "b2": 1})]
    people += [colleague()] * 3
    groups = process(built(people, Rules(show_line_manager=True)))["groups"]["relationship"]
    assert "line manager" not in groups


def test_with_the_organisation_enabling_it_the_consenting_line_manager_is_shown():
    people = [colleague(think=1, relationship="line manager", consented=True)] + [colleague()] * 3
    groups = process(built(people, Rules(show_line_manager=True)))["groups"]["relationship"]
    assert groups["line manager"] == {"score": 1.0, "n": 1}


def test_a_cycle_may_be_released_with_three_others_by_default_but_not_two():
    assert enough_others([colleague()] * 3)
    assert not enough_others([leader(think=3)] + [colleague()] * 2)


# --- all tied, all unscored ----------------------------------------------------------------------

def test_when_every_process_ties_all_are_strongest_and_none_least_developed():
    assert scoring.strongest_and_least_developed({"think": 4.0, "build": 4.0}) == (["think", "build"], [])


def test_a_profile_with_nothing_scored_has_no_strongest_and_no_least_developed():
    assert scoring.strongest_and_least_developed({"think": None, "build": None}) == ([], [])
    assert scoring.strongest_and_least_developed({}) == ([], [])


def test_one_scored_process_is_strongest_and_the_unscored_are_neither():
    assert scoring.strongest_and_least_developed({"think": 2.0, "build": None}) == (["think"], [])


def test_the_lowest_of_several_is_least_developed_with_its_ties():
    strongest, weakest = scoring.strongest_and_least_developed({"a": 5.0, "b": 2.0, "c": 2.0, "d": 3.0})
    assert (strongest, weakest) == (["a"], ["b", "c"])


def test_a_leader_who_scored_nothing_has_no_self_figure_and_no_gap():
    report = built([leader()] + [colleague()] * 3)
    assert report["respondents"]["self"] == 1
    for entry in report["processes"]:
        assert "self" not in entry and "gap" not in entry
        assert entry["others"] == {"score": 4.0, "n": 3}


def test_reach_of_exactly_two_professional_groups_is_their_difference():
    assert scoring.reach([2.0, 4.5]) == 2.5
    assert scoring.reach([]) is None


def test_half_the_items_answered_exactly_is_enough_and_one_fewer_is_not():
    assert scoring.minimum_answered(4) == 2 and scoring.minimum_answered(5) == 3
    assert scoring.respondent_process_score([2, 4, None, None]) == 3.0
    assert scoring.respondent_process_score([2, 4, None, None, None]) is None


def test_a_respondents_scores_follow_each_process_items_by_id():
    answers = {"t1": 2, "t2": 4, "b1": 5, "b2": None}
    scores = scoring.respondent_scores(answers, {"think": ["t1", "t2"], "build": ["b1", "b2"], "flow": ["f1"]})
    assert scores == {"think": 3.0, "build": 5.0, "flow": None}


# --- refusals name what is wrong ------------------------------------------------------------------

def test_each_minimum_below_three_is_refused_by_its_own_name():
    with pytest.raises(ValueError, match="^k must be at least 3"):
        Rules(k=2)
    with pytest.raises(ValueError, match="^comment_k must be at least 3"):
        Rules(comment_k=2)


@pytest.mark.parametrize("margin", [True, "0.5", -0.1])
def test_a_margin_that_is_not_a_number_of_at_least_zero_is_refused(margin):
    with pytest.raises(ValueError, match="gap_margin must be a number >= 0"):
        Rules(gap_margin=margin)


def test_a_margin_of_zero_is_allowed():
    assert Rules(gap_margin=0).gap_margin == 0


def test_a_process_keeps_its_items_as_a_tuple_and_refuses_empty_or_repeated_items():
    assert Process("think", "Thinking", "main", ["t1", "t2"]).item_ids == ("t1", "t2")
    with pytest.raises(ValueError, match="^process 'think' has no items$"):
        Process("think", "Thinking", "main", ())
    with pytest.raises(ValueError, match="^process 'think' lists an item twice$"):
        Process("think", "Thinking", "main", ("t1", "t1"))
