"""The synthesis and model-check pages and the quotation exports, for a project coded by Mei
(lead) and Tomasz (coder): the figures shown, which layer is shown, and who may see them."""

import csv
import io
import shutil
import subprocess

import pytest
from django.urls import reverse

from flourish.jobs.models import Job
from flourish.jobs.testing import made_pdf
from flourish.qualitative import actions, actions_adjudication, quotations, selectors

from .analysis_helpers import coded_project, tables, text, url

# Mei's layer over the 7 turns (354 characters of words): Building and re-building
# relationships on Ann's turns 2 and 4 (69 + 59 characters), Thinking Systematically on
# turn 2, Utilizing alternative approaches on Bea's turn, "Duty rota" on Cal's.
TOTAL_CHARS = 41 + 69 + 25 + 85 + 28 + 53 + 53
RELATIONSHIPS = "Building and re-building relationships"
APPROACHES = "Utilizing alternative approaches to problem solving"


@pytest.fixture
def project(researcher, second_researcher, model_version):
    return coded_project(researcher, second_researcher, model_version)


def pct(part, whole) -> str:
    return f"{round(part / whole * 100)}%"


def test_the_synthesis_page_shows_coverage_cooccurrence_uncovered_units_and_quotations(client, project, researcher):
    client.force_login(researcher)
    response = client.get(url("synthesis", project))
    assert response.status_code == 200
    page, shown = text(response), tables(response.content.decode())
    assert "Synthesis: Mei Chen" in page and "5 codings cover, over 7 speaker turns" in page
    overall = shown["Coverage over all units"]
    assert overall[0] == ["Code", "All units (7 units)"]
    by_code = {row[0]: row[1] for row in overall[1:]}
    assert by_code[RELATIONSHIPS] == f"2 units, {pct(128, TOTAL_CHARS)} of text"
    assert by_code["Thinking Systematically"] == f"1 unit, {pct(69, TOTAL_CHARS)} of text"
    assert by_code["Duty rota"] == f"1 unit, {pct(53, TOTAL_CHARS)} of text"
    assert by_code["Flow"] == "0 units, 0% of text"
    # co-occurrence: only the codes applied, with units per code on the diagonal
    matrix = shown["Units coded with both codes"]
    assert matrix[0] == ["", "Thinking Systematically", RELATIONSHIPS, APPROACHES, "Duty rota"]
    assert matrix[1] == ["Thinking Systematically", "1", "1", "0", "0"]
    assert matrix[2] == [RELATIONSHIPS, "1", "2", "0", "0"]
    assert "3 of 7 units." in page and "What did you try this cycle?" in page
    assert "— Ann, interview-ann.txt (interview), turn 2, characters 60–129" in page


def test_coverage_is_broken_down_by_source_speaker_and_stage(client, project, researcher):
    client.force_login(researcher)
    shown = tables(client.get(url("synthesis", project)).content.decode())
    by_source, by_speaker = shown["Coverage by source"], shown["Coverage by speaker"]
    assert by_source[0] == ["Code", "interview-ann.txt (4 units)", "par-session-1.txt (3 units)"]
    assert by_speaker[0] == ["Code", "Interviewer (2 units)", "Ann (2 units)", "Facilitator (1 unit)",
                             "Bea (1 unit)", "Cal (1 unit)"]
    assert shown["Coverage by stage"][0] == ["Code", "interview (4 units)", "PAR session (3 units)"]
    # Ann's two turns have 154 characters of words, 128 of them coded Building and re-building relationships
    ann = {row[0]: row[2] for row in by_speaker[1:]}
    assert ann[RELATIONSHIPS] == f"2 units, {pct(128, 154)} of text" and ann["Duty rota"] == "0 units, 0% of text"
    assert {row[0]: row[2] for row in by_source[1:]}["Duty rota"] == f"1 unit, {pct(53, 134)} of text"


def test_sentences_can_be_chosen_as_the_unit(client, project, researcher):
    client.force_login(researcher)
    page = text(client.get(url("synthesis", project), {"unit": "sentence"}))
    assert "over 9 sentences" in page


def test_looking_at_someone_elses_layer_counts_as_choosing_to_compare(client, project, researcher, second_researcher):
    own = selectors.person_layer(project, second_researcher)
    client.force_login(second_researcher)
    assert "Synthesis: Tomasz Nowak" in text(client.get(url("synthesis", project)))
    own.refresh_from_db()
    assert own.compared_at is None
    meis = selectors.person_layer(project, researcher)
    asked = text(client.get(url("synthesis", project), {"layer": meis.pk}))
    assert "You are coding blind" in asked and "Synthesis: Mei Chen" not in asked
    own.refresh_from_db()
    assert own.compared_at is None  # asking wrote nothing
    there = url("synthesis", project) + f"?layer={meis.pk}"
    assert client.post(url("compare", project), {"next": there})["Location"] == there
    assert "Synthesis: Mei Chen" in text(client.get(there))
    own.refresh_from_db()
    assert own.compared_at is not None


