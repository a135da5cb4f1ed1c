"""The model test as the research app shows it: the common-method guard says which guard it used and
removes the planted bias, the before/after comparison leaves out teams below k, the power note
uses the study's own ICC, and the method note says plainly what the analysis cannot show."""

from __future__ import annotations

import pandas as pd
import pytest

from flourish.pulse.core.multilevel import frame
from flourish.pulse.core.nested import fit_nested
from flourish.pulse.core.power import teams_needed
from flourish.pulse.core.simulate import PLANTED, simulate
from flourish.pulse.core.study import (
    BOTH,
    MIN_LAG_DAYS,
    OTHER_RESPONDENTS,
    TIME_LAG,
    guard,
    method_note,
    model_test,
    plan_change,
    power_notes,
)


@pytest.fixture(scope="module")
def study():
    return frame(simulate())


@pytest.fixture(scope="module")
def large():
    """600 teams in 30 organisations: enough to see the common-method bias the simulator plants."""
    return frame(simulate(organisations=30, teams_per_organisation=20))


def test_the_guard_prefers_respondents_who_did_not_rate_the_leader_and_says_so(study):
    kept, used = guard(study)
    assert used.method == OTHER_RESPONDENTS
    assert not kept["also_rater"].any() and used.rows_used == len(kept) == (~study["also_rater"]).sum()
    assert used.rows_used + used.rows_left_out == len(study)
    assert "did not rate the leader" in used.text and f"{len(kept):,} of {len(study):,}" in used.text


def test_without_rater_information_the_guard_falls_back_on_the_time_lag(study):
    kept, used = guard(study.drop(columns=["also_rater"]))
    assert used.method == TIME_LAG
    assert (kept["lag_days"] >= MIN_LAG_DAYS).all() and len(kept) == (study["lag_days"] >= MIN_LAG_DAYS).sum()
    assert f"at least {MIN_LAG_DAYS} days" in used.text


def test_both_guards_together_keep_only_rows_passing_each(study):
    kept, used = guard(study, BOTH)
    assert used.method == BOTH
    assert len(kept) == ((~study["also_rater"]) & (study["lag_days"] >= MIN_LAG_DAYS)).sum()


def test_respondents_whose_overlap_is_unknown_are_left_out_by_the_rater_guard(study):
    data = study.copy()
    data["also_rater"] = data["also_rater"].astype(object)
    data.loc[data.index[:100], "also_rater"] = None
    kept, _ = guard(data, OTHER_RESPONDENTS)
    assert len(kept) == (~study["also_rater"].iloc[100:]).sum()


def test_without_either_guard_the_model_test_is_refused_saying_why(study):
    bare = study.drop(columns=["also_rater", "lag_days"])
    with pytest.raises(ValueError, match="no common-method guard can be used"):
        model_test(bare)
    with pytest.raises(ValueError, match="needs lag_days"):
        guard(study.drop(columns=["lag_days"]), TIME_LAG)
    with pytest.raises(ValueError, match="the guard must be one of"):
        guard(study, "trust me")


def test_each_guard_removes_the_planted_common_method_bias_the_unguarded_fit_keeps(large):
    unguarded = fit_nested(large).fixed["leader_main"]
    assert unguarded.low > PLANTED["leader_main"]  # the halo of respondents who also rated the leader
    for method in (OTHER_RESPONDENTS, TIME_LAG, BOTH):
        main = {e.name: e for e in model_test(large, method).effects}["leader_main"]
        assert main.low < PLANTED["leader_main"] < main.high, method
        assert main.estimate < unguarded.estimate, method


def test_the_plan_comparison_recovers_the_planted_change_on_a_large_study(large):
    change = plan_change(large)
    assert change.low < PLANTED["plan"] < change.high
    assert change.with_plan.teams + change.without_plan.teams == 600 and change.teams_left_out == 0
    assert change.with_plan.before < change.with_plan.after


def test_teams_below_k_in_a_wave_are_left_out_of_the_plan_comparison_and_counted(study):
    team = study["team"].iloc[0]
    thin = study[~((study["team"] == team) & (study["wave"] == 1))]
    thin = pd.concat([thin, study[(study["team"] == team) & (study["wave"] == 1)].head(2)])
    change = plan_change(thin)
    assert change.teams_left_out == 1
    assert change.with_plan.teams + change.without_plan.teams == 79
    assert "1 team is left out: it lacks 3 or more answers in one of the waves." in change.text


def test_the_plan_comparison_refuses_data_it_cannot_use(study):
    with pytest.raises(ValueError, match="the data need the columns plan"):
        plan_change(study.drop(columns=["plan"]))
    with pytest.raises(ValueError, match="k must be at least 3"):
        plan_change(study, k=1)
    with pytest.raises(ValueError, match="needs two waves"):
        plan_change(study[study["wave"] == 0])
    muddled = study.copy()
    muddled.loc[muddled.index[0], "plan"] = not muddled["plan"].iloc[0]
    with pytest.raises(ValueError, match="marked both with and without a plan"):
        plan_change(muddled)


def test_the_power_note_uses_the_studys_own_icc_and_team_size(study):
    test = model_test(study)
    notes = power_notes(test, effects=(0.19, 0.3))
    assert [n.effect for n in notes] == [0.19, 0.3]
    assert notes[0].icc == pytest.approx(test.icc) and notes[0].team_size == round(test.team_size)
    assert notes[0].teams == teams_needed(0.19, team_size=round(test.team_size), icc=test.icc).teams
    assert notes[0].teams > notes[1].teams  # a smaller effect needs more teams


def test_the_results_and_the_method_note_say_plainly_what_was_done_and_what_cannot_be_claimed(study):
    test = model_test(study, level=0.90)
    main = test.effects[0]
    assert test.text[0] == test.guard.text
    assert f"{main.estimate:+.2f} points (90% CI {main.low:+.2f} to {main.high:+.2f})" in test.text[2]
    note = method_note(test, plan_change(study))
    assert note[0] == "What this analysis can show" and "What it cannot show" in note
    assert test.guard.text in note
    said = " ".join(note)
    for claim in ("cannot show that the leaders caused it", "not yet validated", "not a trial"):
        assert claim in said
    assert "not a trial" not in " ".join(method_note(test))  # only said when there is a plan comparison


def test_standardised_effects_and_their_intervals_are_on_the_pulse_score_sd_per_leader_score_sd(study):
    test = model_test(study)
    kept, _ = guard(study)
    total_sd = sum(test.fit.variances.values()) ** 0.5
    for effect in test.effects[:2]:
        scale = kept[effect.name].std() / total_sd
        assert effect.standardised == pytest.approx(effect.estimate * scale, rel=1e-12)
        assert (effect.standardised_low, effect.standardised_high) == (pytest.approx(effect.low * scale, rel=1e-12),
                                                                        pytest.approx(effect.high * scale, rel=1e-12))
    wave = test.effects[2]
    assert wave.name == "wave" and wave.standardised is None and wave.standardised_low is None
