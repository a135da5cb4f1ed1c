"""The assisted-coding page: who sees and does what, the page without the extra, and
axe-core in Chromium. Suggestions are made directly on the assistant layer here (no
model), except in the one test that runs the model through the page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from flourish.jobs.testing import run_pending_jobs
from flourish.qualitative import actions
from flourish.qualitative.assist import embedding
from flourish.qualitative.models import CoderKind, Coding
from flourish.testing.browser import assert_accessible, sign_in
from flourish.testing.personas import PASSWORD

from .helpers import code, make_project

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def project(researcher, second_researcher, model_version):
    """Mei leads, Tomasz codes; the assistant has suggested two codes on the PAR session."""
    project = make_project(researcher, second_researcher, model_version)
    par = project.sources.get(name="par-session-1.txt")
    assistant = project.assistant()
    start, end = actions.turn_span(par, 1)
    actions.apply_codes(assistant, par, start, end, [code(project, researcher, "alternative-approaches")],
                        score=0.53, method="similarity")
    start, end = actions.turn_span(par, 2)
    actions.apply_codes(assistant, par, start, end, [code(project, researcher, "flow")], score=0.43,
                        method="similarity")
    return project


def urls(project):
    suggestion = Coding.objects.filter(coder__kind=CoderKind.ASSISTANT).first()
    return {
        "page": reverse("qualitative:assist", args=[project.pk]),
        "run": reverse("qualitative:assist_run", args=[project.pk]),
        "accept": reverse("qualitative:assist_accept", args=[project.pk, suggestion.pk]),
        "reject": reverse("qualitative:assist_reject", args=[project.pk, suggestion.pk]),
    }, suggestion


RUN = {"unit_kind": "turn", "threshold": "0.3", "probability": "0.5", "limit": "3"}


def test_members_see_the_suggestions_and_only_leads_can_ask_for_them(client, project, researcher,
                                                                     second_researcher):
    u, suggestion = urls(project)
    client.force_login(second_researcher)
    page = client.get(u["page"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "We ran a joint clinic as an experiment for six weeks." in html
    assert "Utilizing alternative approaches to problem solving" in html and "0.53" in html
    assert "Similarity to the code&#x27;s definition and examples" in html
    assert u["run"] not in html and "A lead researcher of the project can ask for suggestions." in html
    assert client.post(u["run"], RUN).status_code == 404  # a coder cannot run suggestions
    assert Coding.objects.filter(coder__kind=CoderKind.ASSISTANT).count() == 2

    client.force_login(researcher)
    html = client.get(u["page"]).content.decode()
    assert u["run"] in html and "Suggest codes" in html


def test_outsiders_get_404_everywhere(client, project, outsider):
    u, _ = urls(project)
    client.force_login(outsider)
    assert client.get(u["page"]).status_code == 404
    for name in ("run", "accept", "reject"):
        assert client.post(u[name], RUN).status_code == 404
    assert not Coding.objects.exclude(coder__kind=CoderKind.ASSISTANT).exists()


def test_accept_and_reject_through_the_page(client, project, second_researcher):
    u, suggestion = urls(project)
    client.force_login(second_researcher)
    response = client.post(u["accept"], {"page": "1"})
    assert response.status_code == 302 and response["Location"] == u["page"] + "?page=1"
    mine = Coding.objects.get(coder__user=second_researcher)
    assert (mine.code, mine.start, mine.end, mine.method) == (suggestion.code, suggestion.start, suggestion.end,
                                                              "accepted")
    assert "joint clinic" not in client.get(u["page"]).content.decode()  # Tomasz has it now

    other = Coding.objects.filter(coder__kind=CoderKind.ASSISTANT).exclude(pk=suggestion.pk).get()
    client.post(reverse("qualitative:assist_reject", args=[project.pk, other.pk]))
    other.refresh_from_db()
    assert other.method == "similarity:rejected"  # kept as the assistant's record
    assert client.post(reverse("qualitative:assist_reject", args=[project.pk, other.pk])).status_code == 404
    assert "No open suggestions" in client.get(u["page"]).content.decode()


def test_a_bad_threshold_is_explained(client, project, researcher):
    u, _ = urls(project)
    client.force_login(researcher)
    response = client.post(u["run"], {**RUN, "threshold": "2"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_without_the_extra_the_page_says_how_to_install_it(client, project, researcher, monkeypatch):
    monkeypatch.setattr(embedding, "available", lambda: False)
    u, _ = urls(project)
    client.force_login(researcher)
    html = client.get(u["page"]).content.decode()
    assert "Assisted coding is an optional extra" in html and "make assist" in html
    assert 'disabled aria-disabled="true"' in html and u["run"] not in html
    response = client.post(u["run"], RUN, follow=True)
    assert "make assist" in response.content.decode()
    assert Coding.objects.filter(coder__kind=CoderKind.ASSISTANT).count() == 2  # nothing ran


@pytest.mark.assist
def test_a_lead_asks_for_suggestions_through_the_page(client, project, researcher):
    if not embedding.available():
        pytest.fail(embedding.ASSIST_HELP)
    u, _ = urls(project)
    Coding.objects.filter(coder__kind=CoderKind.ASSISTANT).delete()
    client.force_login(researcher)
    response = client.post(u["run"], RUN, follow=True)
    assert "<progress" in response.content.decode()  # the run is a job; its page shows progress
    run_pending_jobs()
    html = client.get(response.redirect_chain[-1][0]).content.decode()
    assert re.search(r"\d+ suggestions for 7 uncoded turns", html)
    assert Coding.objects.filter(coder__kind=CoderKind.ASSISTANT, code__process_id="alternative-approaches",
                                 source__name="par-session-1.txt").exists()


def test_the_page_passes_axe_and_works_by_keyboard(page, project, second_researcher, monkeypatch):
    sign_in(page, second_researcher.email, PASSWORD)
    page.goto(reverse("qualitative:assist", args=[project.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Assisted coding")
    assert_accessible(page)
    accept = page.get_by_role("button", name=re.compile("^Accept “Utilizing alternative approaches"))
    accept.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("added to your coding of par-session-1.txt")).to_be_visible()
    assert_accessible(page)
    assert Coding.objects.filter(coder__user=second_researcher, method="accepted").count() == 1

    monkeypatch.setattr(embedding, "available", lambda: False)
    page.reload()
    expect(page.get_by_text("Assisted coding is an optional extra")).to_be_visible()
    assert_accessible(page)