def test_the_consensus_is_shown_by_default_once_it_has_codings_and_the_member_has_compared(
        client, project, researcher, second_researcher):
    actions_adjudication.accept_agreements(project, researcher, ["Mei Chen", "Tomasz Nowak"], "turn")
    client.force_login(second_researcher)
    # Tomasz is still coding blind: his own layer, and he stays blind
    assert "Synthesis: Tomasz Nowak" in text(client.get(url("synthesis", project)))
    actions.choose_to_compare(selectors.person_layer(project, second_researcher))
    page = text(client.get(url("synthesis", project)))
    assert "Synthesis: Consensus" in page and "2 codings cover" in page


def test_the_model_check_says_how_much_each_process_accounts_for_and_what_fits_none(client, project, researcher):
    client.force_login(researcher)
    response = client.get(url("model_check", project))
    page, shown = text(response), tables(response.content.decode())
    rows = shown["Units and text each process accounts for; the bar shows the share of units"]
    assert rows[0] == ["Process", "Units", "Share of units", "Share of text", "Share of units as a bar"]
    by_process = {row[0]: row[1:4] for row in rows[1:]}
    assert len(by_process) == 9  # eight processes and "Any process"
    assert by_process[f"{RELATIONSHIPS} (main)"] == ["2", pct(2, 7), pct(128, TOTAL_CHARS)]
    assert by_process["Flow (borderline)"] == ["0", "0%", "0%"]
    assert by_process["Any process"] == ["3", pct(3, 7), pct(69 + 59 + 53, TOTAL_CHARS)]
    together = shown["Units where both processes apply (the diagonal: units each process applies to)"]
    assert together[1][:3] == ["Thinking Systematically", "1", "1"]
    assert "Coded only with emergent codes 1 unit (14% of units" in page
    assert "coded Duty rota" in page and "The referral now goes straight to whoever is on duty." in page
    assert "Not coded at all 3 units" in page
    assert ("figures about the coded data, under Flourish's operationalisation of the model" in page
            and "not a test of the model that its authors, Vaggers and Anderson, ran" in page)


