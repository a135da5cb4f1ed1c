"""Agreement before aggregation: rwg(j), ICC(1) and ICC(2) on small cases worked by hand,
and the decision a page shows ("may aggregate to a team score", or every reason why not).
"""

from __future__ import annotations

import math

import pytest

from flourish.pulse.core.agreement import ICC2_MIN, RWG_J_MIN, decide, icc, rwg_j, scale_score

# Four members of Priya's team answer three items on a 1..5 scale.
PRIYAS_TEAM = [[4, 4, 5], [4, 5, 5], [5, 4, 4], [3, 4, 5]]


def test_rwg_j_of_a_team_that_agrees_matches_the_hand_computation():
    # item variances 2/3, 1/4, 1/4 → mean 7/18; σ²_EU = (5² − 1)/12 = 2; ratio 7/36
    # rwg(j) = 3·(29/36) / (3·(29/36) + 7/36) = 87/94
    assert rwg_j(PRIYAS_TEAM, 5) == pytest.approx(87 / 94, abs=1e-12)


def test_rwg_j_is_zero_when_members_disagree_more_than_chance():
    split = [[1, 1, 1], [5, 5, 5], [1, 1, 1], [5, 5, 5]]  # variance 16/3 > 2
    assert rwg_j(split, 5) == 0.0


def test_rwg_j_is_one_when_everyone_answers_the_same():
    assert rwg_j([[3, 4], [3, 4], [3, 4]], 5) == 1.0


def test_rwg_j_leaves_out_cant_say_answers_and_items_fewer_than_two_answered():
    with_gaps = [[4, None, 5], [4, 2, 5], [5, None, 4], [3, None, 5]]
    # item 2 has one answer and drops out; items 1 and 3: variances 2/3 and 1/4 → mean 11/24
    ratio = (11 / 24) / 2
    assert rwg_j(with_gaps, 5) == pytest.approx(2 * (1 - ratio) / (2 * (1 - ratio) + ratio))
    assert rwg_j([[4, 5]], 5) is None


def test_icc1_and_icc2_of_three_unequal_teams_match_the_one_way_anova_by_hand():
    result = icc({"Ash": [1, 2, 3], "Birch": [4, 5, 6], "Cedar": [2, 2, 2, 3]})
    assert result is not None
    # grand mean 3; SSB = 3·1 + 3·4 + 4·(0.75)² = 17.25 (df 2); SSW = 2 + 2 + 0.75 = 4.75 (df 7)
    assert result.msb == pytest.approx(8.625) and result.msw == pytest.approx(4.75 / 7)
    assert result.k0 == pytest.approx((10 - 34 / 10) / 2)  # 3.3
    assert result.icc1 == pytest.approx((8.625 - 4.75 / 7) / (8.625 + 2.3 * 4.75 / 7))
    assert result.icc2 == pytest.approx((8.625 - 4.75 / 7) / 8.625)
    assert result.f == pytest.approx(8.625 / (4.75 / 7))


def test_icc_needs_two_teams_and_a_residual():
    assert icc({"Ash": [1, 2, 3]}) is None
    assert icc({"Ash": [1], "Birch": [2]}) is None


def test_icc1_is_negative_when_teams_differ_less_than_chance():
    result = icc({"Ash": [1, 5], "Birch": [1.5, 5], "Cedar": [2, 4]})
    assert result is not None and result.icc1 < 0


def test_a_team_that_agrees_in_a_reliable_measure_may_aggregate():
    reliability = icc({"Ash": [1, 2, 3], "Birch": [4, 5, 6], "Cedar": [2, 2, 2, 3]})
    decision = decide(4, rwg_j(PRIYAS_TEAM, 5), reliability)
    assert decision.allowed and decision.reasons == ()


def test_every_failed_threshold_is_named_with_its_value():
    weak = icc({"Ash": [1, 5, 3], "Birch": [2, 4, 3.2], "Cedar": [1, 5, 3.1]})
    assert weak is not None
    decision = decide(2, 0.52, weak)
    assert not decision.allowed
    assert decision.reasons[0] == "fewer than 3 people answered"
    assert decision.reasons[1] == "people in the team do not agree enough (rwg(j) = .52; needs .70)"
    assert "ICC(1) is not above 0" in decision.reasons[2]
    assert decision.reasons[3].startswith("team means are not reliable enough to compare teams (ICC(2) = ")
    assert decision.reasons[3].endswith("needs .60)")


def test_the_thresholds_are_the_published_ones():
    assert (RWG_J_MIN, ICC2_MIN) == (0.70, 0.60)


def test_without_enough_teams_the_decision_says_so():
    decision = decide(5, 0.9, None)
    assert decision.reasons == ("there are not enough teams to tell whether teams differ (ICC)",)


def test_identical_team_means_give_no_icc2_and_refuse():
    flat = icc({"Ash": [1, 3], "Birch": [3, 1]})
    assert flat is not None and math.isnan(flat.icc2) and flat.icc1 == pytest.approx(-1.0)
    assert "ICC(2) = undefined" in decide(5, 0.9, flat).reasons[-1]


def test_a_members_scale_score_skips_cant_say():
    assert scale_score([4, None, 5]) == 4.5
    assert scale_score([None, None]) is None
