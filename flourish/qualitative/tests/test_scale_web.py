"""Pages that hold at scale (issue 16): the agreement report is computed once per project
state, not on every load; the coding page pages a long transcript and the list of one's
codings; the adjudication page pages and filters beyond 200 disagreements. Each page's
number of queries does not grow with the transcript or the number of codings."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from flourish.qualitative import actions, analysis, selectors
from flourish.qualitative.models import Coding, text_hash

from .helpers import make_project


def long_transcript(turns: int) -> bytes:
    return "".join(f"{'Ann' if i % 2 else 'Bob'}: Turn {i} about the pathway and the rota.\n"
                   for i in range(turns)).encode()


@pytest.fixture
def big(researcher, second_researcher, model_version):
    """Mei codes every turn of a 300-turn transcript with one code, Tomasz only the first turn
    with another: 301 disagreements (both codes on the first turn, the first on every other)."""
    project = make_project(researcher, second_researcher, model_version)
    (source,) = actions.import_sources(project, researcher, [("long.txt", long_transcript(300))])
    mei, tomasz = selectors.person_layer(project, researcher), selectors.person_layer(project, second_researcher)
    first, second = project.codes.order_by("pk")[:2]
    rows = []
    for index in range(len(source.turns)):
        start, end = actions.turn_span(source, index)
        rows.append(Coding(source=source, code=first, coder=mei, start=start, end=end,
                           text_hash=text_hash(source.text[start:end])))
    Coding.objects.bulk_create(rows)
    actions.add_code_to_turn(tomasz, source, 0, [second])
    for layer in (mei, tomasz):
        actions.choose_to_compare(layer)
    return project, source, mei, tomasz


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response.content.decode()


def test_the_agreement_report_is_computed_once_until_the_codings_change(client, big, researcher, monkeypatch):
    project, source, mei, _ = big
    calls = []
    real = analysis.core.agreement
    monkeypatch.setattr(analysis.core, "agreement",
                        lambda *a, **k: calls.append(k["bootstrap_samples"]) or real(*a, **k))
    client.force_login(researcher)
    url = reverse("qualitative:agreement", args=[project.pk])
    first_count, first = queries(client, url)
    again_count, again = queries(client, url)
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert calls == [1000] and token.sub("", again) == token.sub("", first)
    assert again_count < first_count
    actions.apply_codes(mei, source, 0, 3, [project.codes.order_by("pk")[2]])
    queries(client, url)
    assert calls == [1000, 1000]  # recomputed for the new state, once


def test_the_agreement_pages_queries_do_not_grow_with_the_codings(client, big, researcher, second_researcher,
                                                                   model_version):
    project, *_ = big
    client.force_login(researcher)
    url = reverse("qualitative:agreement", args=[project.pk])
    queries(client, url)
    cached_big, _ = queries(client, url)
    small = make_project(researcher, second_researcher, model_version, name="Small study")
    for user, turn in ((researcher, 1), (second_researcher, 3)):
        layer = selectors.person_layer(small, user)
        actions.add_code_to_turn(layer, small.sources.first(), turn, [small.codes.first()])
        actions.choose_to_compare(layer)
    small_url = reverse("qualitative:agreement", args=[small.pk])
    queries(client, small_url)
    cached_small, _ = queries(client, small_url)
    assert cached_big == cached_small


def test_the_coding_page_shows_a_long_transcript_a_page_at_a_time(client, big, researcher):
    project, source, *_ = big
    client.force_login(researcher)
    url = reverse("qualitative:coding", args=[project.pk, source.pk])
    n1, html = queries(client, url)
    assert html.count('class="qual-turn"') == 50  # coding_views.TURNS_PER_PAGE
    assert 'id="turn-1"' in html and 'id="turn-51"' not in html and "Turns 1 to 50 of 300." in html
    assert html.count('<li id="coding-') == 200 and "300 codings, 200 on this page." in html
    n6, html = queries(client, url + "?page=6&codings=2")
    assert 'id="turn-300"' in html and 'id="turn-250"' not in html
    assert html.count('<li id="coding-') == 100
    assert n6 == n1  # the same queries whichever page
    # saving a turn goes back to the page that holds it
    response = client.post(reverse("qualitative:set_turn_codes", args=[project.pk, source.pk, 120]), {"codes": []})
    assert response.url.endswith("?page=3#turn-120")
    response = client.post(reverse("qualitative:set_turn_codes", args=[project.pk, source.pk, 50]), {"codes": []})
    assert response.url.endswith("/#turn-50")


def test_the_coding_pages_queries_do_not_grow_with_the_transcript(client, big, researcher):
    project, source, *_ = big
    (short,) = actions.import_sources(project, researcher, [("short.txt", long_transcript(4))])
    mei = selectors.person_layer(project, researcher)
    actions.add_code_to_turn(mei, short, 0, [project.codes.first()])
    client.force_login(researcher)
    n_long, _ = queries(client, reverse("qualitative:coding", args=[project.pk, source.pk]))
    n_short, _ = queries(client, reverse("qualitative:coding", args=[project.pk, short.pk]))
    assert n_long == n_short


def test_the_adjudication_page_pages_and_filters_beyond_200(client, big, researcher):
    project, source, *_ = big
    client.force_login(researcher)
    url = reverse("qualitative:adjudication", args=[project.pk])
    queries(client, url)  # computes the report once
    n1, html = queries(client, url)
    assert html.count('<section class="govuk-!-margin-bottom-8"') == 200
    assert "Showing 1 to 200 of 301." in html and 'aria-label="Pages of disagreements"' in html
    n2, html = queries(client, url + "?page=2")
    assert html.count('<section class="govuk-!-margin-bottom-8"') == 101 and "Showing 201 to 301 of 301." in html
    assert n2 == n1
    second = project.codes.order_by("pk")[1]
    _, html = queries(client, url + f"?code={second.pk}")
    assert html.count('<section class="govuk-!-margin-bottom-8"') == 1
    assert "1 match the chosen code and source." in html
    assert re.search(rf'<option value="{second.pk}" selected>', html)
    _, html = queries(client, url + f"?source={source.pk}&code=999999")  # an unknown code is no filter
    assert html.count('<section class="govuk-!-margin-bottom-8"') == 200


def test_a_decision_goes_back_to_the_same_filter_and_page(client, big, researcher):
    project, source, mei, tomasz = big
    client.force_login(researcher)
    first = project.codes.order_by("pk")[0]
    start, end = actions.turn_span(source, 250)
    response = client.post(reverse("qualitative:adjudicate", args=[project.pk]), {
        "source": source.pk, "code": first.pk, "start": start, "end": end, "applies": "yes",
        "coders": [mei.pk, tomasz.pk], "unit": "turn", "page": "2"})
    assert response.status_code == 302 and f"code={first.pk}" in response.url and "page=2" in response.url


def test_the_synthesis_and_model_check_are_computed_once_until_the_codings_change(client, big, researcher,
                                                                                   monkeypatch):
    project, source, mei, _ = big
    calls = []
    for name in ("layer_synthesis", "layer_model_check"):
        real = getattr(analysis, name)
        monkeypatch.setattr(analysis, name,
                            lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    client.force_login(researcher)
    for page in ("synthesis", "model_check"):
        url = reverse(f"qualitative:{page}", args=[project.pk])
        queries(client, url)
        queries(client, url)
    assert calls == ["layer_synthesis", "layer_model_check"]
    actions.apply_codes(mei, source, 0, 3, [project.codes.order_by("pk")[2]])
    queries(client, reverse("qualitative:synthesis", args=[project.pk]))
    assert calls == ["layer_synthesis", "layer_model_check", "layer_synthesis"]
