"""The agreement page and its downloads, and the adjudication page, for a project coded by
Mei (lead) and Tomasz (coder): the figures shown, choosing to compare, who may decide."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from flourish.qualitative import actions, selectors
from flourish.qualitative.models import Adjudication, Coder, Coding

from .analysis_helpers import ANN_2, BR, TS, coded_project, tables, text, url


@pytest.fixture
def project(researcher, second_researcher, model_version):
    """Mei's and Tomasz's coded project; both have chosen to compare (see the blind-coding test)."""
    project = coded_project(researcher, second_researcher, model_version)
    for user in (researcher, second_researcher):
        actions.choose_to_compare(selectors.person_layer(project, user))
    return project


def layer_ids(project, *users):
    return [str(selectors.person_layer(project, u).pk) for u in users]


def test_the_agreement_page_shows_each_codes_figures_grouped_by_process(client, project, second_researcher):
    client.force_login(second_researcher)
    response = client.get(url("agreement", project))
    assert response.status_code == 200
    shown = tables(response.content.decode())
    header = ["Code", "Units compared", "Times applied", "Percent agreement", "Cohen's kappa", "Krippendorff's alpha"]
    # Thinking Systematically: agreed on 3 of 4 interview turns; kappa and alpha 0
    [head, systematic] = shown["Thinking Systematically (main process)"]
    assert head == header
    assert systematic[:3] == ["Thinking Systematically", "4", "1"] and systematic[3].startswith("75% ")
    assert systematic[4].startswith("0.00 ") and systematic[5].startswith("0.00 ")
    [_, relationships] = shown["Building and re-building relationships (main process)"]
    assert relationships[3:] == ["100% 100% to 100%", "1.00 1.00 to 1.00", "1.00 1.00 to 1.00"]
    [_, approaches] = shown["Utilizing alternative approaches to problem solving (main process)"]
    assert approaches[4:] == ["not defined", "not defined"]
    [_, rota] = shown["Emergent codes"]
    assert rota[:3] == ["Duty rota", "4", "1"]
    page = text(response)
    assert "1000 resamples of units (random seed 0)" in page
    assert "Missing here: Tomasz Nowak on par-session-1.txt." in page


def test_a_blind_coder_is_asked_first_and_only_choosing_to_compare_by_post_records_it(
        client, project, second_researcher):
    layer = selectors.person_layer(project, second_researcher)
    Coder.objects.filter(pk=layer.pk).update(compared_at=None)
    client.force_login(second_researcher)
    for name in ("agreement", "adjudication"):
        asked = text(client.get(url(name, project)))
        assert "You are coding blind" in asked and "Krippendorff" not in asked and "We meet every" not in asked
    assert "We meet every" not in client.get(url("agreement_download", project, "json")).content.decode()
    layer.refresh_from_db()
    assert layer.compared_at is None  # reading the pages wrote nothing
    response = client.post(url("compare", project), {"next": url("agreement", project)})
    assert response.status_code == 302 and response["Location"] == url("agreement", project)
    layer.refresh_from_db()
    assert layer.compared_at is not None
    assert f"Tomasz Nowak first chose to compare on {timezone.localtime(layer.compared_at):%-d %B %Y}" in text(
        client.get(url("agreement", project)))


def test_choosing_sentences_and_one_code_changes_the_figures(client, project, researcher, second_researcher):
    client.force_login(researcher)
    br = project.codes.get(process_id=BR)
    response = client.get(url("agreement", project), {
        "coders": layer_ids(project, researcher, second_researcher), "unit": "sentence",
        "sources": [s.pk for s in project.sources.all()], "codes": [br.pk], "confidence": "0.9"})
    page = text(response)
    assert response.status_code == 200 and "Sentences" in page and "67%" in page
    assert "Thinking Systematically" not in page.split("Agreement by code")[1]
    assert "its 90% bootstrap confidence interval" in page


def test_choosing_one_coder_is_an_error_on_the_form(client, project, researcher):
    client.force_login(researcher)
    response = client.get(url("agreement", project), {
        "coders": layer_ids(project, researcher), "unit": "turn", "confidence": "0.95",
        "sources": [s.pk for s in project.sources.all()], "codes": [c.pk for c in project.codes.all()]})
    assert response.status_code == 400 and "Choose at least two coders to compare" in text(response)


def test_the_json_download_is_the_full_report(client, project, researcher):
    client.force_login(researcher)
    response = client.get(url("agreement_download", project, "json"))
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json"
    assert data["coders"] == ["Mei Chen", "Tomasz Nowak"] and data["n_units"] == 7 and data["bootstrap"] == 1000
    assert [d["text"][:14] for d in data["disagreements"]] == ["We meet every "]


def test_the_csv_download_has_one_row_per_code_with_intervals(client, project, researcher):
    client.force_login(researcher)
    response = client.get(url("agreement_download", project, "csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == project.codes.count()
    systematic = next(r for r in rows if r["process_id"] == TS)
    assert (systematic["percent_agreement"], systematic["n_units"]) == ("0.75", "4")
    assert float(systematic["percent_low"]) <= 0.75 <= float(systematic["percent_high"])
    assert next(r for r in rows if r["process_id"] == "alternative-approaches")["cohen_kappa"] == ""


def test_a_lead_sees_the_disagreement_with_buttons_and_settles_it(client, project, researcher, second_researcher):
    client.force_login(researcher)
    page = text(client.get(url("adjudication", project)))
    assert "We meet every week, and I ring them before any change to the drop-in." in page
    assert "Applied by Mei Chen Not applied by Tomasz Nowak Decision Not decided yet" in page
    assert "Accept agreed units into the consensus" in page and "Do not apply Thinking Systematically" in page
    interview = project.sources.get(name="interview-ann.txt")
    ts = project.codes.get(process_id=TS)
    coders = layer_ids(project, researcher, second_researcher)
    response = client.post(url("adjudicate", project), {
        "source": interview.pk, "code": ts.pk, "start": ANN_2[0], "end": ANN_2[1], "applies": "yes",
        "note": "Ringing before a change is planning across services.", "coders": coders, "unit": "turn"})
    assert response.status_code == 302 and response["Location"].startswith(url("adjudication", project) + "?coders=")
    page = text(client.get(response["Location"]))
    assert "Applies by Mei Chen: Ringing before a change is planning across services." in page
    assert "1 decided" in page
    assert project.consensus().codings.filter(code=ts, start=ANN_2[0], end=ANN_2[1]).exists()


def test_undecided_disagreements_come_before_decided_ones(client, project, researcher, second_researcher):
    client.force_login(researcher)
    coders = layer_ids(project, researcher, second_researcher)
    query = "?" + "&".join(f"coders={c}" for c in coders) + "&unit=sentence"
    first, later = "We meet every week", "We had a proper coffee."
    before = text(client.get(url("adjudication", project) + query))
    assert before.index(first) < before.index(later)
    client.post(url("adjudicate", project), {
        "source": project.sources.get(name="interview-ann.txt").pk, "code": project.codes.get(process_id=TS).pk,
        "start": ANN_2[0], "end": ANN_2[1], "applies": "no", "coders": coders, "unit": "sentence"})
    after = text(client.get(url("adjudication", project) + query))
    assert "1 decided. Undecided ones come first." in after
    assert after.index(later) < after.index(first)


def test_accepting_agreements_through_the_page_fills_the_consensus(client, project, researcher, second_researcher):
    client.force_login(researcher)
    response = client.post(url("accept_agreements", project), {
        "coders": layer_ids(project, researcher, second_researcher), "unit": "turn"}, follow=True)
    assert "Added 2 agreed codings to the consensus layer." in text(response)
    again = client.post(url("accept_agreements", project), {
        "coders": layer_ids(project, researcher, second_researcher), "unit": "turn"}, follow=True)
    assert "already has every agreed unit" in text(again)


def test_a_coder_reads_disagreements_but_cannot_decide(client, project, second_researcher):
    client.force_login(second_researcher)
    page = text(client.get(url("adjudication", project)))
    assert "We meet every week" in page and "Only a lead researcher can settle them" in page
    assert "Do not apply" not in page and "Accept agreed units" not in page
    interview = project.sources.get(name="interview-ann.txt")
    ts = project.codes.get(process_id=TS)
    decide = client.post(url("adjudicate", project), {
        "source": interview.pk, "code": ts.pk, "start": ANN_2[0], "end": ANN_2[1], "applies": "yes"})
    accept = client.post(url("accept_agreements", project), {"coders": ["1", "2"], "unit": "turn"})
    assert decide.status_code == accept.status_code == 404
    assert not Adjudication.objects.exists() and not Coding.objects.filter(coder__kind="consensus").exists()


@pytest.mark.parametrize("name, args", [
    ("agreement", ()), ("agreement_download", ("json",)), ("agreement_download", ("csv",)), ("adjudication", ())])
def test_people_outside_the_project_get_not_found(client, project, outsider, org_admin, name, args):
    for person in (outsider, org_admin):  # another organisation's leader; an admin who is not a member
        client.force_login(person)
        assert client.get(url(name, project, *args)).status_code == 404


def test_people_outside_the_project_cannot_adjudicate(client, project, outsider):
    client.force_login(outsider)
    assert client.post(url("adjudicate", project), {"applies": "yes"}).status_code == 404
    assert client.post(url("accept_agreements", project), {}).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, project):
    response = client.get(url("agreement", project))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_choosing_to_compare_never_sends_the_member_outside_the_project(client, project, second_researcher):
    client.force_login(second_researcher)
    for elsewhere in ("https://evil.example/coding/", "/account/", "//evil.example/"):
        response = client.post(url("compare", project), {"next": elsewhere})
        assert response["Location"] == url("agreement", project)
    assert client.get(url("compare", project)).status_code == 405


def test_a_code_named_like_a_formula_is_defused_in_the_csv(client, project, researcher):
    code = project.codes.get(process_id=BR)
    code.name = '=HYPERLINK("http://example.com","x")'
    code.save()
    client.force_login(researcher)
    response = client.get(reverse("qualitative:agreement_download", args=[project.pk, "csv"]))
    rows = {row["code_id"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows[str(code.pk)]["code"] == "'" + code.name
