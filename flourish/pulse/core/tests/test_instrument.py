"""The pulse file: the shipped version covers the seven areas of issue 15 with Flourish's own,
openly licensed items, and the validator refuses a bad file naming the place of every problem.

Pure: .venv/bin/pytest -p no:django flourish/pulse/core/tests -q
"""

from __future__ import annotations

import copy
import json

import pytest

from flourish.pulse.core.instrument import LICENCE, PulseError, latest_path, load_file, parse, validate

SHIPPED = latest_path()


def document() -> dict:
    return json.loads(SHIPPED.read_text())


def problems_of(doc: object) -> list[str]:
    with pytest.raises(PulseError) as caught:
        validate(doc, "pulse.json")
    return caught.value.problems


def test_the_shipped_pulse_is_valid_versioned_and_covers_every_area_issue_15_names():
    pulse = load_file(SHIPPED)
    assert SHIPPED.name == f"pulse-v{pulse.version}.json"
    assert set(pulse.domains) == {"purpose", "roles", "respect", "information", "problems", "families", "agencies"}
    assert {item.domain for item in pulse.items} == set(pulse.domains)
    assert 4 <= len(pulse.role_items) <= 6
    assert all("{profession}" in (pulse.item(i).role_text or "") for i in pulse.role_items)
    assert pulse.frequency_labels[0] == "Never" and pulse.frequency_values == tuple(range(len(pulse.frequency_values)))


def test_the_shipped_pulse_says_it_is_flourishs_own_unvalidated_and_open():
    doc = document()
    assert doc["licence"]["name"] == LICENCE == "CC BY 4.0"
    assert "Flourish's own" in doc["status"] and "Not yet validated" in doc["status"]
    assert "tells its story once" in " ".join(i["text"] for i in doc["items"])


def test_no_item_borrows_the_wording_of_the_licensed_instruments():
    # Relational Coordination's dimension names, phrased as its items phrase them; none of ours may.
    borrowed = ["shared goals", "shared knowledge", "frequent communication", "timely communication",
                "accurate communication", "problem-solving communication", "team climate", "participative safety"]
    texts = " ".join(f"{i['text']} {i.get('role_text', '')}".lower() for i in document()["items"])
    assert [phrase for phrase in borrowed if phrase in texts] == []


def test_a_missing_field_and_an_unknown_one_are_both_named():
    doc = document()
    del doc["items"][2]["text"]
    doc["colour"] = "blue"
    found = problems_of(doc)
    assert "items[2].text: is required" in found
    assert any(p.startswith("colour: is not a known field") for p in found)


def test_an_item_in_an_unknown_domain_names_the_item_and_the_domains():
    doc = document()
    doc["items"][3]["domain"] = "rolez"
    (problem,) = problems_of(doc)
    assert problem.startswith('items[3].domain: "rolez" is not one of the domains (purpose, roles,')


def test_a_duplicate_item_id_and_an_empty_domain_are_refused():
    doc = document()
    doc["items"][1]["id"] = doc["items"][0]["id"]
    doc["domains"].append({"id": "extra", "name": "Extra", "description": "Nothing asks about it."})
    found = problems_of(doc)
    assert 'items[1].id: "purpose-1" is used by another item' in found
    assert 'domains[7]: "extra" has no items' in found


@pytest.mark.parametrize(("chosen", "expected"), [
    (["purpose-1", "roles-1", "respect-1"], "role_ratings.items: has 3 items; role-to-role ratings use 4 to 6"),
    (["purpose-1", "roles-1", "respect-1", "purpose-2"],
     'role_ratings.items[3]: item "purpose-2" has no role_text to ask about another profession'),
    (["purpose-1", "roles-1", "respect-1", "nope"], 'role_ratings.items[3]: "nope" is not an item id'),
    (["purpose-1", "roles-1", "respect-1", "roles-1"], 'role_ratings.items[3]: "roles-1" is listed twice'),
])
def test_role_ratings_use_four_to_six_distinct_items_that_can_name_a_profession(chosen, expected):
    doc = document()
    doc["role_ratings"]["items"] = chosen
    assert expected in problems_of(doc)


def test_a_role_wording_must_name_the_profession_and_a_team_wording_must_not():
    doc = document()
    doc["items"][0]["role_text"] = "People in that profession want the same outcomes."
    doc["items"][1]["text"] = "People in {profession} agree."
    found = problems_of(doc)
    assert "items[0].role_text: must name the profession being rated as {profession}" in found
    assert "items[1].text: is about the whole team; {profession} belongs in role_text" in found


def test_the_licence_must_stay_open():
    doc = document()
    doc["licence"]["name"] = "All rights reserved"
    assert problems_of(doc) == ['licence.name: must be "CC BY 4.0" (the pulse is open), not "All rights reserved"']


def test_the_answer_scale_and_the_frequency_scale_must_count_in_order():
    doc = document()
    doc["scale"]["values"] = [1, 2, 4, 5, 6]
    doc["collaboration_map"]["scale"][2]["value"] = 7
    doc["version"] = 0
    found = problems_of(doc)
    assert "scale.values: must be the whole numbers 1, 2, 3, ... in order (at least 3)" in found
    assert "collaboration_map.scale[2].value: must be 2 (the steps count up from 0, never, in order)" in found
    assert "version: must be a whole number from 1" in found


def test_too_many_items_for_five_minutes_is_refused():
    doc = document()
    extra = copy.deepcopy(doc["items"][1])
    for n in range(7):
        doc["items"].append({**extra, "id": f"more-{n}"})
    assert "items: has 21 items; at most 20 keep the pulse under five minutes" in problems_of(doc)


def test_unreadable_json_says_where():
    with pytest.raises(PulseError) as caught:
        parse('{"slug": "x",\n "name": }', "broken.json")
    assert str(caught.value).startswith("broken.json: line 2, column 10: is not valid JSON")


def test_a_key_given_twice_is_refused_rather_than_silently_taking_the_last():
    text = SHIPPED.read_text().replace('"version": 1,', '"version": 1,\n  "version": 2,', 1)
    with pytest.raises(PulseError) as caught:
        parse(text, "twice.json")
    assert caught.value.problems == ['"version": is given twice in the same object']


def test_a_file_that_is_not_an_object_and_a_missing_file_are_refused(tmp_path):
    assert problems_of([1, 2]) == ["must be a JSON object with slug, name, version, items, ..."]
    with pytest.raises(PulseError, match="there is no such file"):
        load_file(tmp_path / "nothing.json")
