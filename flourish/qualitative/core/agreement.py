"""Inter-coder agreement per code over coding units (speaker turns or sentences).

Conventions:

- A **unit** is a span ``(source, start, end)`` of code points, end exclusive; units of one
  source do not overlap. Units are referred to by their index in the list given.
- A coder **applies** code C to a unit if any of that coder's codings with C overlaps the
  unit by at least one code point (``coding.start < unit.end and coding.end > unit.start``).
  So each (code, coder, unit) is a nominal value 1 (applied) or 0 (not applied).
- **Missing**: a coder who was not assigned a source (``assignments``) is missing for all
  its units (NaN), not 0. Without ``assignments`` every coder counts for every source.
- ``exclude_uncoded=True`` drops units that no coder coded with any of the chosen codes.
- **Percent agreement**: over units with at least two present coders, the share of agreeing
  coder pairs within the unit, averaged over units (for two coders: share of units agreed).
- **Cohen's kappa**: two coders only, over units both coded; ``(po - pe) / (1 - pe)`` with
  each coder's own marginals. Undefined (NaN) when ``pe == 1``.
- **Fleiss' kappa** (Fleiss 1971, as statsmodels' ``fleiss_kappa``): any number of coders, over
  the units every coder coded (it needs the same number of ratings per unit);
  ``(P - Pe) / (1 - Pe)`` with P the mean within-unit pairwise agreement and Pe from the pooled
  category proportions. NaN when ``Pe == 1``.
- **Light's kappa** (Light 1971; R's ``irr::kappam.light``): the mean of Cohen's kappa over every
  pair of coders, each pair over the units both coded; pairs whose kappa is undefined are left
  out of the mean.
- **Krippendorff's alpha** (nominal): coincidence-matrix form, any number of coders, missing
  allowed; units with fewer than two values are not pairable and are left out. NaN when
  only one value occurs at all (no variation: alpha is undefined).
- **Bootstrap CIs**: ``B`` resamples of units with replacement (numpy ``default_rng(seed)``,
  so the same seed gives the same interval), the statistic recomputed on each; the
  percentile interval of the finite replicates. The same resampling serves all three
  statistics (for alpha this is the standard unit-resampling bootstrap).
- Statistics are computed from per-unit sums, so a bootstrap replicate is a weighted sum
  (weights = how often each unit was drawn): fast for tens of thousands of units.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Unit:
    source: Hashable
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    """One coder's coding: ``code`` applied to ``[start, end)`` of ``source``."""

    coder: Hashable
    source: Hashable
    start: int
    end: int
    code: Hashable


@dataclass(frozen=True)
class Disagreement:
    unit: int
    source: Hashable
    start: int
    end: int
    code: Hashable
    applied_by: tuple[Hashable, ...]
    not_applied_by: tuple[Hashable, ...]


@dataclass
class CodeAgreement:
    code: Hashable
    n_units: int  # units with at least two present coders
    n_applied: int  # (coder, unit) pairs where the code was applied
    percent_agreement: float | None
    cohen_kappa: float | None  # None unless exactly two coders
    krippendorff_alpha: float | None
    fleiss_kappa: float | None = None
    light_kappa: float | None = None
    percent_ci: tuple[float, float] | None = None
    kappa_ci: tuple[float, float] | None = None
    alpha_ci: tuple[float, float] | None = None


@dataclass
class AgreementReport:
    coders: list[Hashable]
    codes: list[Hashable]
    n_units: int
    per_code: dict[Hashable, CodeAgreement] = field(default_factory=dict)  # code -> CodeAgreement
    disagreements: list[Disagreement] = field(default_factory=list)
    bootstrap: int = 0
    confidence: float = 0.95
    seed: int | None = None


# --- building the data ------------------------------------------------------------------


def applied_matrix(units: Sequence[Unit], segments: Iterable[Segment], coders: Sequence[Hashable],
                   codes: Sequence[Hashable],
                   assignments: Mapping[Hashable, Collection[Hashable]] | None = None) -> np.ndarray:
    """Array ``[code, coder, unit]`` of 1.0 (applied), 0.0 (not) or NaN (coder missing).
    (`agreement` itself never builds it: see `_Applied`, whose memory is bounded by the units.)"""
    applied = _Applied(units, segments, coders, codes, assignments)
    return np.stack([applied.matrix(k) for k in range(len(codes))]) if codes else np.zeros((0, len(coders),
                                                                                              len(units)))


