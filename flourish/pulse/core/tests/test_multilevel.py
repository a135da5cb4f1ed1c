"""The model test refuses data it cannot fit, saying what is missing, with either engine."""

from __future__ import annotations

import pytest

from flourish.pulse.core.multilevel import fit, frame
from flourish.pulse.core.nested import fit_nested
from flourish.pulse.core.simulate import simulate


@pytest.mark.parametrize("engine", [fit, fit_nested])
def test_a_missing_column_is_named(engine):
    data = frame(simulate(organisations=2, teams_per_organisation=2, team_size=3)).drop(columns=["leader_main"])
    with pytest.raises(ValueError, match="the data need the columns leader_main"):
        engine(data)


@pytest.mark.parametrize("engine", [fit, fit_nested])
def test_one_organisation_is_too_few_for_a_model_across_organisations(engine):
    data = frame(simulate(organisations=1, teams_per_organisation=10, team_size=4))
    with pytest.raises(ValueError, match="10 teams in 1 organisation are too few"):
        engine(data)


def test_rows_without_a_score_are_left_out_not_counted():
    data = frame(simulate(organisations=3, teams_per_organisation=4, team_size=5))
    data.loc[data.index[:10], "score"] = None
    assert fit_nested(data).n_rows == len(data) - 10
