"""Property-based tests of the anonymity promise, checked by an independent brute force."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flourish.lib.report import Process, Respondent, Rules, build_report
from flourish.lib.tests.leakcheck import check_report

PROFESSIONS = ["health visitor", "social worker", "teacher", "family support worker", "midwife", "nurse"]
RELATIONSHIPS = ["line manager", "peer", "team member", "partner agency"]
PROCESSES = (
    Process("think", "Thinking Systematically", "main", ("t1", "t2", "t3")),
    Process("flow", "Flow", "borderline", ("f1", "f2")),
)
ITEMS = [i for p in PROCESSES for i in p.item_ids]

answer = st.one_of(st.none(), st.integers(1, 5))


@st.composite
def respondent(draw, role="other", index=0, professions=PROFESSIONS, relationships=RELATIONSHIPS):
    answers = {item: draw(st.one_of(answer, answer, st.just(None))) for item in ITEMS}
    comments = {}
    for process in PROCESSES:
        if draw(st.booleans()):
            comments[process.id] = f"comment {index} on {process.id}"
    return Respondent(
        role=role,
        profession=draw(st.sampled_from(professions)),
        relationship=draw(st.sampled_from(relationships)) if role == "other" else "self",
        answers=answers,
        comments=comments,
        line_manager_consented=draw(st.booleans()),
    )


@st.composite
def cycle(draw):
    count = draw(st.integers(1, 15))
    # Few distinct groups make big, overlapping groups: the interesting cases.
    professions = PROFESSIONS[: draw(st.integers(1, len(PROFESSIONS)))]
    relationships = draw(st.permutations(RELATIONSHIPS))[: draw(st.integers(1, len(RELATIONSHIPS)))]
    others = [draw(respondent("other", i, professions, relationships)) for i in range(count)]
    people = others + ([draw(respondent("self", 99))] if draw(st.booleans()) else [])
    rules = Rules(
        k=draw(st.integers(3, 5)),
        comment_k=draw(st.integers(3, 5)),
        show_line_manager=draw(st.booleans()),
    )
    return people, rules


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cycle())
def test_no_figure_from_fewer_than_k_people_directly_or_by_subtraction(data):
    people, rules = data
    report = build_report(PROCESSES, people, rules, salt=b"release-1")
    assert check_report(report, PROCESSES, people, rules) == []


@SETTINGS
@given(cycle())
def test_the_line_manager_is_shown_only_when_enabled_and_consented(data):
    people, rules = data
    report = build_report(PROCESSES, people, rules, salt=b"release-1")
    managers = [r for r in people if r.role == "other" and r.relationship == "line manager"]
    may_show_small = rules.show_line_manager and managers and all(r.line_manager_consented for r in managers)
    for entry in report["processes"]:
        for space in [entry, *entry["items"]]:
            figure = space["groups"]["relationship"].get("line manager")
            if figure is not None and figure["n"] < rules.k:
                assert may_show_small


@SETTINGS
@given(cycle())
def test_the_output_holds_no_identifying_text(data):
    people, rules = data
    report = build_report(PROCESSES, people, rules, salt=b"release-1")
    text = json.dumps(report)  # plain JSON-serialisable
    assert json.loads(text) == report
    others = [r for r in people if r.role == "other"]
    for process in PROCESSES:
        commenters = [r for r in others if r.comments.get(process.id)]
        if len(commenters) < rules.comment_k:
            assert process.id not in report["comments"]
            for r in commenters:
                assert r.comments[process.id] not in text
        else:
            assert sorted(report["comments"][process.id]) == sorted(r.comments[process.id] for r in commenters)
    # The leader's own comments are never shown among the raters'.
    assert "comment 99" not in text
    # Every string in the output is structural vocabulary, a group name shown for >= k
    # people (or the consented line manager), or a comment that passed the minimum.
    allowed = {"blind spot", "hidden strength", "Other raters", "line manager"}
    allowed |= {p.id for p in PROCESSES} | {p.name for p in PROCESSES} | {p.kind for p in PROCESSES}
    allowed |= set(ITEMS)
    allowed |= {c for texts in report["comments"].values() for c in texts}
    for entry in report["processes"]:
        for space in [entry, *entry["items"]]:
            for groups in space["groups"].values():
                for name, figure in groups.items():
                    if name != "line manager":
                        assert figure["n"] >= rules.k
                    allowed.add(name)

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for inner in value.values():
                yield from strings(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from strings(inner)

    assert set(strings(report)) <= allowed


@settings(max_examples=40, deadline=None)
@given(cycle(), st.randoms(use_true_random=False))
def test_the_report_does_not_depend_on_submission_order(data, rng):
    people, rules = data
    shuffled = list(people)
    rng.shuffle(shuffled)
    assert build_report(PROCESSES, shuffled, rules, salt="v1") == build_report(PROCESSES, people, rules, salt="v1")


def test_the_checker_itself_catches_a_subtraction_leak():
    """Guard the guard: a hand-made report that leaks must be flagged."""
    people = [
        Respondent("other", prof, "peer", {i: 3 for i in ITEMS})
        for prof in ["teacher"] * 3 + ["nurse"] * 3 + ["midwife"] * 2
    ]
    rules = Rules()
    good = build_report(PROCESSES, people, rules, salt="x")
    assert check_report(good, PROCESSES, people, rules) == []
    leaky = json.loads(json.dumps(good))
    groups = leaky["processes"][0]["groups"]["profession"]
    groups.clear()
    groups["teacher"] = {"score": 3.0, "n": 3}
    groups["nurse"] = {"score": 3.0, "n": 3}
    problems = check_report(leaky, PROCESSES, people, rules)
    assert any("derivable by subtraction" in p for p in problems)
    groups["midwife"] = {"score": 3.0, "n": 2}
    assert any("n=2 < k=3" in p for p in check_report(leaky, PROCESSES, people, rules))
