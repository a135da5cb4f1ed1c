"""Raters and leaders opt in to research use, separately, and can change their minds."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from flourish.feedback import actions as feedback_actions
from flourish.feedback.models import Response
from flourish.feedback.tests.helpers import add_raters, new_cycle
from flourish.research import actions, dataset

from .scenarios import closed_cycle, open_cycle, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def rater_page(token):
    return reverse("research:rater_consent", args=[token])


def test_a_rater_opts_in_from_their_link_and_can_withdraw(client, leader, model_version):
    cycle, raters = open_cycle(leader, model_version)
    token = token_for(raters[0])
    page = client.get(rater_page(token))
    assert page.status_code == 200
    text = page.content.decode()
    assert "de-identified" in text and "never see" in text and "your name, email address" in text
    assert client.post(rater_page(token), {"share": "yes"}).status_code == 302
    assert Response.objects.get(rater=raters[0]).research_consent is True
    client.post(rater_page(token), {})  # the box unticked
    assert Response.objects.get(rater=raters[0]).research_consent is False


def test_after_the_cycle_closes_the_choice_is_final_because_no_answer_is_linked_to_the_rater(
        client, leader, model_version):
    """At close the answers are severed from their raters (feedback, issue 10 item 7), so a
    link can no longer find, or change the research choice of, its answers."""
    cycle, raters = closed_cycle(leader, model_version)
    token = token_for(raters[1])
    assert cycle.is_closed
    assert client.get(rater_page(token)).status_code == 200
    client.post(rater_page(token), {"share": "yes"})
    assert not Response.objects.filter(rater=raters[1]).exists()


def test_an_unknown_link_is_not_found(client):
    assert client.get(rater_page("not-a-real-token")).status_code == 404
    assert client.post(rater_page("not-a-real-token"), {"share": "yes"}).status_code == 404


def test_a_rater_with_no_answers_is_told_there_is_nothing_to_share(client, leader, model_version):
    cycle = new_cycle(leader, model_version)
    rater = add_raters(cycle)[0]
    token = token_for(rater)
    page = client.get(rater_page(token))
    assert "nothing to share yet" in page.content.decode()
    client.post(rater_page(token), {"share": "yes"})
    assert not Response.objects.filter(rater=rater).exists()
    with pytest.raises(actions.NotAllowed):
        actions.set_rater_consent(rater, True)


def test_a_leader_shares_and_stops_sharing_each_self_assessment_and_cycle(client, leader, model_version):
    cycle, _ = closed_cycle(leader, model_version)
    client.force_login(leader)
    page = client.get(reverse("research:consent"))
    assert page.status_code == 200 and cycle.title in page.content.decode()
    own = cycle.self_assessment
    client.post(reverse("research:consent"), {"kind": "self-assessment", "pk": own.pk, "share": "yes"})
    client.post(reverse("research:consent"), {"kind": "cycle", "pk": cycle.pk, "share": "yes"})
    own.refresh_from_db()
    cycle.refresh_from_db()
    assert own.research_consent and cycle.research_consent
    client.post(reverse("research:consent"), {"kind": "cycle", "pk": cycle.pk, "share": "no"})
    cycle.refresh_from_db()
    own.refresh_from_db()
    assert cycle.research_consent is False and own.research_consent is True  # separate choices


def test_a_leader_cannot_change_someone_elses_choices(client, leader, outsider, model_version):
    cycle, _ = closed_cycle(leader, model_version)
    client.force_login(outsider)
    for kind, pk in (("cycle", cycle.pk), ("self-assessment", cycle.self_assessment.pk)):
        assert client.post(reverse("research:consent"), {"kind": kind, "pk": pk, "share": "yes"}).status_code == 404
    cycle.refresh_from_db()
    assert not cycle.research_consent and not cycle.self_assessment.research_consent


def test_withdrawing_consent_takes_the_data_out_of_the_next_export(leader, organisation, model_version):
    # A rater's choice is theirs until close (then their answers are severed from them).
    cycle, raters = open_cycle(leader, model_version)
    for rater in raters:
        actions.set_rater_consent(rater, True)
    actions.set_rater_consent(raters[1], False)  # changed their mind before close
    cycle = feedback_actions.close(cycle)
    actions.set_cycle_consent(leader, cycle, True)
    # With the report, the consenting rows would give away the one who said no: nothing goes out.
    assert dataset.build([organisation]).count("other") == 0
    cycle, raters = open_cycle(leader, model_version)
    for rater in raters:
        actions.set_rater_consent(rater, True)
    cycle = feedback_actions.close(cycle)
    actions.set_cycle_consent(leader, cycle, True)
    assert dataset.build([organisation]).count("other") == len(raters)
    actions.set_cycle_consent(leader, cycle, False)  # the leader withdraws: the raters' yes is not enough
    assert dataset.build([organisation]).count("other") == 0


def test_a_leader_can_choose_from_another_page_and_go_back_there(client, leader, model_version):
    cycle, _ = closed_cycle(leader, model_version)
    client.force_login(leader)
    back = f"/feedback/{cycle.pk}/"
    response = client.post(reverse("research:consent"), {"kind": "cycle", "pk": cycle.pk, "share": "yes", "next": back})
    assert response["Location"] == back
    response = client.post(reverse("research:consent"), {"kind": "cycle", "pk": cycle.pk, "share": "no",
                                                         "next": "https://evil.example/"})
    assert response["Location"] == reverse("research:consent")
