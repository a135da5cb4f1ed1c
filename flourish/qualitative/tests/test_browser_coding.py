"""The coding workbench in a real browser: coding a turn by keyboard alone, coding a
selection (positions in code points, after emojis), and axe-core on every page, on a
desktop and on a 360 px phone."""

import pytest
from playwright.sync_api import expect

from flourish.qualitative import actions, selectors
from flourish.qualitative.models import Coding
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

from .helpers import make_project

pytestmark = pytest.mark.django_db(transaction=True)

EMOJI = ("Ann: 😀 Fine 👍🏽, really fine.\n"
         "Bea: After the emojis we talk about the café and the rota.\n"
         "Cal: Me too 🙂 honestly.\n")


def emoji_project(researcher, second_researcher, model_version):
    project = make_project(researcher, second_researcher, model_version)
    source = actions.import_sources(project, researcher, [("emoji.txt", EMOJI.encode())], {"stage": "interview"})[0]
    return project, project.sources.get(pk=source.pk)


def tab_to(page, predicate: str, limit=250):
    """Press Tab until `predicate` (a JS expression on `el`, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({predicate}); }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def test_a_coder_codes_a_turn_with_the_keyboard_alone(page, researcher, second_researcher, model_version):
    project, source = emoji_project(researcher, second_researcher, model_version)
    code = project.codes.order_by("order").first()
    sign_in(page, second_researcher.email, personas.PASSWORD)
    page.goto(f"/coding/{project.pk}/sources/{source.pk}/coding/")
    tab_to(page, "el.tagName === 'SUMMARY' && el.textContent.trim() === 'Codes for turn 2'")
    page.keyboard.press("Enter")  # opens the turn's codes
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "turn-2-codes"
    page.keyboard.press("Space")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Save turn 2'")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Turn 2 saved: {code.name}.")).to_be_visible()
    assert page.url.endswith("#turn-2")
    coding = Coding.objects.get()
    start = source.text.index("After")
    assert (coding.code, coding.start, coding.end, coding.coder.user) == (
        code, start, source.text.index("\nCal:"), second_researcher)
    expect(page.locator("#turn-2-codes")).to_be_checked()
    assert_accessible(page)


def select_in_turn(page, number, words_from, words_to=None, to_turn=None):
    """Select from the first character of `words_from` in turn `number` to the end of
    `words_to` (in turn `to_turn`, by default the same turn), as a person dragging would."""
    page.evaluate("""([number, from, to, toTurn]) => {
        const first = document.getElementById(`turn-${number}-text`).firstChild;
        const last = document.getElementById(`turn-${toTurn}-text`).firstChild;
        const range = document.createRange();
        range.setStart(first, first.data.indexOf(from));
        range.setEnd(last, last.data.indexOf(to) + to.length);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
    }""", [number, words_from, words_to or words_from, to_turn or number])


def test_a_selection_after_emojis_is_stored_at_python_code_point_positions(page, researcher, second_researcher,
                                                                           model_version):
    project, source = emoji_project(researcher, second_researcher, model_version)
    first, second = project.codes.order_by("order")[:2]
    sign_in(page, researcher.email, personas.PASSWORD)
    page.goto(f"/coding/{project.pk}/sources/{source.pk}/coding/")
    form = page.locator("[data-qual-selection-form]")
    expect(form.get_by_label("Start position")).to_be_hidden()  # the script took over

    # "really fine" follows 😀 and 👍🏽 in the same turn: 6 UTF-16 units, but 3 code points.
    select_in_turn(page, 1, "really", "fine.")
    expect(form.get_by_text("Selected: “really fine.”")).to_be_visible()
    form.get_by_label(first.name, exact=True).check()
    form.get_by_role("button", name="Apply the codes").click()
    expect(page.get_by_text("Coded “really fine.” with")).to_be_visible()
    coding = Coding.objects.get()
    start = EMOJI.index("really")
    assert (coding.start, coding.end) == (start, start + len("really fine."))
    assert source.text[coding.start:coding.end] == "really fine." and coding.is_current

    # Across two turns (no quote is sent: the label between them is not on the page).
    select_in_turn(page, 2, "rota", "honestly", to_turn=3)
    expect(form.get_by_text("Selected: “rota. … Me too 🙂 honestly”")).to_be_visible()
    form.get_by_label(second.name, exact=True).check()
    form.get_by_role("button", name="Apply the codes").click()
    expect(page.get_by_text("Coded “rota.")).to_be_visible()
    crossing = Coding.objects.get(code=second)
    assert source.text[crossing.start:crossing.end] == "rota.\nCal: Me too 🙂 honestly"
    assert crossing.start == EMOJI.index("rota")

    # Without a selection the form says what to do instead of posting.
    page.reload()
    form.get_by_label(first.name, exact=True).check()
    form.get_by_role("button", name="Apply the codes").click()
    expect(form.get_by_text("Select some words in the transcript first")).to_be_visible()
    assert Coding.objects.count() == 2


def test_the_coding_pages_pass_axe_on_a_desktop_and_a_phone(page, phone, researcher, second_researcher,
                                                            model_version):
    project, source = emoji_project(researcher, second_researcher, model_version)
    code = project.codes.order_by("order").first()
    layer = selectors.person_layer(project, researcher)
    coding = actions.add_code_to_turn(layer, source, 0, [code])[0]
    memo = actions.add_memo(project, researcher, "Turn-taking matters here.", coding)
    actions.add_code(project, researcher, "Shared premises", parent=code)
    base = f"/coding/{project.pk}/"
    pages = ["/coding/", base, f"{base}sources/", f"{base}sources/{source.pk}/", f"{base}speakers/",
             f"{base}codebook/", f"{base}codebook/{code.pk}/", f"{base}memos/", f"{base}memos/?coding={coding.pk}",
             f"{base}memos/{memo.pk}/",
             f"{base}sources/{source.pk}/coding/", f"{base}sources/{source.pk}/delete/"]
    for browser in (page, phone):
        sign_in(browser, researcher.email, personas.PASSWORD)
        for path in pages:
            browser.goto(path)
            expect(browser.get_by_role("heading", level=1)).to_be_visible()
            if path.endswith("/coding/") and "sources" in path:
                browser.get_by_text("Codes for turn 1").click()
                expect(browser.locator("#turn-1-codes")).to_be_checked()
            assert_accessible(browser)
            if browser is phone:
                assert_fits_width(browser)
    # Error states: a failed upload and a selection that cannot be coded.
    page.goto(f"{base}sources/")
    page.get_by_label("Transcript files").set_input_files([
        {"name": "good.txt", "mimeType": "text/plain", "buffer": b"Ann: fine"},
        {"name": "latin.txt", "mimeType": "text/plain", "buffer": "Zoë: ça".encode("latin-1")}])
    page.get_by_role("button", name="Import the transcripts").click()
    expect(page.get_by_text("latin.txt: the file is not UTF-8 text")).to_have_count(2)
    assert_accessible(page)
    assert not project.sources.filter(name="good.txt").exists()
    page.goto(f"{base}sources/{source.pk}/coding/")
    page.evaluate("document.querySelector('[data-qual-selection-form]').submit()")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
