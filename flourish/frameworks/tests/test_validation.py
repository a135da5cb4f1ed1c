"""The framework file format: the validator refuses bad files with a clear place and
problem, and the shipped Vaggers & Anderson framework is valid and well formed.

Pure tests (no Django, no database):
    .venv/bin/pytest -p no:django flourish/frameworks/tests/test_validation.py -q
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

try:
    from flourish.frameworks import validation
except ImportError:  # run from a checkout without the repository root on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from flourish.frameworks import validation

from flourish.frameworks.validation import FrameworkError, items_by_process, load_file, parse, validate

HERE = Path(__file__).resolve().parent
FRAMEWORKS = HERE.parent
REAL_FILE = FRAMEWORKS / "data" / "vaggers-anderson.yaml"
# The paper's bibliographic record, kept beside the tests (see data/README.md).
SOURCE_RIS = HERE / "data" / "model-source.ris"

MAIN_NAMES = [
    "Thinking Systematically",
    "Building and re-building relationships",
    "Nourishing self-actualization",
    "Utilizing alternative approaches to problem solving",
]
BORDERLINE_NAMES = ["Interaction", "Integrity", "Flow", "Sensitivity"]


@pytest.fixture(scope="module")
def real():
    return load_file(REAL_FILE)


@pytest.fixture
def doc(real):
    """A fresh, mutable copy of the real framework to break."""
    return copy.deepcopy(real)


def refusal(document) -> FrameworkError:
    """Write the document as YAML, read it back, and return the refusal."""
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    with pytest.raises(FrameworkError) as caught:
        parse(text, "framework.yaml")
    return caught.value


def refusal_of_text(text: str | bytes, source: str = "framework.yaml") -> FrameworkError:
    with pytest.raises(FrameworkError) as caught:
        parse(text, source)
    return caught.value


def assert_problem_at(error: FrameworkError, place: str, *words: str):
    matching = [p for p in error.problems if p.place == place]
    assert matching, f"no problem at {place!r}; got {[str(p) for p in error.problems]}"
    for word in words:
        assert any(word in p.problem for p in matching), f"{word!r} not in {[p.problem for p in matching]}"


# ---------------------------------------------------------------------------
# The shipped framework


def test_the_vaggers_anderson_file_is_valid(real):
    assert real["slug"] == "vaggers-anderson"
    assert real["schema"] == 1
    assert real["version"] >= 1


def test_the_schema_is_a_valid_draft_2020_12_schema():
    schema = json.loads((FRAMEWORKS / "schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_real_file_also_passes_the_bare_json_schema(real):
    schema = json.loads((FRAMEWORKS / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(real)


def test_it_has_exactly_the_eight_process_names_from_the_source(real):
    names = [p["name"] for p in real["processes"]]
    assert names == MAIN_NAMES + BORDERLINE_NAMES


def test_the_process_names_appear_in_the_source_record_exactly():
    source = SOURCE_RIS.read_text(encoding="utf-8")
    for name in MAIN_NAMES + BORDERLINE_NAMES:
        assert name in source


def test_it_has_four_main_and_four_borderline_processes(real):
    kinds = {p["name"]: p["kind"] for p in real["processes"]}
    assert [n for n, k in kinds.items() if k == "main"] == MAIN_NAMES
    assert [n for n, k in kinds.items() if k == "borderline"] == BORDERLINE_NAMES


def test_it_has_four_items_per_process_and_at_most_40_in_total(real):
    counts = {pid: len(items) for pid, items in items_by_process(real).items()}
    assert set(counts.values()) == {4}
    assert sum(counts.values()) == 32 <= validation.MAX_ITEMS


def test_every_item_has_self_and_other_wording(real):
    for process in real["processes"]:
        for item in process["items"]:
            assert item["self"].strip() and item["other"].strip(), item["id"]
            assert item["self"].startswith("I "), item["self"]
            first_word = item["other"].split()[0]
            # Third person without a subject: "Explains how ...", never "I ..." or "They ...".
            assert first_word[0].isupper() and first_word.endswith("s"), item["other"]
            assert not re.search(r"\b(I|my|me)\b", item["other"]), item["other"]
            assert item["self"] != item["other"]


def test_every_item_is_one_short_sentence(real):
    for process in real["processes"]:
        for item in process["items"]:
            for wording in (item["self"], item["other"]):
                assert wording.endswith(".") and wording.count(".") == 1, wording
                assert len(wording.split()) <= 20, wording
                assert " and/or " not in wording and "not un" not in wording and "never not" not in wording


def test_process_and_item_ids_are_unique(real):
    process_ids = [p["id"] for p in real["processes"]]
    item_ids = [i for ids in items_by_process(real).values() for i in ids]
    assert len(set(process_ids)) == len(process_ids) == 8
    assert len(set(item_ids)) == len(item_ids) == 32
    assert not set(process_ids) & set(item_ids)


def test_each_process_has_indicators_prompts_and_practices(real):
    for process in real["processes"]:
        assert 3 <= len(process["indicators"]) <= 6, process["id"]
        assert process["prompts"] and process["practices"], process["id"]
        assert process["summary"].strip() and process["description"].strip()


def test_each_borderline_process_sits_between_two_main_processes_on_its_own_edge(real):
    main = [p["id"] for p in real["processes"] if p["kind"] == "main"]
    pairs = []
    for process in real["processes"]:
        if process["kind"] == "borderline":
            assert len(process["between"]) == 2 and set(process["between"]) <= set(main)
            pairs.append(frozenset(process["between"]))
        else:
            assert "between" not in process
    assert len(set(pairs)) == 4  # one borderline process per pair, for the diagram


def test_the_scales_run_from_1_to_5(real):
    assert [p["value"] for p in real["scale"]["points"]] == [1, 2, 3, 4, 5]
    assert real["scale"]["points"][0]["label"] == "Rarely or never"
    assert real["scale"]["points"][-1]["label"] == "Almost always"
    assert real["scale"]["not_observed"] == "Not able to observe"
    labels = [p["label"] for p in real["importance_scale"]["points"]]
    assert labels[0] == "Not important to my role" and labels[-1] == "Essential to my role"


def test_the_citation_points_at_the_paper(real):
    assert real["citation"]["doi"] == "10.1080/13561820.2021.1897553"
    assert real["citation"]["url"] == "https://doi.org/10.1080/13561820.2021.1897553"
    assert "Journal of Interprofessional Care, 39(6), 941–956" in real["citation"]["text"]


def test_the_provenance_says_what_is_ours_and_not_yet_validated(real):
    provenance = real["provenance"].lower()
    assert "not yet validated" in provenance
    assert "operationalisation" in provenance
    assert "only the names" in provenance
    assert re.search(r"not yet (been )?validated", real["description"])


def test_the_file_does_not_copy_sentences_from_the_abstract():
    abstract = re.search(r"AB - (.*?) AD - ", SOURCE_RIS.read_text(encoding="utf-8"), re.S).group(1)

    def words(text):
        return re.findall(r"[a-z']+", text.lower())

    def runs(ws, n=7):
        return {" ".join(ws[i : i + n]) for i in range(len(ws) - n + 1)}

    real = load_file(REAL_FILE)
    del real["citation"]  # the paper's title is quoted there on purpose
    ours = yaml.safe_dump(real, allow_unicode=True) + "".join(
        line for line in REAL_FILE.read_text(encoding="utf-8").splitlines(True) if line.lstrip().startswith("#")
    )
    shared = runs(words(abstract)) & runs(words(ours))
    assert not shared, f"seven-word runs copied from the abstract: {sorted(shared)}"


def test_the_wording_uses_uk_spelling_apart_from_the_given_names(real):
    text = yaml.safe_dump({k: v for k, v in real.items() if k != "citation"}, allow_unicode=True)
    for name in MAIN_NAMES:
        text = text.replace(name, "")
    # Folded lines may split a name; remove the id and the split forms as well.
    text = re.sub(r"nourishing-self-actualization|Nourishing\s+self-actualization|Utilizing\s+alternative", "", text)
    for us in ("organization", "behavior", "center", "color", "program ", "prioritize", "recognize", "utiliz",
               "actualiz", "judgment"):
        assert us not in text.lower(), us


def test_items_by_process_lists_item_ids_in_file_order(real):
    mapping = items_by_process(real)
    assert list(mapping) == [p["id"] for p in real["processes"]]
    assert mapping["thinking-systematically"] == ["ts1", "ts2", "ts3", "ts4"]


# ---------------------------------------------------------------------------
# The error object


def test_the_message_names_the_file_the_place_and_the_problem(doc):
    del doc["processes"][3]["items"][1]["self"]
    error = refusal(doc)
    assert error.source == "framework.yaml"
    assert error.place == "processes[3].items[1].self"
    assert error.problem == "is required"
    assert str(error) == "framework.yaml: processes[3].items[1].self: is required"


def test_the_message_leaves_out_the_place_when_the_whole_file_is_wrong():
    error = refusal_of_text("", "empty.yaml")
    assert error.place == ""
    assert str(error).startswith("empty.yaml: is empty")


def test_all_problems_are_listed_one_per_line_with_the_first_as_place_and_problem(doc):
    del doc["processes"][0]["items"][0]["self"]
    doc["processes"][1]["kind"] = "core"
    error = refusal(doc)
    assert [(p.place, p.problem.split(" (")[0]) for p in error.problems] == [
        ("processes[0].items[0].self", "is required"),
        ("processes[1].kind", "must be one of: main, borderline"),
    ]
    assert (error.place, error.problem) == ("processes[0].items[0].self", "is required")
    assert str(error).splitlines() == [f"framework.yaml: {p}" for p in error.problems]
    assert all(isinstance(p, str) for p in error.problems)


def test_validate_on_a_parsed_document_reports_the_given_source(doc):
    doc["processes"][0]["items"][0]["other"] = ""
    with pytest.raises(FrameworkError) as caught:
        validate(doc, "upload.yaml")
    assert str(caught.value) == "upload.yaml: processes[0].items[0].other: must not be empty"


def test_validate_returns_the_document_when_it_is_valid(doc):
    assert validate(doc) is doc


# ---------------------------------------------------------------------------
# Unreadable files


def test_it_refuses_malformed_yaml_with_line_and_column():
    error = refusal_of_text("schema: 1\nslug: vaggers-anderson\nname: [unclosed\nversion: 1\n")
    assert error.place.startswith("line ")
    assert re.fullmatch(r"line \d+, column \d+", error.place)
    assert "is not valid YAML" in error.problem


def test_it_refuses_a_key_that_is_not_indented_consistently_at_the_right_line():
    error = refusal_of_text("schema: 1\nslug: x\n  name: y\n")
    assert error.place == "line 3, column 7"
    assert error.problem == "is not valid YAML: mapping values are not allowed here"


def test_it_refuses_tab_indentation_and_says_why():
    error = refusal_of_text("schema: 1\ncitation:\n\ttext: x\n")
    assert error.place == "line 3, column 1"
    assert "use spaces" in error.problem


def test_it_refuses_an_empty_file():
    assert refusal_of_text(b"").problem.startswith("is empty")


def test_it_refuses_a_file_of_only_spaces_and_comments():
    error = refusal_of_text("   \n# nothing here\n\n")
    assert error.place == "" and error.problem.startswith("is empty")


def test_it_refuses_a_binary_file():
    error = refusal_of_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "logo.png")
    assert error.place == ""
    assert "binary file" in error.problem
    assert str(error).startswith("logo.png: is a binary file")


def test_it_refuses_utf16_text_as_binary():
    error = refusal_of_text("slug: x\n".encode("utf-16"))
    assert "binary file" in error.problem


def test_it_refuses_text_that_is_not_utf8_and_says_where():
    latin1 = "schema: 1\nname: Costs £5\n".encode("latin-1")
    error = refusal_of_text(latin1)
    assert error.place == "line 2, column 13"
    assert error.problem.startswith("is not UTF-8 text (byte 0xa3")


def test_it_accepts_a_utf8_byte_order_mark():
    data = b"\xef\xbb\xbf" + REAL_FILE.read_bytes()
    assert parse(data)["slug"] == "vaggers-anderson"


def test_it_refuses_control_characters_with_their_place():
    error = refusal_of_text("schema: 1\nname: a\x07b\n")
    assert error.place == "line 2, column 8"
    assert "U+0007" in error.problem


@pytest.mark.parametrize(
    "text, kind",
    [("- a\n- b\n", "a list"), ("just some words\n", "text"), ("42\n", "a number")],
)
def test_it_refuses_a_top_level_that_is_not_a_mapping(text, kind):
    error = refusal_of_text(text)
    assert error.place == ""
    assert error.problem.startswith("must be a mapping")
    assert error.problem.endswith(f"but it is {kind}")


def test_it_refuses_python_tags_because_it_uses_the_safe_loader():
    error = refusal_of_text("schema: !!python/object/apply:os.system ['echo hi']\n")
    assert error.place == "line 1, column 9"
    assert "do not allow" in error.problem


def test_it_refuses_a_key_given_twice_in_the_yaml(doc):
    text = yaml.safe_dump(doc, sort_keys=False)
    text = text.replace(
        "  self: I explain how a decision", "  self: I say something.\n    self: I explain how a decision", 1
    )
    error = refusal_of_text(text)
    assert error.place == "processes[0].items[0].self"
    assert "given twice" in error.problem


def test_it_refuses_yaml_aliases_including_one_that_contains_itself():
    error = refusal_of_text("schema: 1\nloop: &a [*a]\n")
    assert error.place == "loop[0]"
    assert "alias" in error.problem


def test_load_file_names_the_file_it_was_given(tmp_path, doc):
    del doc["citation"]
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_file(path)
    assert str(caught.value) == f"{path}: citation: is required"


def test_load_file_refuses_a_missing_file(tmp_path):
    with pytest.raises(FrameworkError) as caught:
        load_file(tmp_path / "nope.yaml")
    assert caught.value.problem == "cannot be read: there is no such file"


def test_load_file_refuses_a_folder(tmp_path):
    with pytest.raises(FrameworkError) as caught:
        load_file(tmp_path)
    assert caught.value.problem == "is a folder, not a framework file"


# ---------------------------------------------------------------------------
# Missing fields and wrong types


@pytest.mark.parametrize(
    "path",
    [
        ["slug"],
        ["citation"],
        ["citation", "text"],
        ["provenance"],
        ["scale", "not_observed"],
        ["processes", 3, "items", 1, "self"],
        ["processes", 3, "items", 1, "other"],
        ["processes", 0, "items", 2, "id"],
        ["processes", 5, "kind"],
        ["processes", 7, "indicators"],
        ["importance_scale", "points", 2, "label"],
    ],
)
def test_it_refuses_a_missing_field_at_the_fields_own_place(doc, path):
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]
    error = refusal(doc)
    expected = validation._format_path(path)
    assert (error.place, error.problem) == (expected, "is required")


def test_it_refuses_an_item_without_self_wording(doc):
    del doc["processes"][3]["items"][1]["self"]
    error = refusal(doc)
    assert (error.place, error.problem) == ("processes[3].items[1].self", "is required")


def test_it_refuses_an_item_without_any_wording_and_names_both_fields(doc):
    item = doc["processes"][2]["items"][0]
    del item["self"], item["other"]
    error = refusal(doc)
    assert [p.place for p in error.problems] == ["processes[2].items[0].self", "processes[2].items[0].other"]


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_it_refuses_empty_wording(doc, empty):
    doc["processes"][1]["items"][3]["other"] = empty
    error = refusal(doc)
    assert (error.place, error.problem) == ("processes[1].items[3].other", "must not be empty")


def test_it_refuses_an_empty_process_name(doc):
    doc["processes"][4]["name"] = ""
    assert_problem_at(refusal(doc), "processes[4].name", "must not be empty")


@pytest.mark.parametrize(
    "path, value, problem",
    [
        (["version"], "one", "must be a whole number, not text"),
        (["version"], 1.5, "must be a whole number, not a number"),
        (["processes"], {"id": "x"}, "must be a list, not a mapping"),
        (["processes", 0, "items"], "ts1", "must be a list, not text"),
        (["processes", 0, "items", 0], "ts1", "must be a mapping (key: value pairs), not text"),
        (["processes", 0, "items", 0, "self"], 5, "must be text, not a number (put it in quotes)"),
        (["processes", 0, "items", 0, "self"], True, "must be text, not true/false (put it in quotes)"),
        (["processes", 0, "indicators"], "one indicator", "must be a list, not text"),
        (["scale", "points", 0, "value"], "1", "must be a whole number, not text"),
        (["citation"], "Vaggers and Anderson", "must be a mapping (key: value pairs), not text"),
    ],
)
def test_it_refuses_wrong_types(doc, path, value, problem):
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    error = refusal(doc)
    assert (error.place, error.problem) == (validation._format_path(path), problem)


def test_it_refuses_a_date_where_text_is_expected():
    text = REAL_FILE.read_text(encoding="utf-8")
    error = refusal_of_text(
        text.replace("name: Leading integrated", "name: 2025-01-01\nx_name: Leading integrated", 1)
    )
    assert_problem_at(error, "name", "must be text, not a date")


def test_it_refuses_a_key_that_is_not_text(doc):
    doc[True] = "yes"
    error = refusal(doc)
    assert error.place == "true"
    assert "keys must be text" in error.problem


def test_it_refuses_another_format_version(doc):
    doc["schema"] = 2
    error = refusal(doc)
    assert error.place == "schema"
    assert error.problem.startswith("must be 1, the only framework file format")


@pytest.mark.parametrize("slug", ["Vaggers", "vaggers anderson", "-vaggers", "vaggers--anderson", "vaggers_anderson"])
def test_it_refuses_a_badly_formed_slug(doc, slug):
    doc["slug"] = slug
    error = refusal(doc)
    assert error.place == "slug"
    assert error.problem.startswith("must use only lowercase letters, digits and single hyphens")


def test_it_refuses_an_item_id_that_cannot_be_a_csv_column(doc):
    doc["processes"][0]["items"][0]["id"] = "ts 1"
    assert_problem_at(refusal(doc), "processes[0].items[0].id", "lowercase letters, digits, hyphens and underscores")


def test_it_refuses_a_version_below_1(doc):
    doc["version"] = 0
    error = refusal(doc)
    assert (error.place, error.problem) == ("version", "must be 1 or more (it is 0)")


def test_it_refuses_a_process_without_items(doc):
    doc["processes"][2]["items"] = []
    error = refusal(doc)
    assert (error.place, error.problem) == ("processes[2].items", "must have at least one entry")


def test_it_refuses_more_than_8_items_in_one_process(doc):
    extra = [{"id": f"x{i}", "self": "I do a thing.", "other": "Does a thing."} for i in range(5)]
    doc["processes"][0]["items"] += extra
    error = refusal(doc)
    assert (error.place, error.problem) == ("processes[0].items", "must have at most 8 entries (it has 9)")


def test_it_refuses_a_framework_without_processes(doc):
    doc["processes"] = []
    assert refusal(doc).place == "processes"


# ---------------------------------------------------------------------------
# Unknown keys and kinds


def test_it_refuses_an_unknown_top_level_key(doc):
    doc["colour"] = "green"
    error = refusal(doc)
    assert error.place == "colour"
    assert error.problem.startswith("is not a known field (allowed here: ")
    assert "slug" in error.problem and "processes" in error.problem


def test_it_suggests_the_nearest_key_for_a_misspelt_one(doc):
    doc["provenence"] = doc.pop("provenance")
    error = refusal(doc)
    assert_problem_at(error, "provenence", "did you mean 'provenance'?")
    assert_problem_at(error, "provenance", "is required")


def test_it_refuses_an_unknown_key_in_an_item(doc):
    doc["processes"][6]["items"][2]["slef"] = doc["processes"][6]["items"][2].pop("self")
    error = refusal(doc)
    assert_problem_at(error, "processes[6].items[2].self", "is required")
    assert_problem_at(error, "processes[6].items[2].slef", "did you mean 'self'?")


def test_it_refuses_an_unknown_process_kind_and_lists_the_allowed_ones(doc):
    doc["processes"][5]["kind"] = "core"
    error = refusal(doc)
    assert (error.place, error.problem) == ("processes[5].kind", "must be one of: main, borderline (it is 'core')")


# ---------------------------------------------------------------------------
# Whole-file rules


def test_it_refuses_duplicate_process_ids_and_names_both_places(doc):
    doc["processes"][5]["id"] = "thinking-systematically"
    error = refusal(doc)
    assert error.place == "processes[5].id"
    assert "'thinking-systematically' is already used at processes[0].id" in error.problem


def test_it_refuses_duplicate_process_names(doc):
    doc["processes"][6]["name"] = "Integrity"
    assert_problem_at(refusal(doc), "processes[6].name", "already used at processes[5].name")


def test_it_refuses_duplicate_item_ids_in_different_processes_and_names_both_places(doc):
    doc["processes"][6]["items"][2]["id"] = "ts1"
    error = refusal(doc)
    assert error.place == "processes[6].items[2].id"
    assert "'ts1' is already used at processes[0].items[0].id" in error.problem


def test_it_refuses_duplicate_item_ids_in_the_same_process(doc):
    doc["processes"][1]["items"][3]["id"] = "br2"
    error = refusal(doc)
    assert error.place == "processes[1].items[3].id"
    assert "already used at processes[1].items[1].id" in error.problem


def test_it_refuses_an_item_id_that_is_also_a_process_id(doc):
    doc["processes"][0]["items"][0]["id"] = "flow"
    error = refusal(doc)
    assert error.place == "processes[0].items[0].id"
    assert "already used at processes[6].id" in error.problem


def test_it_refuses_more_than_40_items_in_total(doc):
    for p in range(3):
        doc["processes"][p]["items"] += [
            {"id": f"extra{p}{i}", "self": "I do a thing.", "other": "Does a thing."} for i in range(3)
        ]
    error = refusal(doc)  # 32 + 9 = 41
    assert error.place == "processes"
    assert "41 items in total" in error.problem and "at most 40" in error.problem


def test_it_accepts_exactly_40_items(doc):
    for p in range(2):
        doc["processes"][p]["items"] += [
            {"id": f"extra{p}{i}", "self": "I do a thing.", "other": "Does a thing."} for i in range(4)
        ]
    assert sum(len(ids) for ids in items_by_process(validate(doc)).values()) == 40


def test_it_refuses_between_naming_an_unknown_process(doc):
    doc["processes"][4]["between"] = ["thinking-systematically", "leadership"]
    error = refusal(doc)
    assert error.place == "processes[4].between[1]"
    assert "'leadership' is not a process in this file" in error.problem
    assert "thinking-systematically, building-relationships" in error.problem


def test_it_refuses_between_naming_a_borderline_process(doc):
    doc["processes"][4]["between"] = ["flow", "thinking-systematically"]
    error = refusal(doc)
    assert error.place == "processes[4].between[0]"
    assert "'flow' is a borderline process; it must name a main process" in error.problem


def test_it_refuses_between_on_a_main_process(doc):
    doc["processes"][0]["between"] = ["building-relationships", "alternative-approaches"]
    error = refusal(doc)
    assert (error.place, error.problem) == (
        "processes[0].between", "is only for borderline processes; this process is main"
    )


def test_it_refuses_between_naming_one_process_twice(doc):
    doc["processes"][4]["between"] = ["flow", "flow"]
    assert_problem_at(refusal(doc), "processes[4].between", "same entry twice")


def test_a_borderline_process_may_leave_out_between(doc):
    del doc["processes"][7]["between"]
    validate(doc)


@pytest.mark.parametrize(
    "values",
    [[1, 2, 4, 5, 6], [0, 1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4, 5, 6], [5, 4, 3, 2, 1], [1, 1, 2, 3, 4]],
)
def test_it_refuses_scale_points_that_are_not_1_to_5_in_order(doc, values):
    doc["scale"]["points"] = [{"value": v, "label": f"point {v}"} for v in values]
    error = refusal(doc)
    assert error.place == "scale.points"
    assert error.problem.startswith("values must be 1, 2, 3, 4, 5")
    assert ", ".join(map(str, values)) in error.problem


def test_it_refuses_an_importance_scale_that_is_not_1_to_5(doc):
    doc["importance_scale"]["points"][4]["value"] = 6
    assert refusal(doc).place == "importance_scale.points"


# ---------------------------------------------------------------------------
# Robustness and purity


def test_it_never_lets_other_exceptions_out_on_junk_bytes():
    junk = [b"\xff\xfe", b"{", b"[[[[", b":", b"- - - -", b"? a\n: b\n", b"%YAML 9.9\n---\na: 1", b"a: b\n---\nc: d\n",
            b"&a\n", b"*nope\n", b"!!binary AAAA\n", b"a: !!set {x, y}\n", b"[" * 5000, b"{a: " * 3000]
    for data in junk:
        with pytest.raises(FrameworkError):
            parse(data)


def test_it_never_lets_other_exceptions_out_on_damaged_copies_of_the_real_file():
    text = REAL_FILE.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for i in range(0, len(lines), 10):  # drop one line at a time (every 10th, to stay quick)
        damaged = "".join(lines[:i] + lines[i + 1 :])
        with contextlib.suppress(FrameworkError):
            parse(damaged)


def test_validation_module_does_not_need_django():
    module = FRAMEWORKS / "validation.py"
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('v', {str(module)!r})\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        f"m.load_file({str(REAL_FILE)!r})\n"
        "assert not any(name == 'django' or name.startswith('django.') for name in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    source = module.read_text(encoding="utf-8")
    assert "yaml.load(" not in source and "import django" not in source
