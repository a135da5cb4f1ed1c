"""Item 6 of issue 10: a published n must not reveal whether fewer than k identifiable
people chose "not able to observe". Checked on the issue's own case and by the
independent brute-force checker."""

from __future__ import annotations

import json

from hypothesis import given

from flourish.lib.ledger import exposed as ledger_exposed
from flourish.lib.report import Process, Respondent, Rules, build_report, report_equations
from flourish.lib.tests.leakcheck import answered_rows, check_report, exposed
from flourish.lib.tests.test_disclosure_properties import PROCESSES, SETTINGS, cycle

CARE = Process("care", "Caring", "main", ("c1", "c2", "c3", "c4"))


def rater(profession, answers):
    return Respondent("other", profession, "peer", dict(zip(CARE.item_ids, answers)))


# Three health visitors answer everything; the one social worker cannot observe c4.
HEALTH_AND_ONE_SOCIAL_WORKER = [rater("health visitor", [4, 4, 4, 4]) for _ in range(3)] + [
    rater("social worker", [3, 3, 3, None])
]


def test_an_item_n_beside_a_group_n_does_not_tell_the_leader_the_social_worker_could_not_observe():
    report = build_report([CARE], HEALTH_AND_ONE_SOCIAL_WORKER, Rules(), salt="s")
    item = report["processes"][0]["items"][3]
    assert item["others"]["n"] == 3  # "someone of the four did not answer" stays visible
    # but no health-visitor figure of n = 3 beside it, which would name the social worker
    assert "health visitor" not in item["groups"]["profession"]
    assert check_report(report, [CARE], HEALTH_AND_ONE_SOCIAL_WORKER, Rules()) == []


def test_the_checker_flags_the_leaky_n_that_todays_main_published():
    report = build_report([CARE], HEALTH_AND_ONE_SOCIAL_WORKER, Rules(), salt="s")
    leaky = json.loads(json.dumps(report))
    leaky["processes"][0]["items"][3]["groups"]["profession"]["health visitor"] = {"score": 4.0, "n": 3}
    problems = check_report(leaky, [CARE], HEALTH_AND_ONE_SOCIAL_WORKER, Rules())
    assert any("derivable by subtraction" in p and "3)" in p for p in problems)


def test_answered_choices_of_a_big_group_stay_hidden_when_only_the_whole_n_is_shown():
    people = [rater("health visitor", [4, 4, 4, None if i == 0 else 4]) for i in range(5)]
    report = build_report([CARE], people, Rules(), salt="s")
    rows = answered_rows(CARE, report["processes"][0], people)
    assert rows and exposed(rows, list(range(5)), 3, set()) == []
    assert check_report(report, [CARE], people, Rules()) == []



@SETTINGS
@given(cycle())
def test_what_a_report_gives_away_as_ledger_equations_exposes_nobody(data):
    """The report's equations (values and n's) are the ledger's view of a released report;
    the ledger's audit must agree with the report's own decision."""
    people, rules = data
    others = [r for r in people if r.role == "other"]
    keys = [f"R{j}" for j in range(len(others))]
    managers = {f"R{j}" for j, r in enumerate(others) if r.relationship == "line manager"}
    lm_shown = rules.show_line_manager and managers and all(
        r.line_manager_consented for r in others if r.relationship == "line manager")
    equations = report_equations(PROCESSES, people, keys, rules)
    assert ledger_exposed(equations, rules.k, allowed=managers if lm_shown else ()) == []
