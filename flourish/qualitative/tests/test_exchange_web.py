"""REFI-QDA exchange in the browser: import a .qdpx as a project, add a .qdc, download both."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from flourish.qualitative import actions, exchange, selectors
from flourish.qualitative.models import Coding, Project
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, sign_in
from flourish.testing.personas import PASSWORD

from .helpers import make_project


@pytest.fixture
def project(researcher, second_researcher, model_version):
    project = make_project(researcher, second_researcher, model_version)
    source = project.sources.get(name="interview-ann.txt")
    relations = project.codes.get(process_id="building-relationships")
    actions.add_code_to_turn(selectors.person_layer(project, researcher), source, 3, [relations])
    actions.add_code_to_turn(selectors.person_layer(project, second_researcher), source, 1, [relations])
    return project


def urls(project):
    return {
        "page": reverse("qualitative:exchange", args=[project.pk]),
        "qdpx": reverse("qualitative:export_qdpx", args=[project.pk]),
        "qdc": reverse("qualitative:export_qdc", args=[project.pk]),
        "add": reverse("qualitative:import_qdc", args=[project.pk]),
    }


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_a_lead_downloads_the_project_and_its_codebook(client, project, researcher):
    client.force_login(researcher)
    page = client.get(urls(project)["page"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Download the project (.qdpx)" in html and "Add a codebook" in html
    assert 'aria-current="page">Exchange with other tools' in html
    response = client.get(urls(project)["qdpx"])
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="leading-integration-study.qdpx"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        assert "project.qde" in z.namelist()
    response = client.get(urls(project)["qdc"])
    assert response.status_code == 200 and response.content.startswith(b"<?xml")
    assert response["Content-Disposition"].endswith('.qdc"')


def test_a_blind_coder_gets_the_codebook_but_not_everyones_codings(client, project, second_researcher):
    client.force_login(second_researcher)
    html = client.get(urls(project)["page"]).content.decode()
    assert "Download the codebook (.qdc)" in html and "Download the project (.qdpx)" not in html
    assert "once you have chosen to compare" in html and "Add a codebook" not in html
    assert client.get(urls(project)["qdc"]).status_code == 200
    assert client.get(urls(project)["qdpx"]).status_code == 404
    actions.choose_to_compare(selectors.person_layer(project, second_researcher))
    assert client.get(urls(project)["qdpx"]).status_code == 200


def test_outsiders_and_non_members_get_404(client, project, outsider, organisation):
    stranger = personas.person("kim@riverside.test", "researcher", organisation, "Kim", "Lee")
    for user in (outsider, stranger):
        client.force_login(user)
        for key in ("page", "qdpx", "qdc"):
            assert client.get(urls(project)[key]).status_code == 404, (user, key)
        assert client.post(urls(project)["add"], {"file": upload("c.qdc", b"x")}).status_code == 404
    client.force_login(outsider)  # not a researcher anywhere
    assert client.get(reverse("qualitative:import_qdpx")).status_code == 404
    client.logout()
    assert client.get(urls(project)["qdpx"]).status_code == 302  # to sign in


def test_coders_cannot_add_a_codebook(client, project, second_researcher):
    client.force_login(second_researcher)
    qdc = exchange.export_qdc(project)
    assert client.post(urls(project)["add"], {"file": upload("c.qdc", qdc)}).status_code == 404


def test_a_lead_adds_a_codebook_and_sees_what_was_left_out(client, project, researcher):
    client.force_login(researcher)
    other = actions.create_project(researcher, project.organisation, "Other")
    actions.add_code(other, researcher, "Funding", definition="Money.", examples=["We had no budget."])
    qdc = exchange.export_qdc(other)
    response = client.post(urls(project)["add"], {"file": upload("other.qdc", qdc)})
    assert response.status_code == 200
    assert "1 code added to the codebook." in response.content.decode()
    funding = project.codes.get(name="Funding")
    assert funding.definition == "Money." and funding.examples == ["We had no budget."]
    response = client.post(urls(project)["add"], {"file": upload("other.qdc", qdc)})
    html = response.content.decode()
    assert "0 codes added" in html and "1 item in the file could not be kept" in html
    assert "<li>code Funding: the codebook already has this code (same GUID); kept as it is</li>" in html
    response = client.post(urls(project)["add"], {"file": upload("bad.qdc", b"<Nonsense/>")})
    assert response.status_code == 400
    assert "The file could not be read: this is not a REFI-QDA codebook" in response.content.decode()


def test_a_researcher_imports_a_project(client, project, researcher, second_researcher):
    data = exchange.export_qdpx(project)
    client.force_login(second_researcher)
    page = client.get(reverse("qualitative:import_qdpx"))
    assert page.status_code == 200 and 'type="hidden" name="organisation"' in page.content.decode()
    response = client.post(reverse("qualitative:import_qdpx"), {
        "organisation": project.organisation.pk, "name": "", "file": upload("study.qdpx", data)})
    assert response.status_code == 400  # the name in the file is taken
    assert f"already has a project called “{project.name}”" in response.content.decode()
    response = client.post(reverse("qualitative:import_qdpx"), {
        "organisation": project.organisation.pk, "name": "Tomasz's copy", "file": upload("study.qdpx", data)})
    assert response.status_code == 200
    html = response.content.decode()
    copy = Project.objects.get(name="Tomasz's copy")
    assert "Project imported" in html and "2 sources, 8 codes, 2 codings, 0 memos, 2 coders" in html
    assert "Nothing: everything in the file was kept." in html
    assert reverse("qualitative:project", args=[copy.pk]) in html
    assert copy.members.get().user == second_researcher
    assert set(Coding.objects.filter(source__project=copy).values_list("coder__name", "coder__kind")) == {
        ("Mei Chen", "imported"), ("Tomasz Nowak", "person")}
    # the new project is Tomasz's to open
    assert client.get(reverse("qualitative:project", args=[copy.pk])).status_code == 200


def test_a_broken_file_is_explained_and_nothing_is_saved(client, researcher, organisation):
    client.force_login(researcher)
    before = Project.objects.count()
    response = client.post(reverse("qualitative:import_qdpx"), {
        "organisation": organisation.pk, "name": "New", "file": upload("x.qdpx", b"PK not really")})
    assert response.status_code == 400 and Project.objects.count() == before
    html = response.content.decode()
    assert "There is a problem" in html and "this is not a .qdpx file (it is not a ZIP archive)" in html
    response = client.post(reverse("qualitative:import_qdpx"), {"organisation": organisation.pk, "name": "New"})
    assert response.status_code == 400 and "This field is required" in response.content.decode()


def test_the_import_shows_skipped_items_as_a_list(client, researcher, organisation):
    qde = """<Project xmlns="urn:QDA-XML:project:1:0" name="Other"><Sources>
      <TextSource guid="aaaaaaaa-0000-4000-8000-000000000001" name="s">
        <PlainTextContent>Ann: hi</PlainTextContent></TextSource>
      <TextSource guid="aaaaaaaa-0000-4000-8000-000000000004" name="far" plainTextPath="C:/Users/x/far.txt"/>
      <AudioSource guid="aaaaaaaa-0000-4000-8000-000000000002" name="tape"/></Sources>
      <Sets><Set guid="aaaaaaaa-0000-4000-8000-000000000003" name="x">
        <MemberSource targetGUID="aaaaaaaa-0000-4000-8000-000000000004"/></Set></Sets></Project>"""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("other.qde", qde)
    client.force_login(researcher)
    response = client.post(reverse("qualitative:import_qdpx"), {
        "organisation": organisation.pk, "name": "", "file": upload("o.qdpx", buf.getvalue())})
    html = response.content.decode()
    items = re.findall(r"<li>([^<]*)</li>", html.split('class="govuk-list govuk-list--bullet qual-skipped"')[1])
    assert items == ["source far: the text is outside the archive (C:/Users/x/far.txt)",
                     "set x: 1 member(s) that were not imported left out"]
    # the audio source is kept (and said so), though Flourish cannot code it
    assert "source tape: the audio source is kept with its files and selections" in html


def test_stale_codings_are_announced(client, project, researcher):
    source = project.sources.get(name="interview-ann.txt")
    actions.revise_source(source, researcher, "interview-ann.txt", ("New start.\n" + source.text).encode())
    client.force_login(researcher)
    html = client.get(urls(project)["page"]).content.decode()
    assert "2 codings will be left out of the project file" in html


def test_the_pages_pass_axe(page, project, researcher):
    sign_in(page, researcher.email, PASSWORD)
    page.goto(urls(project)["page"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Exchange with other tools")
    assert_accessible(page)
    page.get_by_label("REFI-QDA codebook file (.qdc)").set_input_files(
        files=[{"name": "c.qdc", "mimeType": "application/xml", "buffer": b"<x/>"}])
    page.get_by_role("button", name="Add the codes").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.goto(reverse("qualitative:import_qdpx"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a project from another tool")
    assert_accessible(page)
    page.get_by_label("Name of the new project").fill("From the browser")
    page.get_by_label("REFI-QDA project file (.qdpx)").set_input_files(
        files=[{"name": "p.qdpx", "mimeType": "application/zip", "buffer": exchange.export_qdpx(project)}])
    page.get_by_role("button", name="Import the project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Project imported")
    assert_accessible(page)
