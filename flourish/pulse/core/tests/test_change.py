"""Change between waves is given only where both waves' figures are shown, with both n's."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flourish.pulse.core.change import team_change
from flourish.pulse.core.indices import fast_network_indices, map_arrays, wave_indices
from flourish.pulse.core.instrument import latest_path, load_file
from flourish.pulse.core.scores import ALL
from flourish.pulse.core.simulate import simulate_wave
from flourish.pulse.core.tests.test_network import MAPS, PROFESSIONS, three_of_each

PULSE = load_file(latest_path())


@pytest.fixture(scope="module")
def waves():
    return wave_indices(PULSE, simulate_wave(teams=60, team_size=8, seed=1)), \
        wave_indices(PULSE, simulate_wave(teams=60, team_size=8, seed=2))


def test_a_score_shown_in_both_waves_changes_by_the_difference_of_the_two(waves):
    before, after = waves
    seen = 0
    for team in before:
        change = team_change(before[team], after[team])
        for key, c in change.scores.items():
            a, b = before[team].scores.scores[key], after[team].scores.scores[key]
            assert (c.n_before, c.n_after) == (a.n, b.n)
            if a.mean is not None and b.mean is not None:
                assert c.change == pytest.approx(b.mean - a.mean)
                seen += 1
            else:
                assert c.change is None
    assert seen


def test_a_score_withheld_in_either_wave_has_no_change(waves):
    before, after = waves
    withheld = [(t, k) for t in before for k, s in before[t].scores.scores.items() if s.mean is None]
    assert withheld
    team, key = withheld[0]
    change = team_change(before[team], after[team]).scores[key]
    assert change.before is None and change.change is None


def test_a_matrix_cell_changes_only_where_it_is_shown_in_both_waves(waves):
    before, after = waves
    for team in before:
        for key, c in team_change(before[team], after[team]).matrix.items():
            a, b = before[team].matrix.cells.get(key), after[team].matrix.cells.get(key)
            if a is not None and b is not None:
                assert c.change == pytest.approx(b.mean - a.mean) and (c.n_before, c.n_after) == (a.n, b.n)
            else:
                assert c.change is None


def _with_networks(before, after):
    base = wave_indices(PULSE, simulate_wave(teams=1, team_size=4, seed=3))["team0001"]
    return replace(base, professions=before), replace(base, professions=after)


def test_the_collaboration_maps_e_i_index_change_from_the_hand_worked_team():
    maps = {"T": MAPS}
    before = fast_network_indices(*map_arrays(maps, {"T": PROFESSIONS}, "profession"))["T"]
    after = fast_network_indices(*map_arrays({"T": three_of_each(MAPS)[:6]}, {"T": PROFESSIONS},
                                             "profession"))["T"]
    change = team_change(*_with_networks(before, after))
    # before: E 5, I 5 (test_network); after, three copies of each nurse: E 3, I 6
    assert change.network["profession"]["ei"].before == 0.0
    assert change.network["profession"]["ei"].change == pytest.approx(-1 / 3)
    assert change.network["profession"]["ei"].n_before == 5 and change.network["profession"]["ei"].n_after == 6


def test_two_different_teams_are_refused(waves):
    before, after = waves
    with pytest.raises(ValueError, match="different teams"):
        team_change(before["team0001"], after["team0002"])
    assert ALL in team_change(before["team0001"], after["team0001"]).scores
