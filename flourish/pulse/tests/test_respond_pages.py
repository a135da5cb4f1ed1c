"""Hana, a health visitor on Amara's team, answers the pulse from her personal link: one page
per section, saved as she goes; bad input is named and saves nothing; a closed wave or an
unknown link learns nothing."""

import pytest
from django.urls import reverse

from flourish.pulse import actions
from flourish.pulse.models import Response

from .helpers import answer_all, answer_through_pages, fresh_rate_limits, link, open_wave, team_with_roster  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(leader, organisation):
    return open_wave(team_with_roster(leader, organisation))


@pytest.fixture
def hana(wave):
    return wave.invitations.get(member__name="Hana")


def test_the_start_page_says_it_takes_under_five_minutes_and_what_is_protected(client, hana):
    token = link(hana)
    page = client.get(reverse("pulse_respond:start", args=[token]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "It takes under 5 minutes" in text
    assert "What is not protected" in text
    assert page["X-Robots-Tag"] == "noindex, nofollow"


def test_the_role_section_asks_about_each_other_profession_never_her_own(client, hana):
    token = link(hana)
    page = client.get(reverse("pulse_respond:section", args=[token, "roles"]))
    professions = [p for p, _ in page.context["form"].groups]
    assert professions == ["Family support worker", "Psychologist", "Social worker"]
    assert "Health visitor" not in professions
    assert len(page.context["form"].fields) == 3 * len(hana.wave.instrument["role_ratings"]["items"])


def test_the_map_asks_how_often_she_works_with_every_profession_and_agency(client, hana):
    token = link(hana)
    form = client.get(reverse("pulse_respond:section", args=[token, "map"])).context["form"]
    assert form.professions == ["Family support worker", "Health visitor", "Psychologist", "Social worker"]
    assert form.agencies == ["City Council", "Hope Charity", "NHS Trust"]


def test_save_and_come_back_later_keeps_a_half_answered_page(client, hana):
    token = link(hana)
    first = hana.wave.instrument["items"][0]["id"]
    page = client.post(reverse("pulse_respond:section", args=[token, "team"]),
                       {f"item-{first}": "x", "save_and_return": ""})
    assert page.status_code == 200 and "Your answers are saved" in page.content.decode()
    assert Response.objects.get(invitation=hana).answers == {first: None}
    again = client.get(reverse("pulse_respond:section", args=[token, "team"]))
    assert again.context["form"].initial[f"item-{first}"] == "x"


def test_continuing_with_a_question_unanswered_names_it_and_saves_nothing(client, hana):
    token = link(hana)
    items = hana.wave.instrument["items"]
    data = {f"item-{item['id']}": "4" for item in items[1:]}
    page = client.post(reverse("pulse_respond:section", args=[token, "team"]), {**data, "continue": ""})
    assert page.status_code == 400
    assert f"Choose an answer for “{items[0]['text']}”, or “can’t say”" in page.content.decode()
    assert not Response.objects.filter(invitation=hana).exists()


def test_an_answer_off_the_scale_is_refused_by_name(client, hana):
    token = link(hana)
    item = hana.wave.instrument["items"][0]
    page = client.post(reverse("pulse_respond:section", args=[token, "team"]),
                       {f"item-{item['id']}": "9", "save_and_return": ""})
    assert page.status_code == 400
    assert f"Choose one of the answers given for “{item['text']}”" in page.content.decode()
    assert not Response.objects.filter(invitation=hana).exists()


def test_sending_with_a_section_missing_says_which_and_sends_nothing(client, hana):
    token = link(hana)
    page = client.post(reverse("pulse_respond:review", args=[token]))
    assert page.status_code == 400
    assert "Answer the questions about the team" in page.content.decode()
    assert not Response.objects.filter(invitation=hana, submitted_on__isnull=False).exists()


def test_she_answers_every_section_through_the_pages(client, hana):
    token = link(hana)
    answer_through_pages(client, token, hana.wave, level=5)
    response = Response.objects.get(invitation=hana)
    assert response.submitted_on is not None
    assert set(response.answers.values()) == {5}
    assert set(response.role_ratings) == {"Family support worker", "Psychologist", "Social worker"}
    assert response.collaboration["agencies"] == {"City Council": 3, "Hope Charity": 3, "NHS Trust": 3}


def test_she_can_delete_her_answers_while_the_wave_is_open(client, hana):
    token = link(hana)
    answer_through_pages(client, token, hana.wave)
    page = client.post(reverse("pulse_respond:withdraw", args=[token]))
    assert "Your answers are deleted" in page.content.decode()
    assert not Response.objects.filter(invitation=hana).exists()


def test_after_close_her_link_gets_a_polite_page_that_cannot_say_whether_she_answered(client, wave, hana):
    token = link(hana)
    answer_all(wave)
    actions.close_wave(wave)
    for url in (reverse("pulse_respond:start", args=[token]), reverse("pulse_respond:section", args=[token, "team"])):
        page = client.get(url)
        assert page.status_code == 410
        assert "cannot say whether you answered" in page.content.decode()
    assert client.post(reverse("pulse_respond:review", args=[token])).status_code == 410


def test_an_unknown_link_is_not_found(client, wave):
    assert client.get(reverse("pulse_respond:start", args=["not-a-real-token"])).status_code == 404