class _Applied:
    """Who applied which code where, held as the coders x units "missing" pattern (NaN where a
    coder did not code the unit's source) plus, per code, the (coder, unit) cells applied:
    memory is coders x units plus the codings, never codes x coders x units."""

    def __init__(self, units: Sequence[Unit], segments: Iterable[Segment], coders: Sequence[Hashable],
                 codes: Sequence[Hashable], assignments: Mapping[Hashable, Collection[Hashable]] | None) -> None:
        code_ix = {c: i for i, c in enumerate(codes)}
        coder_ix = {c: i for i, c in enumerate(coders)}
        self.base = np.zeros((len(coders), len(units)))
        by_source: dict[Hashable, list[tuple[int, int, int]]] = defaultdict(list)
        for i, u in enumerate(units):
            by_source[u.source].append((u.start, u.end, i))
        index = {}
        for src, items in by_source.items():
            items.sort()
            index[src] = ([s for s, _, _ in items], [e for _, e, _ in items], [i for _, _, i in items])
        if assignments is not None:
            for j, coder in enumerate(coders):
                allowed = assignments.get(coder, ())
                outside = np.array([u.source not in allowed for u in units], dtype=bool)
                if outside.any():
                    self.base[j, outside] = np.nan
        self.hits: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for seg in segments:
            if seg.code not in code_ix or seg.coder not in coder_ix or seg.source not in index or seg.end <= seg.start:
                continue
            starts, ends, ids = index[seg.source]
            k, j = code_ix[seg.code], coder_ix[seg.coder]
            # units with start < seg.end and end > seg.start (units sorted, non-overlapping)
            hi = bisect.bisect_left(starts, seg.end)
            lo = bisect.bisect_right(ends, seg.start)
            for p in range(lo, hi):
                i = ids[p]
                if not np.isnan(self.base[j, i]):
                    self.hits[k].add((j, i))

    def matrix(self, k: int) -> np.ndarray:
        """coders x units for code ``k``: 1.0 applied, 0.0 not, NaN missing."""
        m = self.base.copy()
        if self.hits.get(k):
            j, i = zip(*self.hits[k])
            m[list(j), list(i)] = 1.0
        return m

    def coded_units(self) -> np.ndarray:
        """Indices of the units on which anyone applied any code."""
        return np.array(sorted({i for cells in self.hits.values() for _, i in cells}), dtype=int)


# --- statistics from per-unit sums ------------------------------------------------------


def _unit_terms(matrix: np.ndarray) -> dict[str, np.ndarray]:
    """Per-unit quantities for one code; ``matrix`` is coders x units (values 0/1/NaN)."""
    present = ~np.isnan(matrix)
    m = present.sum(axis=0).astype(float)  # values per unit
    ones = np.nansum(matrix, axis=0)
    zeros = m - ones
    pairable = m >= 2
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(pairable, (m**2 - ones**2 - zeros**2) / (m - 1), 0.0)
        agree = np.where(pairable, (ones * (ones - 1) + zeros * (zeros - 1)) / (m * (m - 1)), 0.0)
    terms = {
        "pairable": pairable.astype(float),
        "m": np.where(pairable, m, 0.0),
        "ones": np.where(pairable, ones, 0.0),
        "d": d,
        "agree": agree,
    }
    if matrix.shape[0] == 2:
        both = present[0] & present[1]
        a, b = np.nan_to_num(matrix[0]), np.nan_to_num(matrix[1])
        terms.update(both=both.astype(float), same=(both & (a == b)).astype(float),
                     a1=(both & (a == 1)).astype(float), b1=(both & (b == 1)).astype(float))
    k = matrix.shape[0]
    complete = present.all(axis=0)
    terms.update(complete=complete.astype(float), agree_c=np.where(complete, agree, 0.0),
                 ones_c=np.where(complete, ones, 0.0))
    # every pair of coders, for Light's kappa: rows = pairs
    pair_rows = [(i, j) for i in range(k) for j in range(i + 1, k)]
    both_p = np.array([present[i] & present[j] for i, j in pair_rows], dtype=bool).reshape(-1, matrix.shape[1])
    vals = np.nan_to_num(matrix)
    terms.update(
        p_both=both_p.astype(float),
        p_same=np.array([both_p[n] & (vals[i] == vals[j]) for n, (i, j) in enumerate(pair_rows)],
                        dtype=float).reshape(both_p.shape),
        p_a1=np.array([both_p[n] & (vals[i] == 1) for n, (i, _) in enumerate(pair_rows)],
                      dtype=float).reshape(both_p.shape),
        p_b1=np.array([both_p[n] & (vals[j] == 1) for n, (_, j) in enumerate(pair_rows)],
                      dtype=float).reshape(both_p.shape),
    )
    return terms


