"""Which processes a plan suggests, and why: pure functions, no Django."""

from flourish.development import suggestions as s

PROCESSES = [{"id": x, "name": x.title()} for x in ("alpha", "beta", "gamma", "delta", "epsilon")]


def test_important_but_low_is_suggested_with_its_reason():
    figures = s.figures_from_self(
        {"alpha": 2.0, "beta": 4.0, "gamma": 3.0, "delta": 3.25, "epsilon": None},
        {"alpha": 5, "beta": 5, "gamma": 3, "delta": 4, "epsilon": 5},
    )
    found = s.suggest(PROCESSES, figures, whose="your")
    assert [x.process_id for x in found] == ["alpha", "delta"]  # biggest importance - score first
    assert found[0].reasons == [
        "You rated it 5 out of 5 for importance to your role, and your score is 2.00, below 3.5."
    ]
    assert s.preselected(found) == ["alpha", "delta"]


def test_from_a_report_others_score_and_reach_are_used():
    report = {"processes": [
        {"id": "alpha", "others": {"score": 3.9, "n": 9}, "importance": 5, "reach": 1.2},
        {"id": "beta", "others": {"score": 2.5, "n": 9}, "importance": 4, "reach": 0.2},
        {"id": "gamma", "importance": 5},  # others' score withheld: no figure, no suggestion
        {"id": "delta", "others": {"score": 2.0, "n": 9}, "importance": 2},
    ]}
    found = s.suggest(PROCESSES, s.figures_from_report(report), whose="others'")
    assert [x.process_id for x in found] == ["beta", "alpha"]
    assert found[1].reasons == ["Professions experience it differently: their scores differ by 1.20."]
    assert "others' score is 2.50" in found[0].reasons[0]


def test_at_most_three_are_preselected():
    figures = {p["id"]: s.Figures(score=1.0, importance=5) for p in PROCESSES}
    assert len(s.preselected(s.suggest(PROCESSES, figures, whose="your"))) == 3
