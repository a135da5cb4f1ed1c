"""A lead settles disagreements onto the consensus layer; the coders' own codings stay as
they were, only leads may decide, and deciding twice changes nothing."""

import pytest

from flourish.qualitative import actions_adjudication, selectors
from flourish.qualitative.actions import NotAllowed
from flourish.qualitative.models import Adjudication, Coding

from .analysis_helpers import AA, ANN_2, ANN_4, ANN_4_FIRST, BR, TS, coded_project
from .helpers import make_project


@pytest.fixture
def project(researcher, second_researcher, model_version):
    return coded_project(researcher, second_researcher, model_version)


@pytest.fixture
def interview(project):
    return project.sources.get(name="interview-ann.txt")


def code(project, process_id):
    return project.codes.get(process_id=process_id)


def originals(project):
    """Every coding on the coders' own layers, as plain tuples."""
    return sorted(Coding.objects.filter(coder__project=project, coder__kind="person")
                  .values_list("coder__name", "source__name", "code__name", "start", "end", "guid"))


def consensus_spans(project):
    return sorted(project.consensus().codings.values_list("code__process_id", "start", "end"))


def test_deciding_a_code_applies_writes_it_to_the_consensus_layer_and_leaves_the_coders_alone(
        project, interview, researcher):
    before = originals(project)
    decision = actions_adjudication.decide(project, researcher, interview, code(project, TS), *ANN_2, applies=True,
                                   note="Planning across services, not only contact.")
    assert (decision.applies, decision.decided_by, decision.note) == (
        True, researcher, "Planning across services, not only contact.")
    assert consensus_spans(project) == [(TS, *ANN_2)]
    assert originals(project) == before


def test_deciding_it_does_not_apply_takes_it_off_the_consensus_layer_and_replaces_the_decision(
        project, interview, researcher):
    actions_adjudication.decide(project, researcher, interview, code(project, TS), *ANN_2, applies=True)
    before = originals(project)
    actions_adjudication.decide(project, researcher, interview, code(project, TS), *ANN_2, applies=False,
                        note="On reflection no.")
    assert consensus_spans(project) == []
    [decision] = Adjudication.objects.filter(project=project)
    assert (decision.applies, decision.note) == (False, "On reflection no.")
    assert originals(project) == before


def test_deciding_the_same_twice_changes_nothing(project, interview, researcher):
    for _ in range(2):
        actions_adjudication.decide(project, researcher, interview, code(project, TS), *ANN_2, applies=True)
    assert Adjudication.objects.filter(project=project).count() == 1
    assert consensus_spans(project) == [(TS, *ANN_2)]
    for _ in range(2):
        actions_adjudication.decide(project, researcher, interview, code(project, TS), *ANN_2, applies=False)
    assert Adjudication.objects.filter(project=project).count() == 1 and consensus_spans(project) == []


def test_a_no_on_one_sentence_keeps_the_rest_of_a_longer_consensus_coding(project, interview, researcher):
    relationships = code(project, BR)
    actions_adjudication.decide(project, researcher, interview, relationships, *ANN_4, applies=True)
    actions_adjudication.decide(project, researcher, interview, relationships, 234, 257, applies=False)
    # Ann's turn 4 keeps its first sentence and the emoji; "We had a proper coffee." is out
    assert consensus_spans(project) == [(BR, 174, 233), (BR, 258, 259)]
    assert all(c.is_current for c in project.consensus().codings.all())


def test_a_coder_cannot_adjudicate(project, interview, second_researcher):
    with pytest.raises(NotAllowed, match="Only a lead researcher"):
        actions_adjudication.decide(project, second_researcher, interview, code(project, TS), *ANN_2, applies=True)
    with pytest.raises(NotAllowed, match="Only a lead researcher"):
        actions_adjudication.accept_agreements(project, second_researcher, ["Mei Chen", "Tomasz Nowak"])
    assert not Adjudication.objects.exists() and consensus_spans(project) == []


def test_someone_outside_the_project_cannot_adjudicate(project, interview, outsider):
    with pytest.raises(NotAllowed, match="Only a lead researcher"):
        actions_adjudication.decide(project, outsider, interview, code(project, TS), *ANN_2, applies=True)


def test_a_decision_must_be_about_this_projects_text_and_codes(project, interview, researcher, model_version):
    other = make_project(researcher, framework_version=model_version, name="Another study")
    with pytest.raises(NotAllowed, match="another project"):
        actions_adjudication.decide(project, researcher, interview, code(other, TS), *ANN_2, applies=True)
    with pytest.raises(NotAllowed, match="not a passage"):
        actions_adjudication.decide(project, researcher, interview, code(project, TS), 200, 999, applies=True)
    with pytest.raises(NotAllowed, match="only spaces"):
        actions_adjudication.decide(project, researcher, interview, code(project, TS), 129, 130, applies=True)


def test_accepting_agreements_copies_only_units_both_coders_applied(project, researcher):
    added = actions_adjudication.accept_agreements(project, researcher, ["Mei Chen", "Tomasz Nowak"], "turn")
    # both applied BR to Ann's turns 2 and 4; TS was a disagreement; AA was Mei's alone
    # in a session Tomasz did not code
    assert added == 2
    assert consensus_spans(project) == [(BR, *ANN_2), (BR, *ANN_4)]
    assert actions_adjudication.accept_agreements(project, researcher, ["Mei Chen", "Tomasz Nowak"], "turn") == 0
    assert AA not in {pid for pid, *_ in consensus_spans(project)}


def test_the_consensus_is_what_was_agreed_plus_what_was_adjudicated(project, interview, researcher):
    actions_adjudication.decide(project, researcher, interview, code(project, TS), *ANN_2, applies=True)
    actions_adjudication.decide(project, researcher, interview, code(project, BR), *ANN_4, applies=False)
    actions_adjudication.accept_agreements(project, researcher, ["Mei Chen", "Tomasz Nowak"], "turn")
    # the lead's "no" on turn 4 stands although both coders applied BR there
    assert consensus_spans(project) == [(BR, *ANN_2), (TS, *ANN_2)]


def test_accepting_over_sentences_takes_only_the_sentences_both_coded(project, researcher):
    actions_adjudication.accept_agreements(project, researcher, ["Mei Chen", "Tomasz Nowak"], "sentence")
    assert consensus_spans(project) == [(BR, *ANN_2), (BR, *ANN_4_FIRST)]


def test_accepting_needs_two_coders_and_never_the_consensus_itself(project, researcher):
    project.consensus()
    with pytest.raises(NotAllowed, match="at least two coders"):
        actions_adjudication.accept_agreements(project, researcher, ["Mei Chen"])
    with pytest.raises(NotAllowed, match="consensus layer is where agreements go"):
        actions_adjudication.accept_agreements(project, researcher, ["Mei Chen", "Consensus"])


def test_a_lead_who_joined_later_may_adjudicate(project, interview, second_researcher, researcher):
    member = project.members.get(user=second_researcher)
    member.role = "lead"
    member.save()
    actions_adjudication.decide(project, second_researcher, interview, code(project, TS), *ANN_2, applies=True)
    assert consensus_spans(project) == [(TS, *ANN_2)]
    assert selectors.person_layer(project, second_researcher).codings.count() == 2
