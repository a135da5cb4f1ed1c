"""Team pulse scores: shown with their n where the team agrees and teams differ, and
otherwise withheld with the reasons, for the whole pulse and for each domain."""

from __future__ import annotations

import pytest

from flourish.pulse.core.agreement import RWG_J_MIN
from flourish.pulse.core.instrument import latest_path, load_file
from flourish.pulse.core.scores import ALL, team_scores

PULSE = load_file(latest_path())
IDS = [item.id for item in PULSE.items]


def everyone(value, **changes):
    return {**{i: value for i in IDS}, **changes}


def wave():
    # Ash agrees that things work well, Birch that they do not; Cedar's three members disagree.
    return {
        "Ash": [everyone(5), everyone(5, **{"purpose-1": 4}), everyone(4)],
        "Birch": [everyone(2), everyone(2, **{"roles-2": 3}), everyone(1)],
        "Cedar": [everyone(1), everyone(5), everyone(3)],
    }


def test_teams_that_agree_get_their_scores_with_their_n():
    scores = team_scores(PULSE, wave())
    ash = scores["Ash"].scores[ALL]
    assert ash.aggregation.allowed and ash.n == 3
    assert ash.mean == pytest.approx((5 + (5 * 13 + 4) / 14 + 4) / 3)
    assert scores["Birch"].scores["roles"].mean == pytest.approx((2 + 2.5 + 1) / 3)


def test_a_team_that_disagrees_is_withheld_saying_why():
    cedar = team_scores(PULSE, wave())["Cedar"].scores[ALL]
    assert cedar.mean is None and cedar.n == 3
    assert cedar.aggregation.rwg_j == 0.0 < RWG_J_MIN
    assert cedar.aggregation.reasons[0].startswith("people in the team do not agree enough")


def test_a_team_below_k_is_withheld_whatever_it_agrees():
    responses = {**wave(), "Ash": wave()["Ash"][:2]}
    ash = team_scores(PULSE, responses)["Ash"].scores[ALL]
    assert ash.mean is None and "fewer than 3 people answered" in ash.aggregation.reasons


def test_every_domain_is_scored_and_cant_say_answers_are_skipped():
    responses = wave()
    responses["Ash"][0] = everyone(5, **{"families-1": None, "families-2": None})
    ash = team_scores(PULSE, responses)["Ash"].scores
    assert set(ash) == {ALL, *PULSE.domains}
    assert ash["families"].n == 2  # the first member answered neither families item


def test_when_teams_do_not_differ_no_team_score_is_shown():
    same = {team: [everyone(3), everyone(4), everyone(3)] for team in ("Ash", "Birch", "Cedar")}
    for team in team_scores(PULSE, same).values():
        assert team.scores[ALL].mean is None
        assert any("ICC(2)" in reason for reason in team.scores[ALL].aggregation.reasons)


def test_an_answer_to_an_item_the_pulse_does_not_have_is_refused_naming_team_and_response():
    responses = wave()
    responses["Birch"][1] = everyone(3, **{"made-up": 4})
    with pytest.raises(ValueError, match="team Birch, response 2: made-up is not an item of team-integration-pulse"):
        team_scores(PULSE, responses)
