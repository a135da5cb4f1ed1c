"""The pure suggestion logic (`assist.scoring`) on small synthetic vectors: no model, no
database. The classifier tests need scikit-learn, which the assist extra brings."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from flourish.qualitative.assist import scoring

AXES = np.eye(4)


def test_prototype_is_the_normalised_mean_of_normalised_texts():
    protos = scoring.prototypes([np.array([[2.0, 0, 0, 0], [0, 3.0, 0, 0]]), np.zeros((0, 4))], 4)
    assert protos[0] == pytest.approx([2 ** -0.5, 2 ** -0.5, 0, 0])
    assert protos[1] == pytest.approx([0, 0, 0, 0])  # a code without text has a zero prototype


def test_similarity_ranks_the_nearest_code_first():
    groups = [AXES[[0]], AXES[[1]], AXES[[2]]]  # three codes, one text each
    units = np.array([[0.9, 0.3, 0.1, 0], [0.1, 0.2, 0.95, 0], [0.2, 0.8, 0.0, 0.1]])
    found = scoring.suggest(units, groups, similarity_threshold=0.0, limit=1)
    assert [(s.unit, s.code, s.method) for s in found] == [(0, 0, "similarity"), (1, 2, "similarity"),
                                                           (2, 1, "similarity")]
    assert found[0].score == pytest.approx(0.9 / np.linalg.norm(units[0]))


def test_the_threshold_and_limit_bound_the_suggestions():
    sim = np.array([[0.8, 0.5, 0.31, 0.1], [0.2, 0.1, 0.0, -0.3]])
    assert [(s.unit, s.code) for s in scoring.select(sim, similarity_threshold=0.3, limit=3)] == [
        (0, 0), (0, 1), (0, 2)]
    assert [(s.unit, s.code) for s in scoring.select(sim, similarity_threshold=0.3, limit=2)] == [(0, 0), (0, 1)]
    assert [(s.unit, s.code) for s in scoring.select(sim, similarity_threshold=0.6)] == [(0, 0)]
    assert scoring.select(sim, similarity_threshold=0.9) == []  # nothing close enough: no suggestion
    assert scoring.select(sim, limit=0) == []


def test_ties_keep_the_codes_order_and_results_are_deterministic():
    sim = np.array([[0.5, 0.7, 0.7, 0.5]])
    first = scoring.select(sim, similarity_threshold=0.4, limit=4)
    assert [s.code for s in first] == [1, 2, 0, 3]
    assert scoring.select(sim.copy(), similarity_threshold=0.4, limit=4) == first


def test_a_code_without_text_is_never_suggested():
    units = np.array([[1.0, 0, 0, 0]])
    found = scoring.suggest(units, [AXES[[0]], np.zeros((0, 4))], similarity_threshold=0.0001, limit=5)
    assert [s.code for s in found] == [0]


def _clusters(n_per_code, seed=0, noise=0.35):
    """Units around three directions (codes 0, 1, 2), with labels."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for code in range(3):
        for _ in range(n_per_code):
            rows.append(AXES[code] + noise * rng.standard_normal(4))
            labels.append([c == code for c in range(3)])
    return np.array(rows), np.array(labels)


def test_trainable_needs_enough_positive_and_negative_units():
    labels = np.zeros((scoring.MIN_POSITIVE + scoring.MIN_NEGATIVE, 3), dtype=bool)
    labels[:scoring.MIN_POSITIVE, 0] = True  # code 0: exactly enough of each
    labels[:scoring.MIN_POSITIVE - 1, 1] = True  # code 1: one positive short
    labels[:, 2] = True  # code 2: no negatives
    assert scoring.trainable(labels).tolist() == [True, False, False]
    assert scoring.trainable(np.zeros((0, 3), dtype=bool)).tolist() == [False, False, False]


def test_the_classifier_takes_over_once_there_are_enough_adjudicated_units():
    features, labels = _clusters(scoring.MIN_POSITIVE)
    # Code 2's definition points the wrong way (at code 0's units): similarity alone errs.
    groups = [AXES[[0]], AXES[[1]], AXES[[0]] * 0.5 + AXES[[3]]]
    unit = np.array([[0.3, 0.0, 1.0, 0.0]])  # a code-2 unit
    by_similarity = scoring.suggest(unit, groups, similarity_threshold=0.0, limit=1)
    assert by_similarity[0].code != 2 and by_similarity[0].method == "similarity"
    found = scoring.suggest(unit, groups, training=(features, labels), limit=1)
    assert (found[0].code, found[0].method) == (2, "classifier")
    assert 0.5 <= found[0].score <= 1.0


def test_codes_short_of_training_data_keep_similarity():
    features, labels = _clusters(scoring.MIN_POSITIVE)
    labels[:, 1] = False
    labels[:scoring.MIN_POSITIVE - 1, 1] = True  # code 1 falls one short
    models = scoring.train(features, labels)
    assert sorted(models) == [0, 2]
    prob = scoring.probabilities(models, np.array([[0, 1.0, 0, 0]]), 3)
    assert np.isnan(prob[0, 1]) and not np.isnan(prob[0, 0])
    found = scoring.select(np.array([[0.1, 0.9, 0.1]]), prob, similarity_threshold=0.5, probability_threshold=0.5)
    assert [(s.code, s.method) for s in found] == [(1, "similarity")]


def test_the_classifier_is_deterministic():
    features, labels = _clusters(scoring.MIN_POSITIVE + 3, seed=4)
    units, _ = _clusters(5, seed=9)
    first = scoring.probabilities(scoring.train(features, labels), units, 3)
    again = scoring.probabilities(scoring.train(features.copy(), labels.copy()), units, 3)
    assert np.array_equal(first, again)
    assert (np.argmax(first, axis=1) == np.repeat([0, 1, 2], 5)).mean() >= 0.8


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 5)), elements=st.floats(-1, 1)),
       st.floats(-1, 1), st.integers(1, 5))
def test_selection_respects_threshold_and_limit(sim, threshold, limit):
    found = scoring.select(sim, similarity_threshold=threshold, limit=limit)
    for unit in range(sim.shape[0]):
        mine = [s for s in found if s.unit == unit]
        assert len(mine) == min(limit, int((sim[unit] >= threshold).sum()))
        assert all(s.score >= threshold and s.score == sim[unit, s.code] for s in mine)
        assert [s.score for s in mine] == sorted((s.score for s in mine), reverse=True)
