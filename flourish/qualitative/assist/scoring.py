"""Suggestion logic of assisted coding, on plain numpy arrays (no Django, no model).

Conventions:

- Embeddings are rows of float arrays; they are L2-normalised here before use, so the
  dot product of two rows is their cosine similarity. Codes are columns ``0..k-1`` in
  the caller's order; ties are broken by that order, so results are deterministic.
- **Similarity.** A code's *prototype* is the mean of the normalised embeddings of its
  definition, its inclusion note and each example quote, normalised again. A code with no
  text has a zero prototype (similarity 0, so it is never suggested above a positive
  threshold). The score is the cosine similarity of unit and prototype, in [-1, 1].
- **Classifier.** Once the project's consensus layer has adjudicated enough units, a
  logistic regression per code (one-vs-rest, scikit-learn, balanced class weights, fixed
  seed) is trained on their embeddings: a unit is positive for a code when the consensus
  coded it with the code, negative when the unit was adjudicated but not with that code.
  A code gets a classifier only with at least ``MIN_POSITIVE`` positive and
  ``MIN_NEGATIVE`` negative units; the score is the predicted probability, in [0, 1].
  Codes without a classifier keep the similarity score. ``method`` says which was used.
- **Selection.** A (unit, code) is suggested when its score reaches the threshold of its
  method (``similarity_threshold`` or ``probability_threshold``); each unit gets at most
  ``limit`` suggestions, highest score first. The two scores are on different scales, so
  within a unit a confident classifier usually outranks a similarity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SIMILARITY = "similarity"
CLASSIFIER = "classifier"
# Defaults: all-MiniLM-L6-v2 puts paraphrases of a topic at about 0.4-0.7 and unrelated
# talk below about 0.25; a unit gets at most three suggestions.
SIMILARITY_THRESHOLD = 0.3
PROBABILITY_THRESHOLD = 0.5
LIMIT = 3
# Adjudicated units a code needs before it gets a classifier: at least this many where
# the consensus applied it, and this many where it did not.
MIN_POSITIVE = 10
MIN_NEGATIVE = 10


@dataclass(frozen=True)
class Suggestion:
    unit: int  # row of the unit embeddings
    code: int  # column: index into the caller's list of codes
    score: float
    method: str  # SIMILARITY or CLASSIFIER


def normalise(vectors) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float64."""
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float64))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def prototypes(groups: Sequence, dim: int) -> np.ndarray:
    """k x dim: for each code, the normalised mean of its normalised text embeddings
    (``groups[i]`` is an n_i x dim array, n_i may be 0)."""
    out = np.zeros((len(groups), dim))
    for i, group in enumerate(groups):
        group = np.asarray(group, dtype=np.float64).reshape(-1, dim)
        if len(group):
            out[i] = normalise(normalise(group).mean(axis=0))[0]
    return out


def similarity(units, protos) -> np.ndarray:
    """n x k cosine similarities of each unit to each prototype."""
    units = np.asarray(units)
    if units.size == 0:
        return np.zeros((0, len(protos)))
    return normalise(units) @ normalise(protos).T if len(protos) else np.zeros((len(units), 0))


def trainable(labels) -> np.ndarray:
    """Which code columns have enough positive and negative adjudicated units."""
    labels = np.asarray(labels, dtype=bool)
    if labels.ndim != 2:
        raise ValueError("labels must be units x codes")
    positive = labels.sum(axis=0)
    return (positive >= MIN_POSITIVE) & (labels.shape[0] - positive >= MIN_NEGATIVE)


def train(features, labels, seed: int = 0) -> dict:
    """{code column: fitted LogisticRegression} for each trainable column.
    ``features``: m x dim embeddings of adjudicated units; ``labels``: m x k booleans."""
    features, labels = np.asarray(features), np.asarray(labels, dtype=bool)
    if not len(features):
        return {}
    # scikit-learn comes with sentence-transformers (the optional extra); imported here so
    # the similarity functions above need numpy only.
    from sklearn.linear_model import LogisticRegression

    x = normalise(features)
    models = {}
    for column in np.flatnonzero(trainable(labels)):
        model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000, random_state=seed)
        model.fit(x, labels[:, column])
        models[int(column)] = model
    return models


def probabilities(models: dict, units, k: int) -> np.ndarray:
    """n x k probability that each code applies; NaN in columns without a classifier."""
    units = np.asarray(units)
    out = np.full((len(units), k), np.nan)
    if len(units):
        x = normalise(units)
        for column, model in models.items():
            out[:, column] = model.predict_proba(x)[:, list(model.classes_).index(True)]
    return out


def select(sim, prob=None, *, similarity_threshold: float = SIMILARITY_THRESHOLD,
           probability_threshold: float = PROBABILITY_THRESHOLD, limit: int = LIMIT) -> list[Suggestion]:
    """Suggestions from n x k similarity scores and (optionally) n x k classifier
    probabilities (NaN where a code has no classifier). Sorted by unit, then score."""
    sim = np.asarray(sim, dtype=np.float64)
    if sim.size == 0 or limit <= 0:
        return []
    prob = np.full(sim.shape, np.nan) if prob is None else np.asarray(prob, dtype=np.float64)
    by_classifier = ~np.isnan(prob)
    scores = np.where(by_classifier, prob, sim)
    passes = scores >= np.where(by_classifier, probability_threshold, similarity_threshold)
    ranked = np.where(passes, scores, -np.inf)
    # Stable sort on the negated score: equal scores keep the codes' order.
    order = np.argsort(-ranked, axis=1, kind="stable")[:, :limit]
    out = []
    for unit, columns in enumerate(order):
        for column in columns:
            if not passes[unit, column]:
                break
            out.append(Suggestion(unit, int(column), float(scores[unit, column]),
                                  CLASSIFIER if by_classifier[unit, column] else SIMILARITY))
    return out


def suggest(units, code_texts: Sequence, *, training: tuple | None = None, seed: int = 0,
            **thresholds) -> list[Suggestion]:
    """The whole pure step: ``units`` n x dim, ``code_texts[i]`` the embeddings of code i's
    definition, inclusion and examples, ``training`` an optional (features, labels) of
    adjudicated units. Keyword thresholds and ``limit`` as in `select`."""
    units = np.asarray(units)
    dim = units.shape[1] if units.ndim == 2 else 0
    sim = similarity(units, prototypes(code_texts, dim))
    prob = None
    if training is not None:
        models = train(*training, seed=seed)
        if models:
            prob = probabilities(models, units, len(code_texts))
    return select(sim, prob, **thresholds)
