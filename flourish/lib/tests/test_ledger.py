"""The ledger's joint audit: everything one audience was shown, decided together, checked
against the independent brute force of leakcheck."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from flourish.lib.ledger import Figure, exposed, may_release, sum_of
from flourish.lib.tests.leakcheck import exposed as brute_exposed

LEADERS = "ABCDEFG"


def mean_over(leaders: str, quantity: str = "self:think") -> Figure:
    return sum_of({f"leader:{x}": f"{quantity}@v1" for x in leaders})


def test_the_three_step_cohort_attack_is_refused_at_the_third_step():
    shown = [mean_over("ABCD"), mean_over("EFG")]
    assert may_release([mean_over("ABCD")], mean_over("EFG"), 3)
    assert not may_release(shown, mean_over("ABCEFG"), 3)
    assert exposed([*shown, mean_over("ABCEFG")], 3) == [frozenset({"leader:D"})]


def test_no_pair_of_the_three_releases_isolates_anyone_which_is_why_pairwise_rules_missed_it():
    releases = [mean_over("ABCD"), mean_over("EFG"), mean_over("ABCEFG")]
    for i in range(3):
        for j in range(i + 1, 3):
            assert exposed([releases[i], releases[j]], 3) == []


def test_different_quantities_never_combine_but_the_same_leader_across_versions_does():
    assert exposed([mean_over("ABC", "self:think"), mean_over("ABCD", "self:flow")], 3) == []
    newer = sum_of({"leader:A": "self:think@v2", "leader:B": "self:think@v1", "leader:C": "self:think@v1"})
    assert exposed([mean_over("ABC"), newer], 3) == [frozenset({"leader:A"})]


def test_what_the_audience_knows_in_full_is_subtracted_before_the_audit():
    # a facilitator who is a member knows their own score: the other two are then exposed
    assert exposed([mean_over("ABC")], 3) == []
    assert exposed([mean_over("ABC")], 3, known={"leader:A"}) == [frozenset({"leader:B", "leader:C"})]


def test_figures_released_before_the_audit_do_not_block_every_later_figure():
    leaky = [mean_over("ABCD"), mean_over("ABC")]
    assert may_release(leaky, mean_over("EFG"), 3)


def _to_rows(figures: list[Figure]) -> tuple[list[dict], list[str]]:
    rows = [{(r, v): Fraction(c) for r, v, c in f.terms} for f in figures]
    people = sorted({r for f in figures for r in f.respondents})
    return rows, people


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sets(st.sampled_from(LEADERS), min_size=1), min_size=1, max_size=5), st.integers(3, 4))
def test_the_ledger_agrees_with_the_brute_force_checker(groups, k):
    figures = [mean_over("".join(sorted(g))) for g in groups]
    rows, people = _to_rows(figures)
    brute = brute_exposed(rows, people, k, set())
    ours = exposed(figures, k)
    # leakcheck lists one exposed set per branch of its walk; ours lists the minimal ones
    assert bool(brute) == bool(ours)
    for found in brute:
        assert any(mine <= set(found) for mine in ours)
    for mine in ours:
        assert len(mine) < k and brute_exposed(rows, sorted(mine), k, set())
