"""Agreement statistics, cross-checked against `krippendorff` and statsmodels."""

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import cohens_kappa as sm_kappa

from flourish.qualitative.core.agreement import (
    Segment,
    Unit,
    agreement,
    applied_matrix,
    bootstrap,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
)


def _sm_kappa(m):
    both = ~np.isnan(m).any(axis=0)
    a, b = m[0, both], m[1, both]
    table = np.array([[np.sum((a == i) & (b == j)) for j in (0, 1)] for i in (0, 1)])
    return sm_kappa(table).kappa


matrices = st.integers(2, 5).flatmap(lambda coders: st.lists(
    st.lists(st.sampled_from([0.0, 1.0, np.nan]), min_size=coders, max_size=coders), min_size=2, max_size=40,
).map(lambda cols: np.array(cols).T))


@settings(max_examples=150, deadline=None)
@given(matrices)
def test_alpha_matches_krippendorff_package(m):
    values = m[~np.isnan(m)]
    pairable = (~np.isnan(m)).sum(axis=0) >= 2
    pv = m[:, pairable]
    pv = pv[~np.isnan(pv)]
    ours = krippendorff_alpha(m)
    if len(set(pv.tolist())) < 2:
        assert math.isnan(ours)
        return
    assert len(values)
    ref = krippendorff.alpha(reliability_data=m, level_of_measurement="nominal")
    assert ours == pytest.approx(ref, abs=1e-9)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0.0, 1.0, np.nan]), st.sampled_from([0.0, 1.0, np.nan])),
                min_size=1, max_size=40))
def test_kappa_matches_statsmodels(pairs):
    m = np.array(pairs).T
    both = ~np.isnan(m).any(axis=0)
    ours = cohen_kappa(m)
    if both.sum() == 0:
        assert math.isnan(ours)
        return
    a, b = m[0, both], m[1, both]
    pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
    if pe >= 1 - 1e-12:
        assert math.isnan(ours)
        return
    assert ours == pytest.approx(_sm_kappa(m), abs=1e-9)
    assert percent_agreement(m) == pytest.approx(np.mean(a == b))


def test_percent_agreement_many_coders():
    m = np.array([[1, 1, 0], [1, 0, 0], [1, 0, np.nan]], float)
    # unit 0: all agree (1); unit 1: 1 of 3 pairs agree; unit 2: the two present agree
    assert percent_agreement(m) == pytest.approx((1 + 1 / 3 + 1) / 3)
    with pytest.raises(ValueError):
        cohen_kappa(m)


def _data(n_sources=3, turns=30, seed=0):
    rng = np.random.default_rng(seed)
    units, segs = [], []
    for s in range(n_sources):
        for t in range(turns):
            units.append(Unit(s, t * 100, t * 100 + 90))
            truth = rng.random(3) < 0.3
            for coder, noise in (("ann", 0.1), ("bob", 0.2)):
                for code in range(3):
                    if truth[code] != (rng.random() < noise):
                        a = t * 100 + int(rng.integers(0, 80))
                        segs.append(Segment(coder, s, a, a + int(rng.integers(1, 40)), code))
    return units, segs


def test_overlap_rule_and_missing():
    units = [Unit("s", 0, 10), Unit("s", 10, 20), Unit("s", 25, 30), Unit("t", 0, 5)]
    segs = [Segment("a", "s", 9, 11, "x"), Segment("a", "s", 20, 25, "x"), Segment("b", "s", 29, 40, "x"),
            Segment("b", "t", 0, 1, "x"), Segment("b", "s", 5, 5, "x")]
    m = applied_matrix(units, segs, ["a", "b"], ["x"], assignments={"a": {"s"}, "b": {"s", "t"}})
    assert m[0, 0, :3].tolist() == [1, 1, 0] and math.isnan(m[0, 0, 3])
    assert m[0, 1].tolist() == [0, 0, 1, 1]


def test_report_matches_packages_and_lists_disagreements():
    units, segs = _data()
    rep = agreement(units, segs, ["ann", "bob"], [0, 1, 2], bootstrap_samples=300, seed=7)
    data = applied_matrix(units, segs, ["ann", "bob"], [0, 1, 2])
    for k in range(3):
        r = rep.per_code[k]
        reference_alpha = krippendorff.alpha(reliability_data=data[k], level_of_measurement="nominal")
        assert r.krippendorff_alpha == pytest.approx(reference_alpha)
        assert r.cohen_kappa == pytest.approx(_sm_kappa(data[k]))
        for est, ci in ((r.percent_agreement, r.percent_ci), (r.cohen_kappa, r.kappa_ci),
                        (r.krippendorff_alpha, r.alpha_ci)):
            assert ci[0] <= est <= ci[1]
        n_dis = sum(1 for d in rep.disagreements if d.code == k)
        assert n_dis == int(np.sum(data[k, 0] != data[k, 1]))
    d = rep.disagreements[0]
    assert set(d.applied_by + d.not_applied_by) == {"ann", "bob"} and len(d.applied_by) == 1
    again = agreement(units, segs, ["ann", "bob"], [0, 1, 2], bootstrap_samples=300, seed=7)
    assert all(again.per_code[k].alpha_ci == rep.per_code[k].alpha_ci for k in range(3))
    other = agreement(units, segs, ["ann", "bob"], [0, 1, 2], bootstrap_samples=300, seed=8)
    assert any(other.per_code[k].alpha_ci != rep.per_code[k].alpha_ci for k in range(3))


