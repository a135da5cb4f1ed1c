"""The demo's pulse: the demo leader's team with a closed wave whose scores show (a second
team gives ICC something to compare), an open wave with a working link, and nothing new on a
second run."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse

from flourish.disclosure.models import Release
from flourish.pulse import demo
from flourish.pulse.models import Response, Team, Wave

from .helpers import fresh_rate_limits  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_demo_team_has_a_closed_wave_with_scores_and_an_open_one(client, leader, organisation):
    closed, link = demo.create(leader, organisation)
    counts = (Team.objects.count(), Wave.objects.count(), Response.objects.count(), Release.objects.count())
    again, _ = demo.create(leader, organisation)
    assert again.pk == closed.pk
    assert counts == (Team.objects.count(), Wave.objects.count(), Response.objects.count(), Release.objects.count())
    assert closed.results["scores"][0]["mean"] is not None and closed.results["scores"][0]["n"] == 11
    client.force_login(leader)
    page = client.get(reverse("pulse:results", args=[closed.team_id, closed.pk])).content.decode()
    assert f"{closed.results['scores'][0]['mean']:.2f}" in page
    assert "Other groups together" in page  # the two early years teachers, pooled
    start = client.get(urlparse(link).path)
    assert start.status_code == 200 and "It takes under 5 minutes" in start.content.decode()
