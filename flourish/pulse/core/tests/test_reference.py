"""Flourish's pulse computations against R on the simulated data set (bench/pulse_reference.R):
the multilevel model against lme4 (fixed effects to 1e-4, variance components to 1e-3), both
by statsmodels' MixedLM and by the fast nested REML, on equal and unequal teams and on the rows
each common-method guard keeps; the before/after comparison of development plans against R's
t.test; rwg(j) and ICC(1)/ICC(2) against R's own aov(), the collaboration-map indices against igraph.
The planted leader effect is recovered within its confidence interval once the guard is applied.

Regenerate the references: .venv/bin/python bench/pulse_data.py && Rscript bench/pulse_reference.R
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from flourish.pulse.core.agreement import icc, rwg_j
from flourish.pulse.core.multilevel import fit, frame
from flourish.pulse.core.nested import fit_nested
from flourish.pulse.core.network import MapAnswer, density, ego_graph, ei_index, group_graph, nobody_works_with
from flourish.pulse.core.power import teams_needed
from flourish.pulse.core.simulate import AGENCIES, PLANTED, PROFESSIONS, collaboration_maps, simulate
from flourish.pulse.core.study import OTHER_RESPONDENTS, TIME_LAG, guard, model_test, plan_change

ROOT = Path(__file__).resolve().parents[4]
DATA = Path(__file__).resolve().parent / "data"
REFERENCE = json.loads((DATA / "pulse_reference.json").read_text())


@pytest.fixture(scope="module")
def rows():
    return simulate()


ENGINES = {"statsmodels": fit, "nested": fit_nested}


@pytest.fixture(scope="module")
def fits(rows):
    whole = frame(rows)
    unequal = whole.drop(index=whole.index[::7])  # as the R script: every 7th row out
    others, lagged = guard(whole, OTHER_RESPONDENTS)[0], guard(whole, TIME_LAG)[0]
    return {(engine, case): fitter(data) for engine, fitter in ENGINES.items()
            for case, data in (("lmer", whole), ("lmer_unequal", unequal), ("lmer_others", others),
                               ("lmer_lagged", lagged))}


@pytest.fixture(scope="module")
def model(fits):
    return fits[("statsmodels", "lmer")]


MODELS = ("lmer", "lmer_unequal", "lmer_others", "lmer_lagged")
CASES = [(engine, case) for engine in ENGINES for case in MODELS]


@pytest.mark.parametrize(("engine", "case"), CASES)
def test_the_fixed_effects_and_their_standard_errors_match_lme4_to_1e_4(fits, engine, case):
    model, expected = fits[(engine, case)], REFERENCE[case]
    assert model.n_rows == expected["n_rows"]
    for name, value in expected["fixed"].items():
        assert model.fixed[name].estimate == pytest.approx(value, abs=1e-4), name
        assert model.fixed[name].se == pytest.approx(expected["se"][name], abs=1e-4), name


@pytest.mark.parametrize(("engine", "case"), CASES)
def test_the_variance_components_match_lme4_to_1e_3(fits, engine, case):
    model, expected = fits[(engine, case)], REFERENCE[case]
    for name, value in expected["variances"].items():
        assert model.variances[name] == pytest.approx(value, abs=1e-3), name
    assert model.reml_criterion == pytest.approx(expected["reml_criterion"], abs=1e-3)
    assert model.converged


@pytest.mark.parametrize("case", MODELS)
def test_the_fast_nested_fit_matches_lme4_far_more_closely_than_asked(fits, case):
    model, expected = fits[("nested", case)], REFERENCE[case]
    for name, value in expected["fixed"].items():
        assert model.fixed[name].estimate == pytest.approx(value, abs=1e-6), name
    for name, value in expected["variances"].items():
        assert model.variances[name] == pytest.approx(value, abs=1e-6), name


def test_the_simulated_study_has_80_teams_in_8_organisations(model):
    assert (model.n_rows, model.n_teams, model.n_organisations) == (1920, 80, 8)


@pytest.mark.parametrize("engine", ["nested", "statsmodels"])
@pytest.mark.parametrize("method", [OTHER_RESPONDENTS, TIME_LAG])
def test_the_planted_leader_effect_is_recovered_within_its_confidence_interval(rows, engine, method):
    test = model_test(frame(rows), method, engine=engine)
    assert test.guard.method == method and test.engine == engine
    effects = {e.name: e for e in test.effects}
    for name in ("leader_main", "leader_borderline"):
        assert effects[name].low < PLANTED[name] < effects[name].high, name
    # the wave term also carries the plans' planted change, in the share of teams that had one
    plans = {r.team: r.plan for r in rows}
    expected_wave = PLANTED["wave"] + PLANTED["plan"] * sum(plans.values()) / len(plans)
    assert effects["wave"].low < expected_wave < effects["wave"].high
    # and the main processes' effect is clearly there: its interval excludes 0
    assert effects["leader_main"].low > 0
    assert 0 < effects["leader_main"].standardised_low < effects["leader_main"].standardised
    assert effects["leader_main"].standardised < effects["leader_main"].standardised_high < 1


def test_the_plan_comparison_matches_rs_welch_t_test_and_recovers_the_planted_change(rows):
    change, expected = plan_change(frame(rows)), REFERENCE["plan_change"]
    for name in ("difference", "low", "high", "df", "se"):
        assert getattr(change, name) == pytest.approx(expected[name], abs=1e-10), name
    for group in ("with_plan", "without_plan"):
        for name in ("teams", "change", "low", "high"):
            assert getattr(getattr(change, group), name) == pytest.approx(expected[group][name], abs=1e-10)
    assert change.low < PLANTED["plan"] < change.high


def test_the_data_file_r_reads_is_what_the_simulator_gives(rows):
    with open(DATA / "simulated_pulse.csv", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert len(written) == len(rows)
    for line, row in zip(written, rows):
        assert (line["team"], int(line["wave"]), float(line["score"]), line["plan"], line["also_rater"],
                int(line["lag_days"])) == (row.team, row.wave, pytest.approx(row.score, abs=1e-11),
                                           str(int(row.plan)), str(int(bool(row.also_rater))), row.lag_days)
        assert float(line["leader_main"]) == row.leader_main


def test_rwg_j_and_icc_match_r_on_every_team_and_wave(rows):
    for wave, expected in REFERENCE["agreement"].items():
        in_wave = [r for r in rows if r.wave == int(wave)]
        teams = sorted({r.team for r in in_wave})
        for team in teams:
            members = [list(r.answers) for r in in_wave if r.team == team]
            assert rwg_j(members, 5) == pytest.approx(expected["rwg_j"][team], abs=1e-10), (wave, team)
        result = icc({t: [r.score for r in in_wave if r.team == t] for t in teams})
        assert result is not None
        assert result.icc1 == pytest.approx(expected["icc1"], abs=1e-10)
        assert result.icc2 == pytest.approx(expected["icc2"], abs=1e-10)
        assert result.msb == pytest.approx(expected["msb"], abs=1e-10)


@pytest.mark.parametrize("case", REFERENCE["power"], ids=lambda c: f"d={c['effect']},n={c['team_size']}")
def test_the_teams_needed_match_rs_noncentral_t_search(case):
    note = teams_needed(case["effect"], team_size=int(case["team_size"]), icc=case["icc"])
    assert note.teams == case["teams"]


def team_maps(team):
    members = [m for m in collaboration_maps() if m.team == team]
    professions = {p: sum(m.profession == p for m in members) for p in PROFESSIONS}
    agencies = {a: sum(m.agency == a for m in members) for a in AGENCIES}
    roster = ({p: n for p, n in professions.items() if n}, {a: n for a, n in agencies.items() if n})
    answers = [MapAnswer(m.respondent, m.profession, m.agency,
                         {p: f for p, f in zip(PROFESSIONS, m.with_professions) if p in roster[0]},
                         {a: f for a, f in zip(AGENCIES, m.with_agencies) if a in roster[1]}) for m in members]
    return answers, roster


@pytest.mark.parametrize("team", sorted(REFERENCE["maps"]))
def test_the_collaboration_map_indices_match_igraph(team):
    answers, (professions, agencies) = team_maps(team)
    for dimension, roster in (("profession", professions), ("agency", agencies)):
        expected = REFERENCE["maps"][team][dimension]
        whole, per_group = ei_index(ego_graph(answers, dimension, roster))
        assert whole == pytest.approx(expected["ei"], abs=1e-12)
        assert per_group == pytest.approx(expected["ei_groups"], abs=1e-12)
        graph = group_graph(ego_graph(answers, dimension, roster))
        assert density(graph) == pytest.approx(expected["density"], abs=1e-12)
        assert nobody_works_with(graph) == sorted(expected["nobody"])
