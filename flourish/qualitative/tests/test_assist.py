"""Assisted coding with the real model (all-MiniLM-L6-v2 from the assist extra, offline):
suggestions land only on the assistant layer, are accepted or rejected by people, and the
classifier takes over once the consensus layer has enough adjudicated units."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flourish.qualitative import actions, actions_assist, analysis, selectors
from flourish.qualitative.assist import embedding, scoring
from flourish.qualitative.assist import suggest as assist
from flourish.qualitative.models import CoderKind, Coding
from flourish.qualitative.tests.helpers import code, make_project

pytestmark = [pytest.mark.django_db, pytest.mark.assist]

OFF_TOPIC = "Dee: The weather was lovely on Saturday and I had a sandwich by the river.\n"


@pytest.fixture(scope="module")
def model():
    """Load the model once for the module (it is cached per process after that)."""
    if not embedding.available():
        pytest.fail(embedding.ASSIST_HELP)
    return embedding.model()


@pytest.fixture
def project(model, researcher, second_researcher, model_version):
    project = make_project(researcher, second_researcher, model_version)
    actions.import_sources(project, researcher, [("chat.txt", OFF_TOPIC.encode())])
    return project


def _suggestions(project, source_name=None):
    rows = Coding.objects.filter(coder__project=project, coder__kind=CoderKind.ASSISTANT).select_related("code")
    if source_name:
        rows = rows.filter(source__name=source_name)
    return list(rows.order_by("start", "-score"))


def _human_codings(project):
    return Coding.objects.filter(coder__project=project).exclude(coder__kind=CoderKind.ASSISTANT)


def test_the_embedding_is_offline_normalised_and_deterministic(model):
    import os

    first = embedding.embed(["We ran a joint clinic.", "We ran a joint clinic."])
    assert first.shape == (2, 384) and first.dtype.name == "float32"
    assert abs(float((first[0] ** 2).sum()) - 1) < 1e-5
    assert abs(first[0] - embedding.embed(["We ran a joint clinic."])[0]).max() < 1e-5
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
    assert embedding.model() is model  # loaded once


def test_trying_something_new_is_suggested_as_an_alternative_approach(project, researcher):
    run = actions_assist.suggest(project, researcher, "turn")
    clinic = [s for s in _suggestions(project, "par-session-1.txt")
              if "joint clinic as an experiment" in s.text]
    assert clinic, "the joint-clinic turn got no suggestion"
    top = sorted(clinic, key=lambda s: -s.score)[:2]
    assert code(project, researcher, "alternative-approaches") in [s.code for s in top]
    assert all(s.method == "similarity" and 0 < s.score <= 1 for s in clinic)
    assert run.units == 8 and run.made == len(_suggestions(project)) and not run.classifier_codes
    # Small talk about the weather is not near any process of the model.
    assert _suggestions(project, "chat.txt") == []


def test_suggestions_land_only_on_the_assistant_layer_and_only_for_uncoded_units(
        project, researcher, second_researcher):
    interview = project.sources.get(name="interview-ann.txt")
    tomasz = selectors.person_layer(project, second_researcher)
    actions.add_code_to_turn(tomasz, interview, 3, [code(project, second_researcher, "building-relationships")])
    coded = actions.turn_span(interview, 3)
    before = list(_human_codings(project).values_list("pk", flat=True))
    run = actions_assist.suggest(project, researcher, "turn")
    assert run.units == 7 and run.made > 0
    assert list(_human_codings(project).values_list("pk", flat=True)) == before  # people's layers untouched
    made = _suggestions(project)
    assert {s.coder.kind for s in made} == {CoderKind.ASSISTANT}
    assert not any(s.source == interview and s.start < coded[1] and s.end > coded[0] for s in made)
    assert all(s.created_by == researcher and s.text_hash for s in made)


def test_accepting_copies_to_your_own_layer_and_the_suggestion_stays(project, researcher, second_researcher):
    actions_assist.suggest(project, researcher, "turn")
    suggestion = next(s for s in _suggestions(project) if "joint clinic" in s.text)
    copied = actions_assist.accept(suggestion, researcher)
    mine = selectors.person_layer(project, researcher)
    assert [(c.coder, c.code, c.start, c.end, c.method) for c in copied] == [
        (mine, suggestion.code, suggestion.start, suggestion.end, "accepted")]
    assert Coding.objects.filter(pk=suggestion.pk, coder__kind=CoderKind.ASSISTANT).exists()
    assert suggestion not in assist.open_suggestions(project, researcher)  # Mei has it now
    assert suggestion in assist.open_suggestions(project, second_researcher)  # Tomasz still decides
    assert Coding.objects.filter(coder__kind=CoderKind.PERSON).count() == 1


def test_rejecting_keeps_the_record_and_a_new_run_does_not_suggest_it_again(project, researcher):
    actions_assist.suggest(project, researcher, "turn")
    made = _suggestions(project)
    par = [s for s in made if s.source.name == "par-session-1.txt"]
    rejected = par[0]
    accepted = next(s for s in par if s.start != rejected.start)
    method = rejected.method
    actions_assist.reject(rejected, researcher)
    actions_assist.accept(accepted, researcher)
    assert rejected not in assist.open_suggestions(project, researcher)
    with pytest.raises(actions.NotAllowed):
        actions_assist.accept(Coding.objects.get(pk=rejected.pk), researcher)

    run = actions_assist.suggest(project, researcher, "turn")
    after = _suggestions(project)
    assert Coding.objects.get(pk=rejected.pk).method == f"{method}:rejected"
    assert Coding.objects.filter(pk=accepted.pk).exists()  # a unit people coded since: kept as said
    keys = [(s.source_id, s.code_id, s.start, s.end) for s in after]
    assert len(keys) == len(set(keys)) == len(made)  # nothing lost, nothing doubled
    assert run.kept >= 2

    # The assistant's agreement is reported like a person's, its rejected suggestion included.
    mei = selectors.person_layer(project, researcher)
    report = analysis.project_agreement(project, coders=[project.assistant(), mei], sources=[rejected.source],
                                        bootstrap_samples=0)
    row = next(r for r in report["per_code"] if r["code_id"] == rejected.code_id)
    by_assistant = sum(1 for s in after if s.source == rejected.source and s.code == rejected.code)
    by_mei = Coding.objects.filter(coder=mei, code=rejected.code).count()
    assert row["n_applied"] == by_assistant + by_mei >= 1


def test_a_run_on_sentences_replaces_the_open_turn_suggestions(project, researcher):
    actions_assist.suggest(project, researcher, "turn")
    turn_ids = {s.pk for s in _suggestions(project)}
    run = actions_assist.suggest(project, researcher, "sentence", similarity_threshold=0.25)
    assert run.unit_kind == "sentence" and run.units == 10
    assert not turn_ids & {s.pk for s in _suggestions(project)}


def _training_source(project, user):
    """A transcript whose sentences the consensus layer codes: 12 about trying new ways
    round a rule, 12 about repairing working relationships."""
    new_ways = ["we bent the usual procedure", "we tried the plan at the school gate instead",
                "we ran a pilot outside the rules", "we invented a workaround for the referral form"]
    repair = ["I went round to their office after the argument", "we had a coffee to mend things",
              "I made sure the new nurse met everyone", "I thanked the housing team in front of the board"]
    lines = [f"Lee: With family {i}, {new_ways[i % 4]} to see what would happen." for i in range(12)]
    lines += [f"Lee: With colleague {i}, {repair[i % 4]} so we could work together again." for i in range(12)]
    source, = actions.import_sources(project, user, [("training.txt", ("\n".join(lines) + "\n").encode())])
    consensus = project.consensus()
    aa, br = code(project, user, "alternative-approaches"), code(project, user, "building-relationships")
    for index in range(24):
        actions.add_code_to_turn(consensus, source, index, [aa if index < 12 else br])
    return aa, br


def test_the_classifier_takes_over_after_enough_consensus_codings(project, researcher):
    aa, br = _training_source(project, researcher)
    labels = assist.training_data(project, "turn", list(project.codes.all()))[1]
    assert labels.shape[0] == 24 and labels.sum() == 24
    assert scoring.trainable(labels).sum() == 2  # the other codes have no positives

    run = actions_assist.suggest(project, researcher, "turn", similarity_threshold=0.2, limit=5)
    assert run.classifier_codes == [c for c in project.codes.all() if c in (aa, br)]
    made = _suggestions(project)
    assert _suggestions(project, "training.txt") == []  # coded by the consensus: not uncoded
    assert {s.method for s in made if s.code in (aa, br)} == {"classifier"}
    assert {s.method for s in made if s.code not in (aa, br)} == {"similarity"}
    clinic = [s for s in made if "joint clinic" in s.text and s.code == aa]
    assert clinic and clinic[0].method == "classifier" and clinic[0].score >= scoring.PROBABILITY_THRESHOLD


def test_without_the_extra_it_says_how_to_enable_it(project, researcher, monkeypatch):
    monkeypatch.setattr(embedding, "available", lambda: False)
    assert not assist.available()
    with pytest.raises(assist.AssistUnavailable, match="make assist") as error:
        actions_assist.suggest(project, researcher)
    assert "torch==2.13.0" in str(error.value) and "offline" in str(error.value)
    assert _suggestions(project) == []


def test_only_this_projects_sources_and_an_empty_codebook_is_refused(project, researcher, model_version):
    other = make_project(researcher, name="Another study")
    with pytest.raises(actions.NotAllowed, match="another project"):
        actions_assist.suggest(project, researcher, sources=list(other.sources.all()))
    empty = actions.create_project(researcher, project.organisation, "No codes yet")
    with pytest.raises(actions.NotAllowed, match="no codes"):
        actions_assist.suggest(empty, researcher)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)), max_size=8),
       st.integers(0, 45), st.integers(1, 10))
def test_the_uncoded_check_matches_the_overlap_rule(codings, start, length):
    """A unit is coded when any human coding overlaps it by a code point (end exclusive)."""
    spans = [(s, s + n) for s, n in codings]
    brute = any(s < start + length and e > start for s, e in spans)
    assert assist._overlaps(assist._merged(spans), start, start + length) == brute
