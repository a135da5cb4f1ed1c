"""The disclosure rules (DESIGN.md "Disclosure rules (anonymity)") on small, readable cases."""

from __future__ import annotations

import pytest

from flourish.lib.disclosure import Member, decide, exposed_sets
from flourish.lib.report import Process, Respondent, Rules, build_report
from flourish.lib.tests.leakcheck import check_report

THINK = Process("think", "Thinking Systematically", "main", ("t1", "t2"))
PROCESSES = [THINK]


def rater(profession, relationship="peer", score=3, consented=False, comment=None):
    return Respondent(
        role="other",
        profession=profession,
        relationship=relationship,
        answers={"t1": score, "t2": score},
        comments={"think": comment} if comment else {},
        line_manager_consented=consented,
    )


def report(people, rules=Rules(), **kw):
    built = build_report(PROCESSES, people, rules, salt=kw.pop("salt", "release-1"), **kw)
    # Every case here must also pass the independent brute-force checker.
    assert check_report(built, PROCESSES, people, rules) == []
    return built


def groups(built, dimension="profession"):
    return built["processes"][0]["groups"][dimension]


# --- the minimum ---------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["k", "comment_k"])
@pytest.mark.parametrize("value", [2, 1, 0, -3])
def test_it_refuses_k_below_three(field, value):
    with pytest.raises(ValueError, match="at least 3"):
        Rules(**{field: value})


def test_it_refuses_a_minimum_that_is_not_a_whole_number():
    with pytest.raises(ValueError):
        Rules(k=3.5)
    with pytest.raises(ValueError):
        Rules(comment_k=True)
    with pytest.raises(ValueError):
        decide([Member("a", "peer")] * 3, 2)


def test_it_hides_groups_below_the_minimum():
    people = [rater("health visitor")] * 4 + [rater("teacher")] * 4 + [rater("social worker")] * 2
    people += [rater("nurse")]
    built = report(people)
    shown = groups(built)
    assert "social worker" not in shown and "nurse" not in shown
    assert all(figure["n"] >= 3 for figure in shown.values())


def test_it_hides_all_others_below_the_minimum():
    built = report([rater("teacher", score=2), rater("teacher", score=4)])
    process = built["processes"][0]
    assert "others" not in process and "gap" not in process
    assert process["groups"] == {"profession": {}, "relationship": {}}
    assert built["respondents"] == {"self": 0, "others": 2}
    assert built["suppressed"]["groups"] is True


def test_it_shows_all_others_at_the_minimum():
    built = report([rater("teacher", score=s) for s in (2, 3, 4)])
    assert built["processes"][0]["others"] == {"score": 3.0, "n": 3}


def test_it_pools_small_groups_into_other_raters():
    people = (
        [rater("health visitor", score=4)] * 3
        + [rater("teacher", score=2)] * 3
        + [rater("midwife", score=5)]
        + [rater("nurse", score=1)] * 2
    )
    shown = groups(report(people))
    assert shown["health visitor"] == {"score": 4.0, "n": 3}
    assert shown["teacher"] == {"score": 2.0, "n": 3}
    assert shown["Other raters"] == {"score": pytest.approx(7 / 3), "n": 3}
    assert "midwife" not in shown and "nurse" not in shown


def test_the_other_raters_pool_is_shown_only_if_it_reaches_the_minimum():
    # A pool of 2 would be "all others minus the shown groups": the smallest shown group
    # joins the pool until it reaches k, and no figure covers fewer than k people.
    people = [rater("teacher")] * 3 + [rater("health visitor")] * 4 + [rater("nurse")] * 2
    shown = groups(report(people))
    assert shown == {
        "health visitor": {"score": 3.0, "n": 4},
        "Other raters": {"score": 3.0, "n": 5},
    }


