"""Amara's pages for her team: setting it up, the roster, opening a wave — bad input named
where it is, nothing saved in part — and pages whose queries do not grow with the team."""

import pytest
from django.urls import reverse
from django.utils import timezone

from flourish.pulse.models import Team

from .helpers import ROSTER, fresh_rate_limits, open_wave, team_with_roster  # noqa: F401
from .test_results import closed_wave_of

pytestmark = pytest.mark.django_db


def test_she_sets_up_a_team_and_adds_someone_to_its_roster(client, leader, organisation):
    client.force_login(leader)
    created = client.post(reverse("pulse:create_team"), {"name": "Riverside early help team",
                                                         "organisation": organisation.pk})
    team = Team.objects.get(leader=leader)
    assert created.status_code == 302 and created["Location"] == reverse("pulse:team", args=[team.pk])
    added = client.post(reverse("pulse:team", args=[team.pk]), {
        "add_member": "", "name": "Hana", "email": "hana@riverside.test", "profession": "Health visitor",
        "agency": "NHS Trust"})
    assert added.status_code == 302
    assert list(team.members.values_list("name", "profession", "agency")) == [("Hana", "Health visitor", "NHS Trust")]


def test_a_bad_member_is_named_field_by_field_and_not_added(client, leader, organisation):
    team = team_with_roster(leader, organisation, roster=ROSTER[:1])
    client.force_login(leader)
    page = client.post(reverse("pulse:team", args=[team.pk]), {
        "add_member": "", "name": "Sol", "email": "not-an-address", "profession": "", "agency": "City Council"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Enter an email address like name@example.org" in text and 'href="#id_email"' in text
    assert 'href="#id_profession"' in text
    assert team.members.count() == 1


def test_opening_a_wave_with_too_few_people_says_so_and_sends_nothing(client, leader, organisation):
    team = team_with_roster(leader, organisation, roster=ROSTER[:2])
    client.force_login(leader)
    closes = (timezone.localdate() + timezone.timedelta(days=7)).isoformat()
    page = client.post(reverse("pulse:team", args=[team.pk]), {"open_wave": "", "label": "Spring 2027",
                                                               "closes_on": closes})
    assert page.status_code == 400
    assert "a wave needs at least 3" in page.content.decode()
    assert not team.waves.exists()


def test_someone_who_leads_nowhere_cannot_set_up_a_team(client, researcher, organisation):
    client.force_login(researcher)
    page = client.post(reverse("pulse:create_team"), {"name": "Mine", "organisation": organisation.pk})
    assert page.status_code == 400
    assert not Team.objects.exists()


@pytest.mark.parametrize("people", [6, 12])
def test_the_team_and_results_pages_query_a_fixed_number_of_times(client, leader, organisation,
                                                                  django_assert_max_num_queries, people):
    team = team_with_roster(leader, organisation, roster=ROSTER[:people])
    wave = closed_wave_of(team, "Spring 2027", level=4)
    open_wave(team, "Autumn 2027")
    client.force_login(leader)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("pulse:team", args=[team.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("pulse:results", args=[team.pk, wave.pk])).status_code == 200
