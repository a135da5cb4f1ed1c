"""Amara's 360° cycle page links to her own teams' pulse; a facilitator or admin managing the
cycle sees no pulse link (the pulse is the leader's)."""

import pytest
from django.urls import reverse

from flourish.feedback import actions as feedback
from flourish.feedback.tests.helpers import add_raters, answer, new_cycle

from .helpers import fresh_rate_limits, team_with_roster  # noqa: F401
from .test_results import closed_wave_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_cycle(leader, model_version):
    cycle = new_cycle(leader, model_version)
    raters = add_raters(cycle)
    feedback.send_invitations(cycle)
    for rater in raters:
        answer(rater)
    return feedback.close(cycle)


def test_her_closed_cycle_page_links_to_her_team_pulse_results(client, leader, organisation, closed_cycle):
    team = team_with_roster(leader, organisation)
    wave = closed_wave_of(team, "Spring 2027", level=4)
    client.force_login(leader)
    page = client.get(reverse("feedback:detail", args=[closed_cycle.pk])).content.decode()
    assert reverse("pulse:results", args=[team.pk, wave.pk]) in page
    assert "Riverside early help team: team pulse, Spring 2027" in page


def test_without_a_team_the_cycle_page_offers_to_set_one_up(client, leader, closed_cycle):
    client.force_login(leader)
    page = client.get(reverse("feedback:detail", args=[closed_cycle.pk])).content.decode()
    assert "Set up a team integration pulse" in page


def test_an_admin_managing_her_cycle_is_not_shown_her_pulse(client, leader, organisation, org_admin, closed_cycle):
    team_with_roster(leader, organisation)
    client.force_login(org_admin)
    page = client.get(reverse("feedback:detail", args=[closed_cycle.pk]))
    assert page.status_code == 200
    assert "team pulse" not in page.content.decode()