def test_the_markdown_export_quotes_each_passage_with_where_it_comes_from(client, project, researcher):
    client.force_login(researcher)
    response = client.get(url("quotations_export", project, "md"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    assert 'filename="leading-integration-study-mei-chen-quotations.md"' in response["Content-Disposition"]
    assert body.startswith("# Quotations: Leading integration study\n")
    assert (f"## {RELATIONSHIPS}\n\n> We meet every week, and I ring them before any change to the drop-in.\n>\n"
            "> — Ann, interview-ann.txt (interview), turn 2, characters 60–129\n") in body
    assert "> — Cal, par-session-1.txt (PAR session), turn 3, characters 106–159" in body


def test_the_csv_export_has_one_row_per_quotation(client, project, researcher):
    client.force_login(researcher)
    rows = list(csv.DictReader(io.StringIO(client.get(url("quotations_export", project, "csv")).content.decode())))
    assert len(rows) == 5 and list(rows[0]) == quotations.CSV_COLUMNS
    bea = next(r for r in rows if r["speaker"] == "Bea")
    assert (bea["code"], bea["stage"], bea["turn"], bea["start"], bea["end"], bea["needs_check"]) == (
        APPROACHES, "PAR session", "2", "47", "100", "False")
    assert bea["text"] == "We ran a joint clinic as an experiment for six weeks."


def test_the_word_export_reads_back_with_headings_quotes_and_sources(client, project, researcher):
    import docx

    client.force_login(researcher)
    response = client.get(url("quotations_export", project, "docx"))
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Quotations: Leading integration study") in paragraphs
    assert ("Heading 2", RELATIONSHIPS) in paragraphs
    quote = paragraphs.index(("Quote", "We meet every week, and I ring them before any change to the drop-in."))
    assert paragraphs[quote + 1][1] == "— Ann, interview-ann.txt (interview), turn 2, characters 60–129"


def pdf_words(data: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext is missing (apt-get install poppler-utils)"
    return " ".join(subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                                   check=True).stdout.decode().split())


def test_the_pdf_export_is_a_pdf_with_the_quotations_made_by_a_job(client, project, researcher):
    client.force_login(researcher)
    layer = selectors.person_layer(project, researcher)
    jobs = Job.objects.count()
    page = client.get(url("quotations_export", project, "pdf"))  # asks first: a GET makes no job
    assert page.status_code == 200 and "Make the PDF" in page.content.decode()
    assert f'name="layer" value="{layer.pk}"' in page.content.decode() and Job.objects.count() == jobs
    response = made_pdf(client, url("prepare_quotations_pdf", project), {"layer": layer.pk})
    assert response.content.startswith(b"%PDF")
    words = pdf_words(response.content)
    assert "We ran a joint clinic as an experiment for six weeks." in words
    assert "Bea, par-session-1.txt (PAR session), turn 2, characters 47–100" in words
    job = Job.objects.get(kind="qualitative.quotations_pdf")
    assert client.get(url("quotations_export", project, "pdf")).url == reverse("jobs:download", args=[job.pk])


def test_the_pdf_of_some_codes_has_only_their_quotations(client, project, researcher):
    client.force_login(researcher)
    rota = project.codes.get(name="Duty rota")
    page = client.get(url("quotations_export", project, "pdf"), {"codes": rota.pk}).content.decode()
    assert f'name="codes" value="{rota.pk}"' in page
    layer = selectors.person_layer(project, researcher)
    words = pdf_words(made_pdf(client, url("prepare_quotations_pdf", project),
                               {"layer": layer.pk, "codes": [rota.pk]}).content)
    assert "Duty rota" in words and RELATIONSHIPS not in words


def test_a_blind_coder_cannot_have_another_layer_printed(client, project, second_researcher, researcher):
    client.force_login(second_researcher)
    meis = selectors.person_layer(project, researcher)
    response = client.post(url("prepare_quotations_pdf", project), {"layer": meis.pk})
    assert response.status_code == 200 and "compare" in response.content.decode()  # asked to choose first
    assert not Job.objects.filter(kind="qualitative.quotations_pdf").exists()


def test_an_export_can_be_limited_to_some_codes(client, project, researcher):
    client.force_login(researcher)
    rota = project.codes.get(name="Duty rota")
    body = client.get(url("quotations_export", project, "md"), {"codes": rota.pk}).content.decode()
    assert "## Duty rota" in body and RELATIONSHIPS not in body


def test_a_changed_transcript_marks_the_quotation_as_needing_a_check(project, researcher):
    layer = selectors.person_layer(project, researcher)
    layer.codings.filter(start=47).update(text_hash="0" * 64)
    [bea] = [q for q in quotations.quotations(project, layer) if q["start"] == 47]
    assert quotations.attribution(bea).endswith("needs a check: the transcript has changed")


def test_spreadsheet_formulas_in_quotations_are_defused():
    row = {c: "" for c in quotations.CSV_COLUMNS} | {"text": "=HYPERLINK(\"x\")", "start": 0, "end": 5}
    assert "'=HYPERLINK" in quotations.csv_text([row])


@pytest.mark.parametrize("name, args", [
    ("synthesis", ()), ("model_check", ()), ("quotations_export", ("md",)), ("quotations_export", ("pdf",))])
def test_people_outside_the_project_get_not_found(client, project, outsider, org_admin, name, args):
    for person in (outsider, org_admin):
        client.force_login(person)
        assert client.get(url(name, project, *args)).status_code == 404
        assert client.post(url("prepare_quotations_pdf", project)).status_code == 404


def test_a_layer_of_another_project_or_an_unknown_format_is_not_found(
        client, project, researcher, second_researcher, model_version):
    from .helpers import make_project

    other = make_project(second_researcher, framework_version=model_version, name="Tomasz's own study")
    theirs = selectors.person_layer(other, second_researcher)
    client.force_login(researcher)
    assert client.get(url("synthesis", project), {"layer": theirs.pk}).status_code == 404
    assert client.get(url("model_check", project), {"unit": "paragraph"}).status_code == 404
    assert client.get(url("quotations_export", project, "xlsx")).status_code == 404


def test_the_research_teams_turns_are_left_out_by_default_and_can_be_counted_again(client, project, researcher):
    from flourish.qualitative.models import Speaker

    Speaker.objects.filter(project=project, name__in=["Interviewer", "Facilitator"]).update(
        attributes={"role": "Interviewer"})
    client.force_login(researcher)
    default = text(client.get(url("model_check", project)))
    assert "over 4 speaker turns, leaving out those of Facilitator, Interviewer." in default
    everyone = text(client.get(url("model_check", project) + "?unit=turn"))
    assert "over 7 speaker turns." in everyone
    only_cal = text(client.get(url("synthesis", project) + "?unit=turn&leave_out=Cal"))
    assert "over 6 speaker turns, leaving out those of Cal." in only_cal
