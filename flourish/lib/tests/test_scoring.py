"""The scoring rules of DESIGN.md, on hand-computed examples."""

import math

from hypothesis import given
from hypothesis import strategies as st

from flourish.lib import scoring


def test_a_process_score_is_the_mean_of_answered_items():
    assert scoring.respondent_process_score([4, 5, None, 3]) == 4.0


def test_a_process_score_needs_at_least_half_of_the_items_rounded_up():
    assert scoring.respondent_process_score([4, 5, None, None]) == 4.5
    assert scoring.respondent_process_score([4, None, None, None]) is None
    assert scoring.respondent_process_score([4, None, None]) is None  # 1 of 3 < ceil(1.5)=2
    assert scoring.respondent_process_score([4, 2, None]) == 3.0
    assert scoring.respondent_process_score([]) is None


def test_a_group_score_weighs_each_person_equally():
    group = scoring.group_score([5.0, 3.0, None, 4.0])
    assert group == scoring.GroupScore(score=4.0, n=3)
    assert scoring.group_score([None]) is None


def test_gaps_name_blind_spots_and_hidden_strengths_by_the_margin():
    assert scoring.gap_kind(4.5, 4.0, 0.5) == scoring.BLIND_SPOT
    assert scoring.gap_kind(3.6, 4.0, 0.5) is None
    assert scoring.gap_kind(3.0, 4.0, 0.5) == scoring.HIDDEN_STRENGTH
    assert scoring.gap_kind(None, 4.0, 0.5) is None


def test_reach_is_the_spread_of_shown_professional_groups():
    assert scoring.reach([3.0, 4.5, 4.0]) == 1.5
    assert scoring.reach([3.0]) is None


def test_strongest_and_least_developed_include_ties():
    strongest, weakest = scoring.strongest_and_least_developed({"a": 4, "b": 4, "c": 2, "d": None})
    assert strongest == ["a", "b"] and weakest == ["c"]


@given(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=1, max_size=8))
def test_the_score_is_present_exactly_when_enough_items_were_answered(values):
    answered = [v for v in values if v is not None]
    score = scoring.respondent_process_score(values)
    if len(answered) >= math.ceil(len(values) / 2) and answered:
        assert math.isclose(score, sum(answered) / len(answered))
        assert 1 <= score <= 5
    else:
        assert score is None
