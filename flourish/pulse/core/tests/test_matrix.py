"""The role-to-role matrix shows a cell only where both sides reach k, and pools the rest."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flourish.pulse.core.matrix import Cell, RoleRating, role_matrix
from flourish.pulse.core.pooling import POOLED, pool

# The Riverside team: four nurses, three social workers, three teachers, one psychologist and one
# speech therapist (the last two are pooled: neither may stand alone).
ROSTER = {"Nurse": 4, "Social worker": 3, "Teacher": 3, "Psychologist": 1, "Speech therapist": 1}


def rating(who, rater, rated, *answers):
    return RoleRating(who, rater, rated, list(answers))


def test_professions_below_k_are_pooled_as_rows_and_columns():
    assert pool(ROSTER) == {"Nurse": "Nurse", "Social worker": "Social worker", "Teacher": "Teacher",
                            "Psychologist": POOLED, "Speech therapist": POOLED}
    assert role_matrix([], ROSTER).rows == ("Nurse", "Social worker", "Teacher", POOLED)


def test_three_nurses_rating_social_workers_are_shown_with_their_mean_and_n():
    ratings = [rating("n1", "Nurse", "Social worker", 4, 4, 5, 3),  # 4.0
               rating("n2", "Nurse", "Social worker", 5, 5, 5, 5),  # 5.0
               rating("n3", "Nurse", "Social worker", 3, None, 3, 3)]  # 3.0, "can't say" skipped
    matrix = role_matrix(ratings, ROSTER)
    assert matrix.cells[("Nurse", "Social worker")] == Cell(4.0, 3)


def test_two_teachers_are_withheld_and_pooled_with_the_psychologist_once_they_reach_k():
    ratings = [rating("n1", "Nurse", "Social worker", 4), rating("n2", "Nurse", "Social worker", 4),
               rating("n3", "Nurse", "Social worker", 4),
               rating("t1", "Teacher", "Social worker", 2), rating("t2", "Teacher", "Social worker", 3),
               rating("p1", "Psychologist", "Social worker", 4)]
    matrix = role_matrix(ratings, ROSTER)
    assert matrix.cells[("Teacher", "Social worker")] is None
    assert matrix.cells[(POOLED, "Social worker")] is None
    assert matrix.pooled_rows["Social worker"] == Cell(3.0, 3)


def test_a_withheld_row_alone_is_never_shown_as_the_pooled_figure():
    ratings = [rating("t1", "Teacher", "Nurse", 2), rating("t2", "Teacher", "Nurse", 3)]
    matrix = role_matrix(ratings, ROSTER)
    assert matrix.cells[("Teacher", "Nurse")] is None and matrix.pooled_rows["Nurse"] is None


def test_a_column_below_k_is_withheld_however_many_rate_it():
    ratings = [rating(f"n{i}", "Nurse", "Psychologist", 5) for i in range(4)]
    matrix = role_matrix(ratings, ROSTER)
    assert matrix.cells[("Nurse", POOLED)] is None
    assert POOLED not in matrix.pooled_rows  # nothing pooled for a column that may not be shown


def test_one_rater_counts_once_even_with_answers_in_two_pooled_columns():
    ratings = [rating("n1", "Nurse", "Psychologist", 5), rating("n1", "Nurse", "Speech therapist", 3),
               rating("n2", "Nurse", "Psychologist", 4), rating("n3", "Nurse", "Speech therapist", 4)]
    roster = {**ROSTER, "Psychologist": 2, "Speech therapist": 2}  # pooled column of 4
    cell = role_matrix(ratings, roster).cells[("Nurse", POOLED)]
    assert cell == Cell(pytest.approx((4 + 4 + 4) / 3), 3)


def test_a_rating_of_a_profession_off_the_roster_is_refused_naming_the_respondent():
    with pytest.raises(ValueError, match="respondent n9: 'Nurse' rating 'Dentist'"):
        role_matrix([rating("n9", "Nurse", "Dentist", 4)], ROSTER)


def test_k_below_the_anonymity_minimum_is_refused():
    with pytest.raises(ValueError, match="at least 3"):
        role_matrix([], ROSTER, k=2)


PROFESSIONS = ("Nurse", "Social worker", "Teacher", "Psychologist", "Speech therapist")


@st.composite
def teams(draw):
    roster = {p: draw(st.integers(1, 5)) for p in PROFESSIONS}
    ratings = []
    for p, size in roster.items():
        for i in range(draw(st.integers(0, size))):
            for other in draw(st.lists(st.sampled_from([q for q in PROFESSIONS if q != p]), unique=True)):
                ratings.append(rating(f"{p}{i}", p, other, draw(st.sampled_from([1, 2, 3, 4, 5, None]))))
    return roster, ratings


@settings(max_examples=300, deadline=None)
@given(teams())
def test_no_figure_rests_on_fewer_than_k_raters_or_rates_a_group_below_k(team):
    roster, ratings = team
    matrix = role_matrix(ratings, roster)
    sizes = {}
    for p, size in roster.items():
        label = p if size >= 3 else POOLED
        sizes[label] = sizes.get(label, 0) + size
    for (_row, column), cell in matrix.cells.items():
        if cell is not None:
            assert cell.n >= 3 and sizes[column] >= 3
    for column, cell in matrix.pooled_rows.items():
        assert sizes[column] >= 3
        if cell is not None:
            assert cell.n >= 3
            # the shown cells and the pooled figure never overlap: together they count each rater once
            shown = sum(c.n for (r, col), c in matrix.cells.items() if col == column and c is not None)
            raters = {(x.rater_profession if roster[x.rater_profession] >= 3 else POOLED, x.respondent)
                      for x in ratings if x.answers[0] is not None and
                      (x.rated_profession if roster[x.rated_profession] >= 3 else POOLED) == column}
            assert shown + cell.n == len(raters)
