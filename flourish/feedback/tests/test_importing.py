"""Bulk nomination from a CSV file: parse_nominations() then actions.nominate_many().

Rows are numbered as in a spreadsheet: the header is row 1, the first person row 2."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from flourish.feedback import actions
from flourish.feedback.importing import (
    MAX_NOMINATIONS,
    NOT_UTF8,
    ImportProblems,
    nominations_template,
    parse_nominations,
)
from flourish.feedback.models import Rater

from .helpers import without_list_approval

HEADER = "name,email,group,employer,relationship"


@pytest.fixture
def cycle(leader, organisation, model_version):
    without_list_approval(organisation)
    return actions.create_cycle(
        leader, organisation, model_version, "Spring feedback", timezone.localdate() + timedelta(days=14)
    )


def problems_of(data: bytes | str, cycle) -> list[str]:
    if isinstance(data, str):
        data = data.encode("utf-8")
    with pytest.raises(ImportProblems) as caught:
        parse_nominations(data, cycle)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def lines(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


GOOD = lines(
    "Ann Shaw,Ann@X.org,Health,City NHS Trust,peer",
    "Bea Cole,bea@x.org,social care,Council,Line manager",
    "Cal Dunn,cal@x.org,Education and early years,,team_member",
)


def test_a_good_file_gives_rows_ready_for_nominate(cycle):
    rows = parse_nominations(GOOD.encode(), cycle)
    assert rows == [
        {"name": "Ann Shaw", "email": "ann@x.org", "profession": "Health", "employer": "City NHS Trust",
         "relationship": "peer"},
        {"name": "Bea Cole", "email": "bea@x.org", "profession": "Social care", "employer": "Council",
         "relationship": "line manager"},
        {"name": "Cal Dunn", "email": "cal@x.org", "profession": "Education and early years", "employer": "",
         "relationship": "team member"},
    ]


def test_the_rows_go_straight_into_nominate_many(cycle):
    raters = actions.nominate_many(cycle, parse_nominations(GOOD.encode(), cycle))
    assert [r.email for r in raters] == ["ann@x.org", "bea@x.org", "cal@x.org"]
    assert cycle.raters.count() == 3


def test_header_is_case_insensitive_with_a_bom_any_order_and_windows_line_ends(cycle):
    data = ("\ufeffRelationship,EMAIL,Name,Group,Employer\r\n"
            "peer,ann@x.org,Ann Shaw,Health,Trust\r\n").encode("utf-8")
    assert parse_nominations(data, cycle)[0]["email"] == "ann@x.org"


def test_semicolon_separated_files_from_spreadsheets_are_read(cycle):
    data = "name;email;group;employer;relationship\nAnn Shaw;ann@x.org;Health;Trust;peer\n"
    assert parse_nominations(data.encode(), cycle)[0]["name"] == "Ann Shaw"


def test_a_leader_can_no_longer_say_a_line_manager_agreed_to_be_shown_apart(cycle):
    """Only the line manager can agree, on their own questionnaire (issue 10, item 8)."""
    data = lines("Ann Shaw,ann@x.org,Health,Trust,line manager,yes", header=HEADER + ",line_manager_informed")
    assert problems_of(data, cycle)[0] == "unknown column(s): line_manager_informed"


def test_blank_lines_are_skipped_but_rows_keep_their_spreadsheet_numbers(cycle):
    data = lines("Ann Shaw,ann@x.org,Health,Trust,peer", ",,,,", "Bea Cole,,Health,Trust,peer")
    assert problems_of(data, cycle) == ["row 4, column email: missing email"]


def test_the_template_is_a_valid_file_with_one_example_row(cycle):
    template = nominations_template()
    header, example = list(csv.reader(io.StringIO(template)))
    assert header == ["name", "email", "group", "employer", "relationship"]
    assert parse_nominations(template.encode(), cycle) == [{
        "name": example[0], "email": example[1], "profession": example[2], "employer": example[3],
        "relationship": "peer",
    }]


# --- whole-file problems -------------------------------------------------------------


@pytest.mark.parametrize("data, message", [
    (b"", "the file is empty"),
    (b"  \r\n\n", "the file is empty"),
    (HEADER.encode() + b"\n", "the file has a header row but no rows of data below it"),
    (HEADER.encode() + b"\n,,,,\n", "the file has a header row but no rows of data below it"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "the file is binary, not CSV text; save it as CSV UTF-8"),
    (b"PK\x03\x04\x14\x00\x06\x00", "the file is a spreadsheet workbook (for example .xlsx), not CSV; "
                                    "save it as CSV UTF-8"),
])
def test_files_that_are_not_a_list_of_people_are_refused(cycle, data, message):
    assert problems_of(data, cycle) == [message]


def test_a_file_saved_in_a_windows_code_page_is_refused_as_not_utf8(cycle):
    data = lines("Zoë Brontë,zoe@x.org,Health,Trust,peer").encode("cp1252")
    (problem,) = problems_of(data, cycle)
    assert problem.startswith(NOT_UTF8)
    assert NOT_UTF8 == "the file is not UTF-8 text; save it as CSV UTF-8"
    assert "line 2" in problem


def test_a_utf16_file_is_refused_as_not_utf8(cycle):
    data = lines("Ann Shaw,ann@x.org,Health,Trust,peer").encode("utf-16")
    assert problems_of(data, cycle)[0].startswith(NOT_UTF8)


def test_missing_and_unknown_columns_are_named(cycle):
    data = "name,e-mail,group,relationship,team\nAnn,ann@x.org,Health,peer,A\n"
    problems = problems_of(data, cycle)
    assert "missing column(s): email, employer" in problems
    assert "unknown column(s): e-mail, team" in problems
    assert any(p.startswith("the columns must be: name, email, group, employer, relationship") for p in problems)


def test_a_repeated_column_is_refused(cycle):
    data = "name,email,email,group,employer,relationship\nAnn,a@x.org,a@x.org,Health,T,peer\n"
    assert "the header row repeats column(s): email" in problems_of(data, cycle)


def test_too_many_rows_are_refused(cycle):
    rows = [f"P{i},p{i}@x.org,Health,Trust,peer" for i in range(MAX_NOMINATIONS + 1)]
    assert problems_of(lines(*rows), cycle) == [
        f"the file has {MAX_NOMINATIONS + 1} rows of people; at most {MAX_NOMINATIONS} can be added at once"
    ]


def test_exactly_the_maximum_is_accepted(cycle):
    rows = [f"P{i},p{i}@x.org,Health,Trust,peer" for i in range(MAX_NOMINATIONS)]
    assert len(parse_nominations(lines(*rows).encode(), cycle)) == MAX_NOMINATIONS


def test_a_value_beyond_the_header_columns_is_named(cycle):
    data = lines("Ann Shaw,ann@x.org,Health,Trust,peer,surprise")
    assert problems_of(data, cycle) == ["row 2: 6 cells but the header row has 5 columns (extra value 'surprise')"]


# --- row problems --------------------------------------------------------------------


@pytest.mark.parametrize("row, message", [
    ("Ann Shaw,,Health,Trust,peer", "row 2, column email: missing email"),
    ("Ann Shaw,ann@,Health,Trust,peer", "row 2, column email: 'ann@' is not a valid email address"),
    ("Ann Shaw,ann at x.org,Health,Trust,peer",
     "row 2, column email: 'ann at x.org' is not a valid email address"),
    (",ann@x.org,Health,Trust,peer", "row 2, column name: missing name"),
    ("Ann Shaw,ann@x.org,Nursing,Trust,peer",
     "row 2, column group: 'Nursing' is not a professional group of this cycle (Health, Social care, "
     "Education and early years, Family support, Voluntary and community, Other)"),
    ("Ann Shaw,ann@x.org,,Trust,peer",
     "row 2, column group: missing professional group (one of: Health, Social care, "
     "Education and early years, Family support, Voluntary and community, Other)"),
    ("Ann Shaw,ann@x.org,Health,Trust,boss",
     "row 2, column relationship: 'boss' is not a relationship; use one of: "
     "line manager, peer, team member, partner agency"),
    ("Ann Shaw,ann@x.org,Health,Trust,",
     "row 2, column relationship: missing relationship (one of: line manager, peer, team member, partner agency)"),
    ("Ann Shaw,ann@x.org,Health," + "T" * 201 + ",peer", "row 2, column employer: longer than 200 characters"),
])
def test_each_bad_value_is_named_by_row_and_column(cycle, row, message):
    assert problems_of(lines(row), cycle) == [message]


def test_duplicate_emails_in_the_file_name_the_first_row(cycle):
    data = lines(
        "Ann Shaw,ann@x.org,Health,Trust,peer",
        "Bea Cole,bea@x.org,Health,Trust,peer",
        "Ann Again,ANN@x.org,Health,Trust,peer",
    )
    assert problems_of(data, cycle) == ["row 4: duplicate of row 2 (ann@x.org)"]


def test_someone_already_on_the_cycle_is_refused(cycle):
    actions.nominate(cycle, name="Ann Shaw", email="ann@x.org", profession="Health", relationship="peer")
    data = lines("Bea Cole,bea@x.org,Health,Trust,peer", "Ann Shaw,Ann@X.org,Health,Trust,peer")
    assert problems_of(data, cycle) == ["row 3, column email: ann@x.org is already on this cycle's list"]


def test_groups_of_this_cycle_are_matched_case_insensitively_including_its_own_groups(cycle):
    cycle.professional_groups = [*cycle.professional_groups, "Speech and language therapy"]
    cycle.save()
    rows = parse_nominations(lines("Ann Shaw,ann@x.org,speech AND language therapy,Trust,peer").encode(), cycle)
    assert rows[0]["profession"] == "Speech and language therapy"


def test_every_problem_is_reported_at_once(cycle):
    data = lines(
        "Ann Shaw,,Health,Trust,peer",
        "Bea Cole,bea@x.org,Nursing,Trust,boss",
        "Cal Dunn,cal@x.org,Health,Trust,peer",
        "Cal Again,cal@x.org,Health,Trust,peer",
    )
    problems = problems_of(data, cycle)
    assert problems[0] == "row 2, column email: missing email"
    assert problems[1].startswith("row 3, column group: 'Nursing'")
    assert problems[2].startswith("row 3, column relationship: 'boss'")
    assert problems[3] == "row 5: duplicate of row 4 (cal@x.org)"
    assert len(problems) == 4


def test_at_most_fifty_problems_are_listed_then_a_count(cycle):
    data = lines(*[f"P{i},,Health,Trust,peer" for i in range(60)])
    problems = problems_of(data, cycle)
    assert len(problems) == 51
    assert problems[-1] == "… and 10 more problems"


def test_a_refused_file_adds_nobody(cycle):
    data = lines("Ann Shaw,ann@x.org,Health,Trust,peer", "Bea Cole,bea@,Health,Trust,peer")
    with pytest.raises(ImportProblems):
        actions.nominate_many(cycle, parse_nominations(data.encode(), cycle))
    assert Rater.objects.count() == 0
