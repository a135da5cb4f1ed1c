"""The coding page: whole turns by checkboxes, selections by positions, removing codings,
and blind coding (a coder never sees another layer here)."""

import pytest
from django.urls import reverse

from flourish.qualitative import actions, selectors
from flourish.qualitative.models import Coding, text_hash

from .helpers import make_project

EMOJI = "Ann: 😀 Fine 👍🏽, really.\r\nBea: After the emojis we talk about the café.\nCal: Me too 🙂\n"


@pytest.fixture
def project(researcher, second_researcher, model_version):
    project = make_project(researcher, second_researcher, model_version)
    actions.import_sources(project, researcher, [("emoji.txt", EMOJI.encode())])
    return project


def coding_page(client, project, source):
    return client.get(reverse("qualitative:coding", args=[project.pk, source.pk])).content.decode()


def save_turn(client, project, source, number, codes):
    return client.post(reverse("qualitative:set_turn_codes", args=[project.pk, source.pk, number]),
                       {"codes": [c.pk for c in codes]})


def select(client, project, source, start, end, codes, quote=""):
    return client.post(reverse("qualitative:apply_codes", args=[project.pk, source.pk]), {
        "selection-start": start, "selection-end": end, "selection-quote": quote,
        "selection-codes": [c.pk for c in codes]})


def test_saving_a_turn_codes_its_words_at_exact_code_point_positions(client, project, researcher):
    source = project.sources.get(name="emoji.txt")
    codes = list(project.codes.all()[:2])
    client.force_login(researcher)
    response = save_turn(client, project, source, 2, codes)
    url = reverse("qualitative:coding", args=[project.pk, source.pk])
    assert response.status_code == 302 and response["Location"] == f"{url}#turn-2"
    text = source.text
    start = text.index("After")
    saved = Coding.objects.filter(coder__user=researcher)
    assert {(c.code_id, c.start, c.end) for c in saved} == {(c.pk, start, start + 40) for c in codes}
    assert all(c.text == "After the emojis we talk about the café." and c.is_current for c in saved)
    # Python's positions, not UTF-16's: the emojis before it would add three.
    assert start == len("Ann: 😀 Fine 👍🏽, really.\n") + len("Bea: ")
    page = client.get(url, follow=True).content.decode()
    assert f"Turn 2 saved: {codes[0].name}, {codes[1].name}." in page


def test_the_turn_form_comes_back_ticked_with_my_codes(client, project, researcher):
    source = project.sources.get(name="emoji.txt")
    code = project.codes.all()[3]
    client.force_login(researcher)
    save_turn(client, project, source, 3, [code])
    page = coding_page(client, project, source)
    turn3 = page.split('id="turn-3"')[1].split("</form>")[0]
    assert f'value="{code.pk}" aria-describedby="turn-3-codes-{code.pk}-hint" checked' in turn3
    assert turn3.count(" checked") == 1
    turn2 = page.split('id="turn-2"')[1].split("</form>")[0]
    assert " checked" not in turn2
    assert f'data-start="{source.text.index("Me too")}"' in turn3


def test_unticking_every_box_removes_the_turns_codes_but_not_selections_inside_it(client, project, researcher):
    source = project.sources.get(name="emoji.txt")
    a, b = project.codes.all()[:2]
    client.force_login(researcher)
    save_turn(client, project, source, 2, [a, b])
    start = source.text.index("the café")
    select(client, project, source, start, start + 8, [a])
    save_turn(client, project, source, 2, [b])
    assert set(Coding.objects.values_list("code_id", "start")) == {(b.pk, source.text.index("After")), (a.pk, start)}
    response = save_turn(client, project, source, 2, [])
    assert response.status_code == 302
    assert list(Coding.objects.values_list("code_id", "start", "end")) == [(a.pk, start, start + 8)]
    assert "Turn 2 saved with no codes." in client.get(response["Location"]).content.decode()


def test_a_turn_that_does_not_exist_is_not_found(client, project, researcher):
    source = project.sources.get(name="emoji.txt")
    client.force_login(researcher)
    for number in (0, 4, 99):
        assert save_turn(client, project, source, number, [project.codes.first()]).status_code == 404
    assert not Coding.objects.exists()


def test_a_selection_is_stored_at_the_given_positions_with_the_hash_of_its_words(client, project, researcher):
    source = project.sources.get(name="emoji.txt")
    code = project.codes.first()
    start = source.text.index("Fine")
    end = start + len("Fine 👍🏽")
    client.force_login(researcher)
    response = select(client, project, source, start, end, [code], quote="Fine 👍🏽")
    assert response.status_code == 302 and response["Location"].endswith("#turn-1")
    coding = Coding.objects.get()
    assert (coding.start, coding.end, coding.code) == (start, end, code)
    assert coding.text_hash == text_hash("Fine 👍🏽") and coding.coder.user == researcher
    assert "Coded “Fine 👍🏽” with" in client.get(response["Location"]).content.decode()