def test_it_never_lets_a_group_of_two_be_recovered_by_subtraction():
    # Naively: all others (8), health visitors (3) and teachers (3) shown would give the
    # two social workers' sum as all - HV - teachers. Their scores differ from the rest.
    people = (
        [rater("health visitor", score=4)] * 3
        + [rater("teacher", score=4)] * 3
        + [rater("social worker", score=1)] * 2
    )
    built = report(people)
    process = built["processes"][0]
    shown = groups(built)
    assert "social worker" not in shown
    total = process["others"]["score"] * process["others"]["n"]
    named = {name: g for name, g in shown.items() if name != "Other raters"}
    remainder_n = process["others"]["n"] - sum(g["n"] for g in named.values())
    assert remainder_n == 0 or remainder_n >= 3
    if remainder_n:
        remainder = total - sum(g["score"] * g["n"] for g in named.values())
        assert remainder / remainder_n != pytest.approx(1.0)


def test_it_never_lets_one_person_be_recovered_across_dimensions():
    # All three health visitors are team members; "team member" has four people, so
    # team member - health visitor would be the one teacher who is a team member.
    people = (
        [rater("health visitor", "team member", score=4)] * 3
        + [rater("teacher", "team member", score=1)]
        + [rater("teacher", "peer", score=3)] * 3
    )
    naive = [
        frozenset({0, 1, 2}),  # health visitor
        frozenset({3, 4, 5, 6}),  # teacher
        frozenset({0, 1, 2, 3}),  # team member
        frozenset({4, 5, 6}),  # peer
        frozenset(range(7)),  # all others
    ]
    assert frozenset({3}) in exposed_sets(naive, 7, 3)  # the scenario is a real threat
    built = report(people)
    prof, rel = groups(built), groups(built, "relationship")
    assert not ("health visitor" in prof and "team member" in rel)
    assert not ("teacher" in prof and "peer" in rel)


def test_a_remainder_can_be_zero():
    people = [rater("teacher", "peer")] * 3 + [rater("nurse", "team member")] * 3
    built = report(people)
    assert set(groups(built)) == {"nurse", "teacher"}
    assert set(groups(built, "relationship")) == {"peer", "team member"}
    assert built["suppressed"]["groups"] is False


def test_the_audit_finds_exposed_sets_and_spares_allowed_ones():
    everyone, first_three = frozenset(range(4)), frozenset({0, 1, 2})
    assert exposed_sets([everyone, first_three], 4, 3) == [frozenset({3})]
    assert exposed_sets([everyone], 4, 3) == []
    assert exposed_sets([frozenset({0})], 4, 3, allowed=[frozenset({0})]) == []
    # Two overlapping groups of 3 in 4 people: everyone - a, everyone - b and a + b - everyone
    # are derivable. Only the MINIMAL exposed sets are listed: anything revealed about a
    # set is also about every larger set (so {0, 3} is implied by {0}).
    a, b = frozenset({0, 1, 2}), frozenset({1, 2, 3})
    assert set(exposed_sets([everyone, a, b], 4, 3)) == {
        frozenset({0}),
        frozenset({3}),
        frozenset({1, 2}),
    }
    # Not only sums: a difference of two people's values is exposure too (a - b = x0 - x3
    # with figures a and b alone, although neither person's value is derivable).
    assert exposed_sets([a, b], 4, 3) == [frozenset({0, 3})]


def test_decide_leaves_nothing_exposed():
    members = [Member("hv", "team member")] * 3 + [Member("t", "team member")] + [Member("t", "peer")] * 3
    decision = decide(members, 3)
    figures = [g for g in (decision.everyone, decision.line_manager) if g]
    figures += list(decision.profession.values()) + list(decision.relationship.values())
    assert exposed_sets(figures, len(members), 3) == []


# --- line manager --------------------------------------------------------------------------


def lm_team(consented=True, peers=4, manager_score=1):
    return [rater("social worker", "line manager", score=manager_score, consented=consented)] + [
        rater("social worker", "peer", score=4)
    ] * peers


def test_the_line_manager_is_shown_separately_when_enabled_and_consented():
    built = report(lm_team(), Rules(show_line_manager=True))
    rel = groups(built, "relationship")
    assert rel["line manager"] == {"score": 1.0, "n": 1}
    assert rel["peer"] == {"score": 4.0, "n": 4}


