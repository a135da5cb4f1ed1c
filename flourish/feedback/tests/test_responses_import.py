"""Import of a completed cycle from a CSV file: import_responses() and
`flourish responses import`. All-or-nothing; every problem named by row and column
(the header is row 1, the first respondent row 2)."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from flourish.accounts.models import Membership, Organisation, Role, User
from flourish.feedback import reporting
from flourish.feedback.importing import NOT_UTF8, ImportProblems, import_responses
from flourish.feedback.models import DEFAULT_GROUPS, Cycle, Rater, Response, Status
from flourish.frameworks.models import Framework
from flourish.lib.disclosure import OTHER_RATERS
from flourish.selfassess.models import SelfAssessment

SLUG = "vaggers-anderson"
ORG = "Brookside Family Hub"
LEADER = "dana@brookside.test"


@pytest.fixture
def items(model_version):
    return [i for ids in model_version.items_by_process().values() for i in ids]


@pytest.fixture
def process_ids(model_version):
    return [p["id"] for p in model_version.processes]


def row(label, role="other", group="Health", relationship="peer", value=4, **overrides):
    """One respondent: every item answered `value` unless overridden (item id -> text)."""
    return {"respondent": label, "role": role, "group": group, "relationship": relationship,
            "_value": value, **overrides}


def to_csv(rows, items, extra_columns=(), drop=(), header=None) -> bytes:
    columns = header or [c for c in ["respondent", "role", "group", "relationship", *items, *extra_columns]
                         if c not in drop]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get(c, r["_value"] if c in items else "") for c in columns])
    return out.getvalue().encode("utf-8")


def team():
    """Self plus nine others: four Health, three Social care, two Education."""
    return [
        row("L", role="self", group="", relationship="", value=5),
        *[row(f"H{i}", group="Health", relationship="team member", value=4) for i in range(4)],
        *[row(f"S{i}", group="Social care", relationship="partner agency", value=3) for i in range(3)],
        *[row(f"E{i}", group="Education and early years", relationship="peer", value=2) for i in range(2)],
    ]


def run(data, **kw):
    options = {"leader_email": LEADER, "organisation_name": ORG, "framework_slug": SLUG, **kw}
    return import_responses(data, **options)


def problems_of(data, **kw) -> list[str]:
    with pytest.raises(ImportProblems) as caught:
        run(data, **kw)
    return caught.value.problems


def counts():
    return {model.__name__: model.objects.count()
            for model in (Organisation, User, Membership, Cycle, Rater, Response, SelfAssessment)}


# --- a good import -------------------------------------------------------------------


def test_a_good_file_makes_a_closed_imported_cycle_with_its_report_released(db, items, model_version):
    rows = team()
    rows[1]["ts1"] = ""  # not able to observe
    cycle = run(to_csv(rows, items), title="Paper surveys, spring")

    cycle.refresh_from_db()
    assert cycle.imported and cycle.status == Status.CLOSED and cycle.is_closed
    assert cycle.title == "Paper surveys, spring"
    assert cycle.framework_version == model_version
    assert cycle.closed_at is not None and cycle.released_at == cycle.closed_at
    assert cycle.closes_on == timezone.localdate()
    assert cycle.report is not None and cycle.report == reporting.build(cycle)
    assert cycle.report["respondents"] == {"self": 1, "others": 9}
    assert cycle.organisation.name == ORG
    assert cycle.leader.email == LEADER
    assert Membership.objects.filter(user=cycle.leader, organisation=cycle.organisation, role=Role.LEADER).exists()
    assert not cycle.leader.has_usable_password()

    # The respondent ids (another tool's, perhaps names) are not kept: imported answers
    # never had named raters, only their group labels.
    assert not cycle.raters.exists()
    answers = list(cycle.responses.all())
    assert len(answers) == 9 and all(a.rater is None and a.submitted_at is not None for a in answers)
    assert sorted((a.profession, a.relationship) for a in answers) == sorted(
        [("Health", "team member")] * 4 + [("Social care", "partner agency")] * 3
        + [("Education and early years", "peer")] * 2)
    health = [a for a in answers if a.profession == "Health"]
    assert sorted(str(a.answers["ts1"]) for a in health) == ["4", "4", "4", "None"]
    assert all(a.answers["ts2"] == 4 for a in health)
    assert cycle.professional_groups == DEFAULT_GROUPS


def test_the_self_row_becomes_the_completed_self_part(db, items):
    cycle = run(to_csv(team(), items))
    own = cycle.self_assessment
    assert own is not None and own.is_complete and own.leader == cycle.leader
    assert own.answers == {i: 5 for i in items}
    first = cycle.report["processes"][0]
    assert first["self"] == 5 and first["others"]["n"] == 9
    assert first["gap"]["kind"] == "blind spot"


def test_a_file_without_a_self_row_has_no_self_part(db, items):
    cycle = run(to_csv(team()[1:], items))
    assert cycle.self_assessment is None
    assert cycle.report["respondents"] == {"self": 0, "others": 9}
    assert "self" not in cycle.report["processes"][0]


def test_an_existing_leader_and_organisation_are_used_not_duplicated(db, items, leader, organisation):
    before = counts()
    cycle = run(to_csv(team(), items), leader_email="AMARA@riverside.test", organisation_name=organisation.name)
    assert cycle.leader == leader and cycle.organisation == organisation
    after = counts()
    assert after["User"] == before["User"] and after["Organisation"] == before["Organisation"]
    assert after["Membership"] == before["Membership"]
    assert leader.check_password("correct-horse-battery-staple")


def test_comments_are_kept_for_their_process_and_shown_only_from_three(db, items, process_ids):
    rows = team()
    column = f"comment:{process_ids[0]}"
    for label, text in (("H0", "Brings us together."), ("H1", "Plans with the school."), ("S0", "Listens.")):
        next(r for r in rows if r["respondent"] == label)[column] = text
    next(r for r in rows if r["respondent"] == "S1")[f"comment:{process_ids[1]}"] = "Only one comment here."
    cycle = run(to_csv(rows, items, extra_columns=[column, f"comment:{process_ids[1]}"]))
    assert sorted(a.comments.get(process_ids[0], "") for a in cycle.responses.filter(profession="Health")) == [
        "", "", "Brings us together.", "Plans with the school."]
    assert sorted(cycle.report["comments"][process_ids[0]]) == ["Brings us together.", "Listens.",
                                                               "Plans with the school."]
    assert process_ids[1] not in cycle.report["comments"]


def test_relationships_and_roles_are_accepted_in_any_case(db, items):
    rows = team()
    rows[0]["role"] = "Self"
    rows[1]["relationship"] = "Team_Member"
    rows[5]["relationship"] = "Partner Agency"
    rows[5]["role"] = "OTHER"
    cycle = run(to_csv(rows, items))
    assert {a.relationship for a in cycle.responses.filter(profession="Health")} == {"team member"}
    assert {a.relationship for a in cycle.responses.filter(profession="Social care")} == {"partner agency"}


def test_header_and_item_columns_are_case_insensitive_and_a_bom_is_allowed(db, items):
    data = to_csv(team(), items)
    header, rest = data.split(b"\r\n", 1)
    data = b"\xef\xbb\xbf" + header.upper() + b"\r\n" + rest
    assert run(data).responses.count() == 9


def test_groups_from_another_tool_are_kept_as_written_after_the_default_ones(db, items):
    rows = team()
    for r in rows[1:5]:
        r["group"] = "Midwifery"
    rows[5]["group"] = "social CARE"
    cycle = run(to_csv(rows, items))
    assert cycle.professional_groups == [*DEFAULT_GROUPS, "Midwifery"]
    assert sorted(a.profession for a in cycle.responses.all()) == sorted(
        ["Midwifery"] * 4 + ["Social care"] * 3 + ["Education and early years"] * 2)


# --- anonymity of a small group ------------------------------------------------------


def test_a_group_of_two_appears_nowhere_in_the_report_and_cannot_be_subtracted_back(db, items):
    rows = [
        row("L", role="self", group="", relationship="", value=3),
        *[row(f"H{i}", group="Health", value=4) for i in range(4)],
        *[row(f"S{i}", group="Social care", value=3) for i in range(4)],
        *[row(f"T{i}", group="Speech and language therapy", value=1) for i in range(2)],
    ]
    cycle = run(to_csv(rows, items))
    dump = json.dumps(cycle.report)
    assert "Speech and language therapy" not in dump
    for label in ("H0", "S3", "T0", "T1"):
        assert f'"{label}"' not in dump  # respondent ids never reach the report

    spaces = []
    for process in cycle.report["processes"]:
        spaces.append(process)
        spaces.extend(process["items"])
    for space in spaces:
        for dimension in ("profession", "relationship"):
            shown = space["groups"][dimension]
            if "others" not in space:
                assert shown == {}
                continue
            remainder = space["others"]["n"] - sum(g["n"] for g in shown.values())
            assert remainder == 0 or remainder >= 3, (space["id"], dimension, shown)
    first = cycle.report["processes"][0]
    assert first["others"]["n"] == 10
    assert OTHER_RATERS in first["groups"]["profession"]


# --- all-or-nothing ------------------------------------------------------------------


def test_a_refused_file_saves_nothing(db, items):
    before = counts()
    rows = team()
    rows[3]["ts3"] = "6"
    with pytest.raises(ImportProblems):
        run(to_csv(rows, items), leader_email="new@leader.test", organisation_name="New Org")
    assert counts() == before


def test_a_failure_after_writing_started_rolls_everything_back(db, items, monkeypatch):
    before = counts()

    def broken(cycle):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reporting, "build_with_equations", broken)
    with pytest.raises(RuntimeError):
        run(to_csv(team(), items), leader_email="new@leader.test", organisation_name="New Org")
    assert counts() == before


# --- problems with the file ----------------------------------------------------------


@pytest.mark.parametrize("data, message", [
    (b"", "the file is empty"),
    (b"\n\n  \n", "the file is empty"),
    (b"\x00\x01\x02binary\xff", "the file is binary, not CSV text; save it as CSV UTF-8"),
    (b"respondent,role,group,relationship\n", "the file has a header row but no rows of data below it"),
])
def test_files_that_are_not_responses_are_refused(db, data, message):
    assert problems_of(data) == [message]


def test_a_file_not_in_utf8_is_refused(db, items):
    rows = team()
    rows[1]["group"] = "Santé"
    data = to_csv(rows, items).decode("utf-8").encode("latin-1")
    (problem,) = problems_of(data)
    assert problem.startswith(NOT_UTF8) and "line 3" in problem


def test_missing_and_unknown_columns_are_named(db, items):
    data = to_csv(team(), items, extra_columns=["ts9", "score"], drop=["group", "ts3", "br2"])
    problems = problems_of(data)
    assert "missing column(s): group" in problems
    assert f"missing item column(s) for {SLUG}: ts3, br2" in problems
    assert any(p.startswith("unknown column(s): ts9, score (not items of vaggers-anderson") for p in problems)


def test_a_comment_column_for_an_unknown_process_is_named(db, items, process_ids):
    problems = problems_of(to_csv(team(), items, extra_columns=["comment:leadership"]))
    assert len(problems) == 1
    assert problems[0].startswith(
        "comment column(s) for unknown processes: comment:leadership (use comment:<process id>"
    )
    assert process_ids[0] in problems[0]


@pytest.mark.parametrize("change, message", [
    ({"ts3": "6"}, "row 3, column ts3: '6' is not 1 to 5 (leave it empty for not able to observe)"),
    ({"ts3": "0"}, "row 3, column ts3: '0' is not 1 to 5 (leave it empty for not able to observe)"),
    ({"br1": "3.5"}, "row 3, column br1: '3.5' is not 1 to 5 (leave it empty for not able to observe)"),
    ({"se4": "often"}, "row 3, column se4: 'often' is not 1 to 5 (leave it empty for not able to observe)"),
    ({"role": "manager"}, "row 3, column role: 'manager' is not self or other"),
    ({"role": ""}, "row 3, column role: missing role (self or other)"),
    ({"respondent": ""}, "row 3, column respondent: missing respondent id"),
    ({"group": ""}, "row 3, column group: missing professional group"),
    ({"relationship": "boss"}, "row 3, column relationship: 'boss' is not a relationship; use one of: "
                               "line manager, peer, team member, partner agency"),
    ({"relationship": ""}, "row 3, column relationship: missing relationship "
                           "(one of: line manager, peer, team member, partner agency)"),
    ({"_value": ""}, "row 3: no item is answered (ts1 to se4 are all empty)"),
])
def test_each_bad_value_is_named_by_row_and_column(db, items, change, message):
    rows = team()
    rows[1].update(change)
    assert problems_of(to_csv(rows, items)) == [message]


def test_not_able_to_observe_may_also_be_written_n_a(db, items):
    rows = team()
    rows[1].update({"ts1": "N/A", "ts2": "not able to observe"})
    cycle = run(to_csv(rows, items))
    health = [a.answers for a in cycle.responses.filter(profession="Health")]
    assert sorted(str((a["ts1"], a["ts2"])) for a in health) == ["(4, 4)"] * 3 + ["(None, None)"]


def test_two_self_rows_are_refused(db, items):
    rows = team()
    rows[4]["role"] = "self"
    assert problems_of(to_csv(rows, items)) == [
        "row 6, column role: a second self row (row 2 is already self); a cycle has one leader"
    ]


def test_duplicate_respondent_ids_are_refused(db, items):
    rows = team()
    rows[6]["respondent"] = "h1"
    assert problems_of(to_csv(rows, items)) == ["row 8, column respondent: 'h1' is a duplicate of row 4"]


def test_a_comment_on_the_self_row_is_refused_not_dropped(db, items, process_ids):
    column = f"comment:{process_ids[2]}"
    rows = team()
    rows[0][column] = "I think I do this well."
    assert problems_of(to_csv(rows, items, extra_columns=[column])) == [
        f"row 2, column {column}: the self row cannot have comments (comments are kept only from other "
        "raters); clear the cell"
    ]


def test_fewer_than_three_others_is_refused_because_the_report_could_never_open(db, items):
    rows = team()[:3]
    assert problems_of(to_csv(rows, items)) == [
        "the file has 2 other respondents; a report needs at least 3, so it could never be released"
    ]


def test_every_problem_is_listed_together(db, items):
    rows = team()
    rows[1]["ts1"] = "7"
    rows[2]["role"] = "boss"
    rows[3]["respondent"] = "H0"
    problems = problems_of(to_csv(rows, items))
    assert problems == [
        "row 3, column ts1: '7' is not 1 to 5 (leave it empty for not able to observe)",
        "row 4, column role: 'boss' is not self or other",
        "row 5, column respondent: 'H0' is a duplicate of row 3",
    ]


def test_at_most_fifty_problems_then_a_count(db, items):
    rows = team()
    for r in rows[1:]:
        for item in items[:10]:
            r[item] = "9"
    problems = problems_of(to_csv(rows, items))
    assert len(problems) == 51 and problems[-1] == "… and 40 more problems"


def test_an_unknown_framework_lists_the_known_ones(db, items):
    assert problems_of(to_csv(team(), items), framework_slug="nope") == [
        f"unknown framework 'nope' (known: {', '.join(Framework.objects.values_list('slug', flat=True))})"
    ]
    assert SLUG in problems_of(to_csv(team(), items), framework_slug="nope")[0]


def test_a_bad_leader_email_or_missing_organisation_is_refused(db, items):
    assert problems_of(to_csv(team(), items), leader_email="dana", organisation_name=" ") == [
        "the leader's email 'dana' is not a valid email address",
        "the organisation name is missing",
    ]


# --- the command ---------------------------------------------------------------------


def test_the_command_prints_only_the_new_cycle_id_on_stdout(db, items, tmp_path, capsys):
    path = tmp_path / "responses.csv"
    path.write_bytes(to_csv(team(), items))
    call_command("responses", "import", str(path), "--leader", LEADER, "--organisation", ORG,
                 "--framework", SLUG, "--title", "From paper")
    out, err = capsys.readouterr()
    cycle = Cycle.objects.get()
    assert out == f"{cycle.pk}\n"
    assert "report released" in err and cycle.title == "From paper"


def test_the_command_reports_every_problem_and_saves_nothing(db, items, tmp_path):
    rows = team()
    rows[6]["ts3"] = "6"
    rows[7]["relationship"] = "boss"
    path = tmp_path / "responses.csv"
    path.write_bytes(to_csv(rows, items))
    before = counts()
    with pytest.raises(CommandError) as caught:
        call_command("responses", "import", str(path), "--leader", LEADER, "--organisation", ORG,
                     "--framework", SLUG)
    assert caught.value.returncode == 1
    message = str(caught.value)
    assert message.startswith(f"{path}: nothing imported (2 problems):\n")
    assert "row 8, column ts3: '6' is not 1 to 5" in message
    assert "row 9, column relationship: 'boss'" in message
    assert counts() == before


def test_the_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("responses", "import", str(tmp_path / "nope.csv"), "--leader", LEADER,
                     "--organisation", ORG, "--framework", SLUG)


def flourish(*args, env):
    return subprocess.run([sys.executable, "-m", "flourish", *args], capture_output=True, text=True,
                          env=env, check=False, timeout=300)


def test_the_real_command_exits_zero_with_the_id_and_one_on_problems(items, tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'flourish.sqlite3'}"}
    migrated = flourish("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    good = tmp_path / "good.csv"
    good.write_bytes(to_csv(team(), items))
    args = ["responses", "import", "--leader", LEADER, "--organisation", ORG, "--framework", SLUG]

    result = flourish(*args[:2], str(good), *args[2:], env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().isdigit() and result.stdout == result.stdout.strip() + "\n"

    rows = team()
    rows[2]["ts3"] = "6"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv(rows, items))
    result = flourish(*args[:2], str(bad), *args[2:], env=env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "row 4, column ts3: '6' is not 1 to 5" in result.stderr
    assert "Traceback" not in result.stderr
