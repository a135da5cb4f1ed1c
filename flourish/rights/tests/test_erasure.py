"""Erasure through the real page: the leader's own records go, a cohort figure others
have seen stays de-identified, the screen says what remains and why, and nothing of
anyone else's is touched."""

from datetime import date

import pytest
from django.test import Client

from flourish.accounts.models import User
from flourish.audit.models import Entry
from flourish.development import actions as development
from flourish.development.models import JournalEntry
from flourish.disclosure.models import Release
from flourish.feedback.models import Cycle, Rater, Response
from flourish.feedback.tests.test_report_outputs import build_cycle, standard_specs
from flourish.jobs.models import Delivery
from flourish.selfassess.models import SelfAssessment
from flourish.sets.models import SetMember
from flourish.sets.tests.helpers import join, new_set

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def leader_with_everything(leader, facilitator, organisation, model_version, outsider):
    cycle = build_cycle(leader, model_version, standard_specs(model_version), via_links=False,
                        self_value=lambda j, m: 3)
    development.write_entry(leader, organisation, model_version, title="Mine", text="Private.",
                            written_on=date(2026, 1, 1))
    development.write_entry(outsider, outsider.memberships.first().organisation, model_version, title="Theirs",
                            text="Someone else's.", written_on=date(2026, 1, 1))
    learning_set = new_set(facilitator, model_version)
    join(learning_set, leader)
    figure = Release.objects.create(
        audience=f"set:{learning_set.pk}:facilitator", subject=f"set:{learning_set.pk}", key="self:p1",
        equation=[[f"leader:{leader.pk}", "self:p1@sa-1", 1], ["leader:999001", "self:p1@sa-2", 1],
                  ["leader:999002", "self:p1@sa-3", 1]],
        value={"score": 3.4, "n": 3})
    signed_in(leader).get("/self-assessment/")  # something for the audit log
    return cycle, figure


def test_the_screen_says_what_goes_and_what_remains_and_why(leader, leader_with_everything):
    page = signed_in(leader).get("/your-data/erase/").content.decode()
    assert "360° feedback cycles, with their raters and answers" in page
    assert "1 cohort figures already shown to a set&#x27;s facilitator" in page
    assert "de-identified: nothing in it will point to you" in page
    assert "Security records" in page


def test_a_wrong_confirmation_deletes_nothing(leader, leader_with_everything):
    response = signed_in(leader).post("/your-data/erase/", {"email": "someone@else.test"})
    assert response.status_code == 400 and "Type your email address exactly" in response.content.decode()
    assert User.objects.filter(pk=leader.pk).exists() and Cycle.objects.filter(leader=leader).exists()


def test_erasure_deletes_the_leaders_records_and_keeps_the_cohort_figure_de_identified(
        leader, outsider, leader_with_everything):
    cycle, figure = leader_with_everything
    leader_id, client = leader.pk, signed_in(leader)
    Client().post("/account/password-reset/", {"email": leader.email})  # a reset link waiting in the mail queue
    assert Delivery.objects.filter(object_key=f"user:{leader_id}").exists()
    response = client.post("/your-data/erase/", {"email": leader.email.upper()})

    assert response.status_code == 302
    assert not User.objects.filter(pk=leader_id).exists()
    assert not Cycle.objects.filter(pk=cycle.pk).exists()
    assert not Rater.objects.filter(cycle_id=cycle.pk).exists() and not Response.objects.filter(
        cycle_id=cycle.pk).exists()
    assert not SelfAssessment.objects.filter(leader_id=leader_id).exists()
    assert not JournalEntry.objects.filter(leader_id=leader_id).exists()
    assert not SetMember.objects.filter(user_id=leader_id).exists()
    assert JournalEntry.objects.filter(leader=outsider).exists()  # nobody else's
    assert not Delivery.objects.filter(to=leader.email).exists()  # nor their address in the mail queue

    figure.refresh_from_db()
    assert figure.value == {"score": 3.4, "n": 3} and len(figure.equation) == 3
    assert not any(term[0] == f"leader:{leader_id}" for term in figure.equation)
    erased = Entry.objects.get(verb="account-erased")
    assert erased.details == {"account_id": leader_id} and erased.actor_email == ""
    assert client.get("/your-data/").status_code == 302  # signed out


def test_a_facilitator_is_asked_to_hand_over_their_sets_first(facilitator, model_version):
    new_set(facilitator, model_version)
    response = signed_in(facilitator).post("/your-data/erase/", {"email": facilitator.email})
    assert response.status_code == 400 and "hand it over first" in response.content.decode()
    assert User.objects.filter(pk=facilitator.pk).exists()


def test_the_only_admin_cannot_erase_themselves(org_admin):
    response = signed_in(org_admin).post("/your-data/erase/", {"email": org_admin.email})
    assert response.status_code == 400 and "only admin" in response.content.decode()
