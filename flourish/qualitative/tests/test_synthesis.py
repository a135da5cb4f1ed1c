"""Coverage, co-occurrence, uncovered units and the model check, on a hand-computed example
and as properties over random layers (pure: no database)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flourish.qualitative.core.synthesis import (
    Coded,
    Unit,
    applied,
    cooccurrence,
    coverage,
    covered,
    model_check,
    resolve_processes,
    uncovered,
)

# Two sources. s1 is an interview with three 10-character turns (Ann, Ben, Ann); s2 a PAR
# session with Cal's turns of 20, 10 and 10 characters.
UNITS = [
    Unit("s1", 0, 10, "Ann", "interview"), Unit("s1", 10, 20, "Ben", "interview"),
    Unit("s1", 20, 30, "Ann", "interview"), Unit("s2", 0, 20, "Cal", "PAR"),
    Unit("s2", 20, 30, "Cal", "PAR"), Unit("s2", 30, 40, "Cal", "PAR"),
]
CODINGS = [
    Coded("s1", 2, 8, "X"), Coded("s1", 15, 25, "X"),  # X: 6 chars of u0, 5 of u1, 5 of u2
    Coded("s1", 0, 1, "X1"),  # a sub-code of X: 1 char of u0
    Coded("s1", 5, 12, "Y"), Coded("s2", 0, 4, "Y"), Coded("s2", 2, 6, "Y"),  # 5 of u0, 2 of u1, 6 of u3
    Coded("s2", 10, 20, "Z"), Coded("s2", 22, 28, "Z"),  # emergent: 10 of u3, 6 of u4
]
CODES = ["X", "X1", "Y", "Z"]
CODEBOOK = {"X": (None, "p1"), "X1": ("X", ""), "Y": (None, "p2"), "Z": (None, "")}


def test_overall_coverage_counts_units_and_characters_once():
    [row] = coverage(UNITS, CODINGS, CODES)
    assert (row["n_units"], row["chars"]) == (6, 70)
    assert row["codes"]["X"] == {"units": 3, "unit_share": 0.5, "chars": 16, "char_share": 16 / 70}
    assert row["codes"]["X1"] == {"units": 1, "unit_share": 1 / 6, "chars": 1, "char_share": 1 / 70}
    # Y's two overlapping codings in s2 cover [0, 6): six characters, not eight
    assert row["codes"]["Y"] == {"units": 3, "unit_share": 0.5, "chars": 13, "char_share": 13 / 70}
    assert row["codes"]["Z"]["units"] == 2 and row["codes"]["Z"]["chars"] == 16


def test_coverage_by_speaker_stage_and_source_uses_each_groups_own_totals():
    by_speaker = {r["group"]: r for r in coverage(UNITS, CODINGS, CODES, by="speaker")}
    assert list(by_speaker) == ["Ann", "Ben", "Cal"]
    assert by_speaker["Ann"]["codes"]["X"] == {"units": 2, "unit_share": 1.0, "chars": 11, "char_share": 11 / 20}
    assert by_speaker["Ben"]["codes"]["Y"] == {"units": 1, "unit_share": 1.0, "chars": 2, "char_share": 0.2}
    assert by_speaker["Cal"]["codes"]["Y"] == {"units": 1, "unit_share": 1 / 3, "chars": 6, "char_share": 6 / 40}
    by_stage = {r["group"]: r for r in coverage(UNITS, CODINGS, CODES, by="stage")}
    assert by_stage["interview"]["codes"]["X"]["char_share"] == 16 / 30
    assert by_stage["PAR"]["codes"]["X"]["units"] == 0
    by_source = {r["group"]: r for r in coverage(UNITS, CODINGS, CODES, by="source")}
    assert by_source["s2"]["codes"]["Z"] == {"units": 2, "unit_share": 2 / 3, "chars": 16, "char_share": 16 / 40}


def test_an_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="unknown grouping"):
        coverage(UNITS, CODINGS, CODES, by="site")


def test_cooccurrence_counts_units_where_both_codes_apply():
    assert cooccurrence(UNITS, CODINGS, CODES) == [
        [3, 1, 2, 0],
        [1, 1, 1, 0],
        [2, 1, 3, 1],
        [0, 0, 1, 2],
    ]


def test_the_only_unit_without_any_coding_is_cals_last_turn():
    assert uncovered(UNITS, CODINGS) == [5]
    assert uncovered(UNITS, CODINGS, codes=["X", "Y"]) == [4, 5]


def test_a_sub_code_counts_for_its_parents_process_and_a_code_without_one_is_emergent():
    assert resolve_processes(CODEBOOK) == {"X": "p1", "X1": "p1", "Y": "p2", "Z": None}
    # a sub-code of an emergent code is emergent; a cycle does not hang
    assert resolve_processes({"a": ("b", ""), "b": ("a", ""), "c": ("a", "")}) == {"a": None, "b": None, "c": None}


def test_the_model_check_says_what_each_process_accounts_for_and_what_fits_none():
    check = model_check(UNITS, CODINGS, resolve_processes(CODEBOOK), ["p1", "p2", "p3"])
    assert (check["n_units"], check["chars"]) == (6, 70)
    p1, p2, p3 = check["processes"]
    # X and its sub-code X1 together: [0,1) and [2,8) of u0, 5 of u1, 5 of u2
    assert p1 == {"process": "p1", "units": 3, "unit_share": 0.5, "chars": 17, "char_share": 17 / 70}
    assert p2 == {"process": "p2", "units": 3, "unit_share": 0.5, "chars": 13, "char_share": 13 / 70}
    assert p3 == {"process": "p3", "units": 0, "unit_share": 0.0, "chars": 0, "char_share": 0.0}
    assert check["cooccurrence"] == [[3, 2, 0], [2, 3, 0], [0, 0, 0]]
    # u0: [0,1) and [2,10); u1: [10,12) and [15,20); u2: 5; u3: Y's [0,6)
    assert check["any_process"] == {"units": 4, "unit_share": 4 / 6, "chars": 27, "char_share": 27 / 70}
    assert check["emergent_only"] == [4] and check["uncoded"] == [5]
    assert check["emergent_only_share"] == check["uncoded_share"] == 1 / 6
    assert check["emergent_only_char_share"] == check["uncoded_char_share"] == 10 / 70


def test_an_empty_layer_accounts_for_nothing():
    check = model_check(UNITS, [], {}, ["p1"])
    assert check["processes"][0]["units"] == 0 and check["uncoded"] == list(range(6))
    assert check["uncoded_share"] == 1.0 and check["any_process"]["char_share"] == 0.0
    assert model_check([], [], {}, ["p1"])["uncoded_share"] == 0.0


# --- properties ------------------------------------------------------------------------------

CODE_NAMES = ["a", "b", "c", "d"]


@st.composite
def layers(draw):
    units = []
    for source in ("s1", "s2")[: draw(st.integers(1, 2))]:
        cuts = sorted(draw(st.sets(st.integers(0, 60), min_size=2, max_size=8)))
        speakers = st.sampled_from(["Ann", "Ben", None])
        stage = draw(st.sampled_from(["interview", "PAR"]))
        # consecutive cuts make units; some gaps between units, like the space between turns
        for s, e in zip(cuts, cuts[1:]):
            if draw(st.booleans()) or len(cuts) == 2:
                units.append(Unit(source, s, e, draw(speakers), stage))
    codings = draw(st.lists(st.builds(
        lambda source, a, n, code: Coded(source, a, a + n, code),
        st.sampled_from(["s1", "s2"]), st.integers(0, 60), st.integers(1, 20), st.sampled_from(CODE_NAMES),
    ), max_size=15))
    return units, codings


def _brute_covered(units, codings, code):
    """Code points of each unit inside some coding with `code`, by listing them."""
    out = []
    for u in units:
        points = {p for c in codings if c.code == code and c.source == u.source for p in range(c.start, c.end)}
        out.append(len(points & set(range(u.start, u.end))))
    return out


@settings(max_examples=150, deadline=None)
@given(layers())
def test_covered_characters_match_counting_code_points_one_by_one(layer):
    units, codings = layer
    counts = covered(units, codings)
    for code in CODE_NAMES:
        assert counts.get(code, [0] * len(units)) == _brute_covered(units, codings, code)


@settings(max_examples=150, deadline=None)
@given(layers(), st.sampled_from([None, "source", "speaker", "stage"]))
def test_coverage_shares_lie_between_zero_and_one_and_groups_add_up(layer, by):
    units, codings = layer
    rows = coverage(units, codings, CODE_NAMES, by=by)
    assert sum(r["n_units"] for r in rows) == len(units)
    [overall] = coverage(units, codings, CODE_NAMES)
    for code in CODE_NAMES:
        for r in rows:
            figures = r["codes"][code]
            assert 0.0 <= figures["unit_share"] <= 1.0 and 0.0 <= figures["char_share"] <= 1.0
            assert figures["units"] <= r["n_units"] and figures["chars"] <= r["chars"]
        assert sum(r["codes"][code]["units"] for r in rows) == overall["codes"][code]["units"]
        assert sum(r["codes"][code]["chars"] for r in rows) == overall["codes"][code]["chars"]


@settings(max_examples=150, deadline=None)
@given(layers())
def test_cooccurrence_is_symmetric_with_the_units_per_code_on_its_diagonal(layer):
    units, codings = layer
    matrix = cooccurrence(units, codings, CODE_NAMES)
    [overall] = coverage(units, codings, CODE_NAMES)
    for a in range(len(CODE_NAMES)):
        assert matrix[a][a] == overall["codes"][CODE_NAMES[a]]["units"]
        for b in range(len(CODE_NAMES)):
            assert matrix[a][b] == matrix[b][a] <= min(matrix[a][a], matrix[b][b])


@settings(max_examples=150, deadline=None)
@given(layers())
def test_uncovered_and_covered_units_are_all_the_units(layer):
    units, codings = layer
    hit = set().union(*applied(units, codings).values())
    missed = uncovered(units, codings)
    assert hit.isdisjoint(missed) and hit | set(missed) == set(range(len(units)))


@settings(max_examples=150, deadline=None)
@given(layers(), st.dictionaries(st.sampled_from(CODE_NAMES), st.sampled_from(["p1", "p2", None])))
def test_every_unit_is_accounted_for_by_a_process_coded_emergent_only_or_uncoded(layer, process_of):
    units, codings = layer
    check = model_check(units, codings, process_of, ["p1", "p2"])
    accounted = check["any_process"]["units"]
    assert accounted + len(check["emergent_only"]) + len(check["uncoded"]) == len(units)
    assert set(check["emergent_only"]).isdisjoint(check["uncoded"])
    assert check["uncoded"] == uncovered(units, codings)
    shares = [check["any_process"]["char_share"], check["emergent_only_char_share"], check["uncoded_char_share"]]
    assert all(0.0 <= s <= 1.0 for s in shares) and sum(shares) <= 1.0 + 1e-9
    for row, line in zip(check["processes"], check["cooccurrence"]):
        assert 0.0 <= row["unit_share"] <= 1.0 and 0.0 <= row["char_share"] <= 1.0
        assert row["units"] <= accounted and line[check["processes"].index(row)] == row["units"]