def test_exclude_uncoded_and_three_coders():
    units, segs = _data()
    segs += [Segment("cy", s.source, s.start, s.end, s.code) for s in segs if s.coder == "ann"]
    full = agreement(units, segs, ["ann", "bob", "cy"], [0, 1], bootstrap_samples=0,
                     assignments={"ann": {0, 1, 2}, "bob": {0, 1, 2}, "cy": {0, 1}})
    assert full.per_code[0].cohen_kappa is None and full.per_code[0].kappa_ci is None
    data = applied_matrix(units, segs, ["ann", "bob", "cy"], [0, 1], {"ann": {0, 1, 2}, "bob": {0, 1, 2}, "cy": {0, 1}})
    assert np.isnan(data[0, 2, -1])
    assert full.per_code[0].krippendorff_alpha == pytest.approx(
        krippendorff.alpha(reliability_data=data[0], level_of_measurement="nominal"))
    ex = agreement(units, segs, ["ann", "bob", "cy"], [0, 1], bootstrap_samples=0, exclude_uncoded=True)
    coded = np.nansum(applied_matrix(units, segs, ["ann", "bob", "cy"], [0, 1]), axis=(0, 1)) > 0
    assert ex.n_units == int(coded.sum()) < len(units)


def test_no_variation_gives_none_and_errors():
    units = [Unit(0, 0, 5), Unit(0, 5, 9)]
    rep = agreement(units, [], ["a", "b"], ["x"], bootstrap_samples=50)
    r = rep.per_code["x"]
    assert r.percent_agreement == 1.0 and r.krippendorff_alpha is None and r.cohen_kappa is None
    assert r.alpha_ci is None and rep.disagreements == []
    with pytest.raises(ValueError):
        agreement(units, [], ["a"], ["x"])
    with pytest.raises(ValueError):
        agreement(units, [], ["a", "a"], ["x"])


def test_the_same_seed_gives_the_same_interval():
    m = (np.random.default_rng(3).random((2, 200)) < 0.4).astype(float)
    m[1, :150] = m[0, :150]
    assert bootstrap(m, B=200, seed=1) == bootstrap(m, B=200, seed=1)
    ci = bootstrap(m, B=500, seed=1)
    assert ci["alpha"][0] <= krippendorff_alpha(m) <= ci["alpha"][1]
    assert ci["kappa"][0] <= cohen_kappa(m) <= ci["kappa"][1]


def _sm_fleiss(m):
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    complete = m[:, ~np.isnan(m).any(axis=0)]
    table = np.column_stack([(complete == 0).sum(axis=0), (complete == 1).sum(axis=0)])
    return sm_fleiss(table, method="fleiss")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(max_examples=150, deadline=None)
@given(matrices)
def test_fleiss_kappa_matches_statsmodels_for_three_or_more_coders(m):
    from flourish.qualitative.core.agreement import fleiss_kappa

    complete = m[:, ~np.isnan(m).any(axis=0)]
    ours = fleiss_kappa(m)
    p1 = complete.mean() if complete.size else float("nan")
    if not complete.size or p1 in (0.0, 1.0):
        assert math.isnan(ours)
        return
    assert ours == pytest.approx(_sm_fleiss(m), abs=1e-9)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(max_examples=150, deadline=None)
@given(matrices)
def test_light_kappa_is_the_mean_of_statsmodels_pairwise_cohen_kappas(m):
    from flourish.qualitative.core.agreement import light_kappa

    kappas = []
    for i in range(m.shape[0]):
        for j in range(i + 1, m.shape[0]):
            pair = m[[i, j]]
            both = ~np.isnan(pair).any(axis=0)
            a, b = pair[0, both], pair[1, both]
            if not both.any():
                continue
            pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
            if pe >= 1 - 1e-12:
                continue
            kappas.append(_sm_kappa(pair))
    ours = light_kappa(m)
    if not kappas:
        assert math.isnan(ours)
        return
    assert ours == pytest.approx(float(np.mean(kappas)), abs=1e-9)


def test_three_coders_get_fleiss_and_light_kappa_next_to_alpha():
    units = [Unit("s", i * 10, i * 10 + 9) for i in range(6)]
    applied = {"ann": [1, 1, 0, 0, 1, 0], "bob": [1, 0, 0, 0, 1, 0], "cat": [1, 1, 0, 1, 1, 0]}
    segs = [Segment(source="s", start=i * 10, end=i * 10 + 5, code="c", coder=coder)
            for coder, row in applied.items() for i, v in enumerate(row) if v]
    report = agreement(units, segs, list(applied), ["c"], bootstrap_samples=0)
    row = report.per_code["c"]
    m = np.array(list(applied.values()), float)
    assert row.cohen_kappa is None
    assert row.fleiss_kappa == pytest.approx(_sm_fleiss(m), abs=1e-12)
    pairs = [_sm_kappa(m[[0, 1]]), _sm_kappa(m[[0, 2]]), _sm_kappa(m[[1, 2]])]
    assert row.light_kappa == pytest.approx(float(np.mean(pairs)), abs=1e-12)
    assert row.krippendorff_alpha is not None


def test_memory_is_bounded_by_the_units_not_codes_times_units():
    """1,500 codes over 4,000 units: the old codes x coders x units array alone was 96 MB."""
    import tracemalloc

    from flourish.qualitative.core.agreement import Segment, Unit, agreement

    units = [Unit("s", i * 10, i * 10 + 9) for i in range(4000)]
    segs = [Segment(c, "s", (k * 7 % 4000) * 10, (k * 7 % 4000) * 10 + 5, k) for k in range(1500) for c in ("a", "b")
            if c == "a" or k % 3]
    tracemalloc.start()
    report = agreement(units, segs, ["a", "b"], list(range(1500)), bootstrap_samples=0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 30 * 1024 * 1024, f"{peak:,} bytes"
    assert len(report.disagreements) == 500 and report.per_code[1].n_applied == 2
