"""A line manager is shown apart from other raters only where the organisation allows it
AND the line manager agreed on their own questionnaire (issue 10, item 8); the leader
cannot agree for them."""

import json

import pytest
from django.urls import reverse

from flourish.feedback import actions
from flourish.feedback.models import RaterLink, Response

from .helpers import answer, fresh_rate_limits, new_cycle  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(leader, model_version):
    cycle = new_cycle(leader, model_version)
    cycle.organisation.show_line_manager_separately = True
    cycle.organisation.save()
    for name in ("Pia", "Quin", "Rae"):
        actions.nominate(cycle, name=name, email=f"{name.lower()}@nhs.test", profession="Health",
                         relationship="peer")
    actions.nominate(cycle, name="Lin Hale", email="lin@council.test", profession="Social care",
                     relationship="line manager")
    return actions.send_invitations(cycle)


def line_manager_answers(client, cycle, *, agrees):
    lin = cycle.raters.get(name="Lin Hale")
    token = RaterLink.issue(lin)
    version = cycle.framework_version
    for number, process in enumerate(version.processes, start=1):
        data = {f"item-{item['id']}": "2" for item in process["items"]}
        client.post(reverse("rate:step", args=[token, number]), {**data, "comment": "", "continue": ""})
    review = client.get(reverse("rate:review", args=[token])).content.decode()
    assert "only if you agree here" in review and "my ratings may be shown separately" in review
    sent = client.post(reverse("rate:review", args=[token]), {"line_manager_consented": "on"} if agrees else {})
    assert sent.status_code == 302
    return Response.objects.get(rater=lin)


def released(cycle):
    for rater in cycle.raters.exclude(name="Lin Hale"):
        answer(rater)
    return actions.close(cycle).report


def shows_line_manager(report) -> bool:
    return "line manager" in json.dumps([p.get("figures", p) for p in report["processes"]]).lower()


def test_a_line_manager_who_does_not_agree_is_pooled_with_everyone(client, cycle):
    assert not line_manager_answers(client, cycle, agrees=False).line_manager_consented
    assert not shows_line_manager(released(cycle))


def test_a_line_manager_who_agrees_on_their_questionnaire_is_shown_apart(client, cycle):
    assert line_manager_answers(client, cycle, agrees=True).line_manager_consented
    assert shows_line_manager(released(cycle))


def test_a_peer_cannot_consent_to_be_shown_as_a_line_manager(cycle):
    peer = cycle.raters.get(name="Pia")
    assert not answer(peer).line_manager_consented
    assert not actions.submit(peer, line_manager_consented=True).line_manager_consented
