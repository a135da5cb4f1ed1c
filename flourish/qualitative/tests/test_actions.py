"""Writes of the qualitative workbench: projects, sources, codebook, memos and coding."""

import pytest

from flourish.qualitative import actions, selectors
from flourish.qualitative.models import Code, Coder, CoderKind, Coding, MemberRole, Source, Speaker, text_hash

from .helpers import INTERVIEW, make_project

pytestmark = pytest.mark.django_db


def test_a_new_project_starts_its_codebook_from_the_framework(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    codes = list(project.codes.all())
    assert [c.process_id for c in codes] == [p["id"] for p in model_version.processes]
    assert [c.name for c in codes] == [p["name"] for p in model_version.processes]
    systematic = project.codes.get(process_id="thinking-systematically")
    assert systematic.definition.startswith("Families rarely need just one service.")
    assert "whole system" in systematic.inclusion and "Building and re-building" in systematic.exclusion
    assert len(systematic.examples) == 2


def test_the_creator_leads_the_project_and_codes_on_their_own_layer(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    assert project.members.get(user=researcher).role == MemberRole.LEAD
    assert project.coders.get(user=researcher).kind == CoderKind.PERSON


def test_only_researchers_of_the_organisation_can_be_added(researcher, leader, outsider, model_version):
    project = make_project(researcher, framework_version=model_version)
    for person in (leader, outsider):
        with pytest.raises(actions.NotAllowed, match="is not a researcher in Riverside"):
            actions.add_member(project, person.email)
    assert project.members.count() == 1


def test_the_last_lead_cannot_be_removed(researcher, second_researcher, model_version):
    project = make_project(researcher, second_researcher, model_version)
    with pytest.raises(actions.NotAllowed, match="at least one lead"):
        actions.remove_member(project, project.members.get(user=researcher))
    actions.remove_member(project, project.members.get(user=second_researcher))
    assert list(project.members.values_list("user__email", flat=True)) == [researcher.email]


def test_import_stores_normalised_text_turns_speakers_and_attributes(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    source = project.sources.get(name="interview-ann.txt")
    assert source.text == INTERVIEW and source.text_hash == text_hash(INTERVIEW)
    assert source.attributes == {"stage": "interview"}
    assert [t[3] for t in source.turns] == ["Interviewer", "Ann", "Interviewer", "Ann"]
    start, end, body, _ = source.turns[1]
    assert source.text[body:end] == "We meet every week, and I ring them before any change to the drop-in."
    assert set(project.speakers.values_list("name", flat=True)) == {"Interviewer", "Ann", "Facilitator", "Bea", "Cal"}


def test_crlf_files_are_stored_with_newlines(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    source, = actions.import_sources(project, researcher, [("crlf.txt", b"Ann: one\r\nBob: two\r\n")])
    assert source.text == "Ann: one\nBob: two\n"


def test_an_import_with_one_bad_file_saves_nothing_and_names_it(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    before = Source.objects.count(), Speaker.objects.count()
    with pytest.raises(actions.NotAllowed) as problem:
        actions.import_sources(project, researcher, [
            ("good.txt", b"Dee: fine words\n"), ("latin1.txt", "Zo\xeb: caf\xe9".encode("latin-1")),
            ("empty.txt", b""), ("interview-ann.txt", b"Ann: again\n"),
        ])
    message = str(problem.value)
    assert message.startswith("Nothing was imported.")
    for name in ("latin1.txt", "empty.txt", "interview-ann.txt"):
        assert name in message
    assert "good.txt" not in message
    assert (Source.objects.count(), Speaker.objects.count()) == before


def test_attributes_are_trimmed_and_blank_values_dropped(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    source = project.sources.first()
    actions.set_source_attributes(source, {" stage ": " PAR session ", "site": "  "})
    source.refresh_from_db()
    assert source.attributes == {"stage": "PAR session"}
    with pytest.raises(actions.NotAllowed, match="needs a name"):
        actions.set_source_attributes(source, {"": "x"})


def test_emergent_codes_and_sub_codes_can_be_added_but_framework_codes_stay(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    relationships = project.codes.get(process_id="building-relationships")
    repair = actions.add_code(project, researcher, "Repair after conflict", parent=relationships,
                              examples="one\n\n two ")
    assert repair.parent == relationships and repair.process_id == "" and repair.examples == ["one", "two"]
    with pytest.raises(actions.NotAllowed, match="already a code"):
        actions.add_code(project, researcher, "repair after CONFLICT", parent=relationships)
    actions.update_code(relationships, name="Relationships")
    relationships.refresh_from_db()
    assert relationships.process_id == "building-relationships"
    with pytest.raises(actions.NotAllowed, match="stands for a process"):
        actions.delete_code(relationships)
    actions.delete_code(repair)
    assert not Code.objects.filter(pk=repair.pk).exists()


def test_coding_keeps_code_point_positions_and_a_hash_of_the_text(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    source = project.sources.get(name="interview-ann.txt")
    layer = selectors.person_layer(project, researcher)
    start = source.text.index("proper coffee")
    end = source.text.index("😀") + 1
    coding, = actions.apply_codes(layer, source, start, end, [project.codes.first()], researcher)
    assert coding.text == "proper coffee. 😀" and coding.text_hash == text_hash("proper coffee. 😀")
    assert coding.is_current


def test_coding_refuses_empty_or_out_of_range_selections(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    source = project.sources.first()
    layer = selectors.person_layer(project, researcher)
    code = project.codes.first()
    for start, end in ((5, 5), (-1, 3), (0, len(source.text) + 1)):
        with pytest.raises(actions.NotAllowed, match="choose some text"):
            actions.apply_codes(layer, source, start, end, [code])
    newline = source.text.index("\n")
    with pytest.raises(actions.NotAllowed, match="only spaces"):
        actions.apply_codes(layer, source, newline, newline + 1, [code])
    with pytest.raises(actions.NotAllowed, match="at least one code"):
        actions.apply_codes(layer, source, 0, 3, [])
    assert not Coding.objects.exists()


def test_turn_coding_sets_exactly_the_ticked_codes(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    source = project.sources.get(name="interview-ann.txt")
    layer = selectors.person_layer(project, researcher)
    first, second, third = project.codes.all()[:3]
    actions.set_turn_codes(layer, source, 3, [first, second], researcher)
    actions.set_turn_codes(layer, source, 3, [second, third], researcher)
    codings = Coding.objects.filter(coder=layer)
    assert sorted(c.code.pk for c in codings) == sorted([second.pk, third.pk])
    assert {c.text for c in codings} == {"After the row about thresholds I went over to their office. "
                                         "We had a proper coffee. 😀"}
    actions.set_turn_codes(layer, source, 3, [], researcher)
    assert not Coding.objects.filter(coder=layer).exists()
    with pytest.raises(actions.NotAllowed, match="has no turn 9"):
        actions.set_turn_codes(layer, source, 8, [first])


def test_a_revised_source_reports_codings_whose_text_changed(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    source = project.sources.get(name="interview-ann.txt")
    layer = selectors.person_layer(project, researcher)
    code = project.codes.first()
    kept, = actions.set_turn_codes(layer, source, 1, [code])
    moved, = actions.set_turn_codes(layer, source, 3, [code])
    revised = INTERVIEW.replace("the row", "the big row")
    stale = actions.revise_source(source, researcher, "interview-ann.txt", revised.encode())
    assert [c.pk for c in stale] == [moved.pk]
    kept.refresh_from_db()
    assert kept.is_current and Coding.objects.get(pk=moved.pk).start == moved.start


def test_memos_attach_to_one_target(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    code, source = project.codes.first(), project.sources.first()
    on_code = actions.add_memo(project, researcher, " Watch this one. ", target=code)
    on_source = actions.add_memo(project, researcher, "Long silence at the start.", target=source)
    on_project = actions.add_memo(project, researcher, "Overall impressions", name="Week 1")
    assert (on_code.target, on_source.target, on_project.target) == (code, source, None)
    assert on_code.text == "Watch this one."
    with pytest.raises(actions.NotAllowed, match="Enter the memo"):
        actions.add_memo(project, researcher, "   ")


def test_choosing_to_compare_is_recorded_once(researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    layer = selectors.person_layer(project, researcher)
    first = actions.choose_to_compare(layer).compared_at
    assert first is not None and actions.choose_to_compare(layer).compared_at == first
    assert Coder.objects.get(pk=layer.pk).compared_at == first
