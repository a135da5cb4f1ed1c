"""Agreement for a project, read from the database: the same figures as the pure module on
the same spans, turns versus sentences, missing coders, and leaving out uncoded units."""

import json

import pytest

from flourish.qualitative import actions, analysis, selectors
from flourish.qualitative.actions import NotAllowed
from flourish.qualitative.core import agreement as core

from .analysis_helpers import ANN_2, ANN_4, ANN_4_FIRST, BEA, BR, CAL, TS, coded_project

INTERVIEW_TURNS = [(13, 54), ANN_2, (143, 168), ANN_4]
PAR_TURNS = [(13, 41), BEA, CAL]


@pytest.fixture
def project(researcher, second_researcher, model_version):
    return coded_project(researcher, second_researcher, model_version)


def by_code(result):
    """Rows by process id (by name for an emergent code)."""
    return {row["process_id"] or row["code"]: row for row in result["per_code"]}


RELATIONSHIPS = "Building and re-building relationships"
SYSTEMATIC = "Thinking Systematically"


def test_the_report_has_the_documented_shape_and_is_json_ready(project):
    result = analysis.project_agreement(project, bootstrap_samples=50)
    assert json.loads(json.dumps(result)) == result
    assert list(result) == ["project", "project_id", "unit_kind", "coders", "coder_ids", "sources", "n_units",
                            "exclude_uncoded", "bootstrap", "seed", "confidence", "missing", "per_code",
                            "disagreements"]
    assert set(result["per_code"][0]) == {
        "code", "code_id", "process_id", "n_units", "n_applied", "percent_agreement", "cohen_kappa",
        "krippendorff_alpha", "fleiss_kappa", "light_kappa", "percent_ci", "kappa_ci", "alpha_ci"}
    assert set(result["disagreements"][0]) == {
        "source", "source_id", "start", "end", "code", "code_id", "applied_by", "not_applied_by", "text"}


def test_turn_agreement_between_mei_and_tomasz_is_what_we_worked_out_by_hand(project):
    result = analysis.project_agreement(project, bootstrap_samples=0)
    assert result["unit_kind"] == "turn" and result["coders"] == ["Mei Chen", "Tomasz Nowak"]
    assert result["n_units"] == 7
    # Tomasz coded nothing in the PAR session, so he is missing there, not "applied nothing"
    assert result["missing"] == [{"coder": "Tomasz Nowak", "source": "par-session-1.txt"}]
    rows = by_code(result)
    relationships, systematic = rows[BR], rows[TS]
    assert (relationships["n_units"], relationships["percent_agreement"]) == (4, 1.0)
    assert relationships["cohen_kappa"] == pytest.approx(1.0)
    assert relationships["krippendorff_alpha"] == pytest.approx(1.0)
    # Thinking Systematically: Mei on Ann's turn 2 only; agreement on 3 of 4 interview turns
    assert systematic["percent_agreement"] == 0.75 and systematic["n_applied"] == 1
    assert systematic["cohen_kappa"] == pytest.approx(0.0) and systematic["krippendorff_alpha"] == pytest.approx(0.0)
    # nobody applied Alternative Approaches where both coded: no variation, kappa and alpha undefined
    approaches = rows["alternative-approaches"]
    assert approaches["percent_agreement"] == 1.0 and approaches["cohen_kappa"] is None
    assert approaches["krippendorff_alpha"] is None and approaches["n_applied"] == 1
    assert result["disagreements"] == [{
        "source": "interview-ann.txt", "source_id": project.sources.get(name="interview-ann.txt").pk,
        "start": 60, "end": 129, "code": SYSTEMATIC, "code_id": systematic["code_id"],
        "applied_by": ["Mei Chen"], "not_applied_by": ["Tomasz Nowak"],
        "text": "We meet every week, and I ring them before any change to the drop-in.",
    }]


def test_the_figures_match_the_pure_module_on_the_same_spans(project, researcher, second_researcher):
    interview, par = project.sources.get(name="interview-ann.txt"), project.sources.get(name="par-session-1.txt")
    mei, tomasz = (selectors.person_layer(project, u) for u in (researcher, second_researcher))
    codes = list(project.codes.all())
    units = [core.Unit(interview.pk, *span) for span in INTERVIEW_TURNS] + [core.Unit(par.pk, *s) for s in PAR_TURNS]
    br, ts, aa = (project.codes.get(process_id=p).pk for p in (BR, TS, "alternative-approaches"))
    rota = project.codes.get(name="Duty rota").pk
    segments = [core.Segment(mei.pk, interview.pk, *ANN_2, br), core.Segment(mei.pk, interview.pk, *ANN_2, ts),
                core.Segment(mei.pk, interview.pk, *ANN_4_FIRST, br), core.Segment(mei.pk, par.pk, *BEA, aa),
                core.Segment(mei.pk, par.pk, *CAL, rota),
                core.Segment(tomasz.pk, interview.pk, *ANN_2, br), core.Segment(tomasz.pk, interview.pk, *ANN_4, br)]
    expected = core.agreement(units, segments, [mei.pk, tomasz.pk], [c.pk for c in codes],
                              assignments={mei.pk: {interview.pk, par.pk}, tomasz.pk: {interview.pk}},
                              bootstrap_samples=200, seed=7, confidence=0.9)
    result = analysis.project_agreement(project, bootstrap_samples=200, seed=7, confidence=0.9)
    for row in result["per_code"]:
        pure = expected.per_code[row["code_id"]]
        assert (row["n_units"], row["n_applied"]) == (pure.n_units, pure.n_applied)
        assert (row["percent_agreement"], row["cohen_kappa"], row["krippendorff_alpha"]) == (
            pure.percent_agreement, pure.cohen_kappa, pure.krippendorff_alpha)
        assert row["percent_ci"] == (list(pure.percent_ci) if pure.percent_ci else None)
        assert row["alpha_ci"] == (list(pure.alpha_ci) if pure.alpha_ci else None)
    assert [(d["start"], d["code_id"]) for d in result["disagreements"]] == [
        (d.start, d.code) for d in expected.disagreements]


