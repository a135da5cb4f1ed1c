"""Suggesting journal tags from the words of an entry: pure functions, no Django."""

from pathlib import Path

import pytest
import yaml

from flourish.development import tagging

FRAMEWORK = Path(__file__).parents[2] / "frameworks" / "data" / "vaggers-anderson.yaml"


@pytest.fixture(scope="module")
def processes():
    return yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))["processes"]


def ids(text, processes):
    return [s.process_id for s in tagging.suggest(text, processes)]


def test_words_are_lowercased_stop_words_dropped_and_stemmed():
    assert tagging.tokens("The Meetings were with THE partners") == ["meetings", "partners"]
    assert tagging.stem("meetings") == tagging.stem("meeting") == "meet"
    assert tagging.stem("families") == tagging.stem("family") == "family"
    assert tagging.stem("planning") == tagging.stem("plans") == "plan"
    assert tagging.stem("relationships") == tagging.stem("relationship")
    assert tagging.stem("across") == "across"  # a double s is not a plural


def test_an_entry_about_repairing_a_relationship_suggests_that_process(processes):
    text = "After last week's disagreement I went to see her to repair our working relationship."
    suggestions = tagging.suggest(text, processes)
    assert suggestions[0].process_id == "building-relationships"
    assert {"disagreement", "repair", "relationship"} <= set(suggestions[0].words)
    assert suggestions[0].reason.startswith("Matched: ")


@pytest.mark.parametrize("text, expected", [
    ("I drew a map of the agencies around one family and looked at local data on referral routes.",
     "thinking-systematically"),
    ("Supported a practitioner with her learning and wellbeing and her professional identity.",
     "nourishing-self-actualization"),
    ("We tried a creative, non-standard solution to a problem the procedures could not solve.",
     "alternative-approaches"),
    ("I kept my promise to the school and admitted my mistake honestly.", "integrity"),
    ("Paperwork was stopping information moving between services, so families waited.", "flow"),
])
def test_each_kind_of_entry_is_matched_to_its_process_first(text, expected, processes):
    assert ids(text, processes)[0] == expected


def test_words_that_match_nothing_in_particular_suggest_nothing(processes):
    assert ids("Felt tired. Lunch was nice.", processes) == []
    assert ids("", processes) == []
    assert ids("the and of", processes) == []


def test_words_every_process_uses_weigh_nothing():
    processes = [
        {"id": "a", "name": "Alpha", "summary": "team work on budgets", "indicators": [], "prompts": []},
        {"id": "b", "name": "Beta", "summary": "team work on gardens", "indicators": [], "prompts": []},
    ]
    assert tagging.suggest("team work team work", processes) == []
    found = tagging.suggest("budgets and team work and budget planning", processes, threshold=0.5)
    assert [(s.process_id, s.words) for s in found] == [("a", ("budgets",))]


def test_the_threshold_decides(processes):
    text = "repair the relationship"
    assert ids(text, processes) == ["building-relationships"]
    assert ids(text, processes) and not tagging.suggest(text, processes, threshold=100)


def test_the_module_imports_no_django():
    source = Path(tagging.__file__).read_text(encoding="utf-8")
    assert "django" not in source.lower().replace("no django", "")