def test_a_selection_across_a_line_break_is_matched_although_the_browser_sends_crlf(client, project, researcher):
    source = project.sources.get(name="emoji.txt")
    start, end = source.text.index("really"), source.text.index(" the emojis")
    client.force_login(researcher)
    response = select(client, project, source, start, end, [project.codes.first()], quote="really.\r\nBea: After")
    assert response.status_code == 302 and Coding.objects.get().text == "really.\nBea: After"


def test_a_selection_whose_words_are_not_what_the_person_saw_is_refused(client, project, researcher):
    source = project.sources.get(name="emoji.txt")
    start = source.text.index("Fine")
    client.force_login(researcher)
    # A UTF-16 count would put the selection three units late.
    response = select(client, project, source, start + 2, start + 6, [project.codes.first()], quote="Fine")
    assert response.status_code == 400 and not Coding.objects.exists()
    assert "does not match the transcript" in response.content.decode()


@pytest.mark.parametrize("start,end,message", [
    (5, 5, "choose some text to code"), (40, 10, "choose some text to code"),
    (0, 10_000, "outside the transcript"), ("", 4, "Enter where the words start"),
    ("x", 4, "Enter the start as a whole number"), (23, 24, "only spaces or line breaks"),
])
def test_selections_that_cannot_be_coded_save_nothing_and_say_why(client, project, researcher, start, end, message):
    source = project.sources.get(name="emoji.txt")
    assert source.text[23:24] == "\n"
    client.force_login(researcher)
    response = select(client, project, source, start, end, [project.codes.first()])
    assert response.status_code == 400 and not Coding.objects.exists()
    text = response.content.decode()
    assert "There is a problem" in text and message in text


def test_a_selection_needs_a_code(client, project, researcher):
    source = project.sources.get(name="emoji.txt")
    client.force_login(researcher)
    response = select(client, project, source, 0, 3, [])
    assert response.status_code == 400 and "Choose at least one code to apply" in response.content.decode()


def test_my_codings_are_listed_with_their_quote_a_memo_link_and_can_be_removed(client, project, researcher):
    source = project.sources.get(name="emoji.txt")
    code = project.codes.first()
    coding = actions.apply_codes(selectors.person_layer(project, researcher), source, 0, 11, [code])[0]
    client.force_login(researcher)
    page = coding_page(client, project, source)
    mine = page.split('id="my-codings"')[1]
    assert "“Ann: 😀 Fine”" in mine
    assert f"{reverse('qualitative:memos', args=[project.pk])}?coding={coding.pk}" in mine
    response = client.post(reverse("qualitative:remove_coding", args=[project.pk, coding.pk]))
    assert response["Location"] == reverse("qualitative:coding", args=[project.pk, source.pk])
    assert not Coding.objects.exists()


def test_a_coder_does_not_see_the_other_coders_codings_on_the_coding_page(client, project, researcher,
                                                                          second_researcher):
    source = project.sources.get(name="interview-ann.txt")
    code = project.codes.first()
    meis = selectors.person_layer(project, researcher)
    actions.add_code_to_turn(meis, source, 1, [code])
    selection = actions.apply_codes(meis, source, source.text.index("proper coffee"),
                                    source.text.index("proper coffee") + 13, [code])[0]
    client.force_login(second_researcher)
    page = coding_page(client, project, source)
    assert " checked" not in page
    assert "Not coded as a whole turn." in page and "Coded:" not in page
    assert "You have not coded this source yet." in page
    assert f"coding-{selection.pk}" not in page and "“proper coffee”" not in page
    client.force_login(researcher)
    page = coding_page(client, project, source)
    assert " checked" in page and "“proper coffee”" in page


def test_codes_of_another_project_are_refused(client, project, researcher):
    other = make_project(researcher, name="Another study")
    foreign = actions.add_code(other, researcher, "Foreign")
    source = project.sources.get(name="emoji.txt")
    client.force_login(researcher)
    response = save_turn(client, project, source, 1, [foreign])
    assert response.status_code == 302 and not Coding.objects.exists()
    assert "was not saved" in client.get(response["Location"]).content.decode()
    assert select(client, project, source, 0, 3, [foreign]).status_code == 400
    assert not Coding.objects.exists()