def test_sentences_split_ann_s_last_turn_and_find_the_disagreements_inside_it(project):
    result = analysis.project_agreement(project, unit_kind="sentence", bootstrap_samples=0)
    assert result["unit_kind"] == "sentence" and result["n_units"] == 9
    relationships = by_code(result)[BR]
    # 6 interview sentences; Tomasz's whole-turn coding covers two sentences Mei left alone
    assert relationships["n_units"] == 6 and relationships["percent_agreement"] == pytest.approx(4 / 6)
    found = [(d["text"], d["code"], d["applied_by"]) for d in result["disagreements"]]
    assert found == [
        ("We meet every week, and I ring them before any change to the drop-in.", SYSTEMATIC, ["Mei Chen"]),
        ("We had a proper coffee.", RELATIONSHIPS, ["Tomasz Nowak"]),
        ("😀", RELATIONSHIPS, ["Tomasz Nowak"]),
    ]
    # positions are code points: the emoji is one character
    assert [(d["start"], d["end"]) for d in result["disagreements"]][-1] == (258, 259)


def test_excluding_uncoded_units_keeps_only_units_someone_coded_with_the_chosen_codes(project):
    everything = analysis.project_agreement(project, exclude_uncoded=True, bootstrap_samples=0)
    # Ann's turns 2 and 4, Bea's and Cal's turns
    assert everything["n_units"] == 4 and everything["exclude_uncoded"] is True
    assert by_code(everything)[TS]["percent_agreement"] == 0.5
    only_relationships = analysis.project_agreement(project, codes=[BR], exclude_uncoded=True, bootstrap_samples=0)
    assert only_relationships["n_units"] == 2
    assert [row["code"] for row in only_relationships["per_code"]] == [RELATIONSHIPS]


def test_sources_codes_and_coders_can_be_chosen_by_name_or_id(project, researcher):
    interview = project.sources.get(name="interview-ann.txt")
    result = analysis.project_agreement(project, coders=["mei chen", "Tomasz Nowak"], sources=[interview.pk],
                                        codes=[SYSTEMATIC.lower()], bootstrap_samples=0)
    assert result["sources"] == ["interview-ann.txt"] and result["n_units"] == 4 and result["missing"] == []
    assert [row["code"] for row in result["per_code"]] == [SYSTEMATIC]


def test_the_assistant_is_compared_only_when_asked_for(project, researcher):
    interview = project.sources.get(name="interview-ann.txt")
    actions.apply_codes(project.assistant(), interview, *ANN_2, [project.codes.get(process_id=TS)],
                        score=0.8, method="similarity")
    assert analysis.project_agreement(project, bootstrap_samples=0)["coders"] == ["Mei Chen", "Tomasz Nowak"]
    asked = analysis.project_agreement(project, coders=["Mei Chen", "Assistant"], codes=[TS], bootstrap_samples=0)
    assert asked["coders"] == ["Mei Chen", "Assistant"]
    assert by_code(asked)[TS]["percent_agreement"] == 1.0


def test_comparing_fewer_than_two_coders_or_an_unknown_one_is_refused_with_a_reason(project):
    with pytest.raises(NotAllowed, match="at least two coders"):
        analysis.project_agreement(project, coders=["Mei Chen"])
    with pytest.raises(NotAllowed, match="no coder “Olu”"):
        analysis.project_agreement(project, coders=["Mei Chen", "Olu"])
    with pytest.raises(NotAllowed, match="Unknown unit"):
        analysis.project_agreement(project, unit_kind="paragraph")


def test_a_project_nobody_has_coded_has_no_one_to_compare(researcher, second_researcher, model_version):
    from .helpers import make_project

    project = make_project(researcher, second_researcher, model_version, name="Fresh study")
    with pytest.raises(NotAllowed, match="fewer than two people have coded"):
        analysis.project_agreement(project)


def test_units_carry_speaker_and_stage_and_never_include_the_label(project):
    par = project.sources.get(name="par-session-1.txt")
    units = analysis.source_units(par, "turn")
    assert [(u.start, u.end, u.speaker, u.stage) for u in units] == [
        (13, 41, "Facilitator", "PAR session"), (47, 100, "Bea", "PAR session"), (106, 159, "Cal", "PAR session")]
    assert analysis.speaker_at(par, 50) == "Bea" and analysis.turn_number(par, 50) == 2