def test_the_line_manager_is_not_shown_without_consent():
    built = report(lm_team(consented=False), Rules(show_line_manager=True))
    assert "line manager" not in groups(built, "relationship")


def test_the_line_manager_is_not_shown_unless_the_organisation_enables_it():
    built = report(lm_team(consented=True), Rules(show_line_manager=False))
    assert "line manager" not in groups(built, "relationship")


def test_the_line_manager_is_withheld_when_the_rest_would_be_fewer_than_k():
    # all others (3) minus the line manager would expose the two peers.
    built = report(lm_team(peers=2), Rules(show_line_manager=True))
    process = built["processes"][0]
    assert process["others"]["n"] == 3
    assert "line manager" not in groups(built, "relationship")


def test_the_line_manager_cannot_be_recovered_beyond_the_one_shown_figure():
    # The line manager is one of three health visitors: health visitors minus the line
    # manager would expose the other two, so the two figures are never shown together.
    people = [
        rater("health visitor", "line manager", score=1, consented=True),
        rater("health visitor", "peer", score=5),
        rater("health visitor", "peer", score=5),
        rater("teacher", "peer", score=3),
        rater("teacher", "peer", score=3),
        rater("teacher", "peer", score=3),
    ]
    built = report(people, Rules(show_line_manager=True))
    assert not ("health visitor" in groups(built) and "line manager" in groups(built, "relationship"))
    # With three nurses instead, the line manager is pooled with them into "Other raters"
    # (4 people, 3 without the line manager) and can be shown safely.
    people[1:3] = [rater("nurse", "peer", score=5)] * 3
    built = report(people, Rules(show_line_manager=True))
    assert groups(built, "relationship")["line manager"] == {"score": 1.0, "n": 1}
    assert groups(built) == {
        "teacher": {"score": 3.0, "n": 3},
        "Other raters": {"score": 4.0, "n": 4},
    }


def test_every_line_manager_must_have_consented():
    people = lm_team(consented=True) + [rater("teacher", "line manager", consented=False)]
    built = report(people, Rules(show_line_manager=True))
    assert "line manager" not in groups(built, "relationship")


# --- comments --------------------------------------------------------------------------------


def commenters(count, start=0):
    return [rater("teacher", comment=f"comment number {i}") for i in range(start, start + count)]


def test_comments_below_the_minimum_are_not_shown():
    people = commenters(2) + [rater("teacher")] * 3
    built = report(people)
    assert built["comments"] == {}
    assert built["suppressed"]["comments"] is True
    assert "comment number" not in str(built)


def test_comments_at_the_minimum_are_shown_without_attribution():
    people = commenters(3) + [rater("nurse")] * 3
    built = report(people)
    assert sorted(built["comments"]["think"]) == [f"comment number {i}" for i in range(3)]
    assert built["suppressed"]["comments"] is False


def test_comments_have_their_own_minimum():
    people = commenters(4) + [rater("nurse")] * 3
    assert report(people, Rules(comment_k=5))["comments"] == {}
    assert len(report(people, Rules(comment_k=4))["comments"]["think"]) == 4


def test_blank_comments_do_not_count_towards_the_minimum():
    people = commenters(2) + [rater("teacher", comment="   ")] * 2
    assert report(people)["comments"] == {}


def test_the_leaders_own_comments_are_not_mixed_in():
    me = Respondent("self", "manager", "self", {"t1": 3, "t2": 3}, {"think": "my own note"})
    built = report(commenters(3) + [me])
    assert "my own note" not in built["comments"]["think"]


def test_comment_order_is_unrelated_to_submission_order_but_fixed_per_release():
    people = commenters(12)
    first = report(people, salt="release-1")["comments"]["think"]
    assert report(list(reversed(people)), salt="release-1")["comments"]["think"] == first
    assert report(people, salt="release-1")["comments"]["think"] == first
    submitted = [f"comment number {i}" for i in range(12)]
    assert first != submitted and first != list(reversed(submitted))
    orders = {tuple(report(people, salt=f"release-{n}")["comments"]["think"]) for n in range(5)}
    assert len(orders) > 1  # the key, not the text alone, decides the order