def _more_kappas(terms: dict[str, np.ndarray], w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(Fleiss' kappa, Light's kappa) for each row of weights ``w`` (replicates x units)."""
    m = terms["m"]
    k = float(np.max(m)) if m.size else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        n_c = w @ terms["complete"]
        p_bar = (w @ terms["agree_c"]) / n_c
        p1 = (w @ terms["ones_c"]) / (n_c * k)
        pe = p1 ** 2 + (1 - p1) ** 2
        fleiss = np.where(pe < 1, (p_bar - pe) / (1 - pe), np.nan)
        nb = w @ terms["p_both"].T  # replicates x pairs
        po = (w @ terms["p_same"].T) / nb
        pa, pb = (w @ terms["p_a1"].T) / nb, (w @ terms["p_b1"].T) / nb
        pe2 = pa * pb + (1 - pa) * (1 - pb)
        kappas = np.where(pe2 < 1, (po - pe2) / (1 - pe2), np.nan)
        finite = np.isfinite(kappas)
        light = np.where(finite.any(axis=1), np.nansum(np.where(finite, kappas, 0.0), axis=1)
                         / np.maximum(finite.sum(axis=1), 1), np.nan)
    return fleiss, light


def _stats(terms: dict[str, np.ndarray], w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(percent, kappa, alpha) for each row of weights ``w`` (replicates x units)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        n_pairable = w @ terms["pairable"]
        percent = (w @ terms["agree"]) / n_pairable
        n = w @ terms["m"]
        n1 = w @ terms["ones"]
        n0 = n - n1
        d_o = (w @ terms["d"]) / n
        d_e = (n**2 - n1**2 - n0**2) / (n * (n - 1))
        alpha = np.where(d_e > 0, 1 - d_o / d_e, np.nan)
        if "both" in terms:
            nb = w @ terms["both"]
            po = (w @ terms["same"]) / nb
            pa, pb = (w @ terms["a1"]) / nb, (w @ terms["b1"]) / nb
            pe = pa * pb + (1 - pa) * (1 - pb)
            kappa = np.where(pe < 1, (po - pe) / (1 - pe), np.nan)
        else:
            kappa = np.full(w.shape[0], np.nan)
    return percent, kappa, alpha


def percent_agreement(matrix: np.ndarray) -> float:
    """Mean pairwise agreement over units with two or more values (coders x units, NaN missing)."""
    return float(_stats(_unit_terms(np.asarray(matrix, float)), np.ones((1, matrix.shape[1])))[0][0])


def cohen_kappa(matrix: np.ndarray) -> float:
    """Cohen's kappa of a 2 x units matrix of 0/1 values (NaN = missing, pair dropped)."""
    if matrix.shape[0] != 2:
        raise ValueError("Cohen's kappa needs exactly two coders")
    return float(_stats(_unit_terms(np.asarray(matrix, float)), np.ones((1, matrix.shape[1])))[1][0])


def fleiss_kappa(matrix: np.ndarray) -> float:
    """Fleiss' kappa of a coders x units matrix of 0/1 values, over units no coder is missing."""
    m = np.asarray(matrix, float)
    return float(_more_kappas(_unit_terms(m), np.ones((1, m.shape[1])))[0][0])


def light_kappa(matrix: np.ndarray) -> float:
    """Light's kappa: the mean pairwise Cohen's kappa of a coders x units matrix (NaN missing)."""
    m = np.asarray(matrix, float)
    return float(_more_kappas(_unit_terms(m), np.ones((1, m.shape[1])))[1][0])


def krippendorff_alpha(matrix: np.ndarray) -> float:
    """Nominal Krippendorff's alpha of a coders x units matrix of 0/1 values, NaN missing."""
    return float(_stats(_unit_terms(np.asarray(matrix, float)), np.ones((1, matrix.shape[1])))[2][0])


def bootstrap(matrix: np.ndarray, *, B: int = 1000, seed: int | None = 0, confidence: float = 0.95,
              chunk: int = 200) -> dict[str, tuple[float, float] | None]:
    """Percentile CIs ``{"percent", "kappa", "alpha"}`` from ``B`` unit resamples."""
    terms = _unit_terms(np.asarray(matrix, float))
    n_units = matrix.shape[1]
    rng = np.random.default_rng(seed)
    reps: list[list[np.ndarray]] = [[], [], []]
    done = 0
    while done < B and n_units:
        size = min(chunk, B - done)
        idx = rng.integers(0, n_units, size=(size, n_units))  # units drawn with replacement
        flat = (np.arange(size)[:, None] * n_units + idx).ravel()
        w = np.bincount(flat, minlength=size * n_units).reshape(size, n_units).astype(float)
        for lst, vals in zip(reps, _stats(terms, w)):
            lst.append(vals)
        done += size
    tail = (1 - confidence) / 2 * 100
    out = {}
    for name, lst in zip(("percent", "kappa", "alpha"), reps):
        vals = np.concatenate(lst) if lst else np.array([])
        vals = vals[np.isfinite(vals)]
        out[name] = (float(np.percentile(vals, tail)), float(np.percentile(vals, 100 - tail))) if len(vals) else None
    return out


# --- the report -------------------------------------------------------------------------


def _nan_to_none(x: float) -> float | None:
    return None if x is None or math.isnan(x) else float(x)


def agreement(units: Sequence[Unit], segments: Iterable[Segment], coders: Sequence[Hashable],
              codes: Sequence[Hashable], *, assignments: Mapping[Hashable, Collection[Hashable]] | None = None,
              exclude_uncoded: bool = False, bootstrap_samples: int = 1000, confidence: float = 0.95,
              seed: int | None = 0) -> AgreementReport:
    """Agreement per code between ``coders`` (two or more) over ``units``.

    ``assignments`` maps coder -> set of sources they coded (others are missing).
    ``bootstrap_samples=0`` skips the confidence intervals. NaN statistics become None.
    """
    coders, codes, units = list(coders), list(codes), list(units)
    if len(coders) < 2:
        raise ValueError("agreement needs at least two coders")
    if len(set(coders)) != len(coders):
        raise ValueError("each coder may be listed once")
    applied = _Applied(units, segments, coders, codes, assignments)
    keep = np.arange(len(units))
    if exclude_uncoded and len(units):
        keep = applied.coded_units()
    report = AgreementReport(coders=coders, codes=codes, n_units=len(keep), bootstrap=bootstrap_samples,
                             confidence=confidence, seed=seed)
    for k, code in enumerate(codes):
        matrix = applied.matrix(k)[:, keep]
        terms = _unit_terms(matrix)
        percent, kappa, alpha = (float(v[0]) for v in _stats(terms, np.ones((1, len(keep)))))
        fleiss, light = (float(v[0]) for v in _more_kappas(terms, np.ones((1, len(keep)))))
        result = CodeAgreement(
            code=code, n_units=int(terms["pairable"].sum()), n_applied=int(np.nansum(matrix)),
            percent_agreement=_nan_to_none(percent),
            cohen_kappa=_nan_to_none(kappa) if len(coders) == 2 else None,
            krippendorff_alpha=_nan_to_none(alpha),
            fleiss_kappa=_nan_to_none(fleiss), light_kappa=_nan_to_none(light),
        )
        if bootstrap_samples:
            ci = bootstrap(matrix, B=bootstrap_samples, seed=seed, confidence=confidence)
            result.percent_ci, result.alpha_ci = ci["percent"], ci["alpha"]
            result.kappa_ci = ci["kappa"] if len(coders) == 2 else None
        report.per_code[code] = result
        present = ~np.isnan(matrix)
        n_present, n_ones = present.sum(axis=0), np.nansum(matrix, axis=0)
        for col in np.flatnonzero((n_present >= 2) & (n_ones > 0) & (n_ones < n_present)):
            i, values = int(keep[col]), matrix[:, col]
            u = units[i]
            report.disagreements.append(Disagreement(
                unit=i, source=u.source, start=u.start, end=u.end, code=code,
                applied_by=tuple(c for c, v in zip(coders, values) if v == 1),
                not_applied_by=tuple(c for c, v in zip(coders, values) if v == 0),
            ))
    position = {c: i for i, c in enumerate(codes)}
    report.disagreements.sort(key=lambda d: (d.unit, position[d.code]))
    return report
