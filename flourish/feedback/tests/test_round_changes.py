"""A round can be changed while it runs (issue 17): Amara gives people more time, undoes a
withdrawal, and is asked to confirm before closing or withdrawing someone — and none of it
tells her who has answered. Through the real pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from flourish.feedback import actions
from flourish.feedback.models import Cycle, Rater
from flourish.jobs.testing import run_pending_jobs

from .helpers import add_raters, answer, new_cycle
from .test_live_view import live_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(leader, model_version):
    cycle = new_cycle(leader, model_version, title="Spring round")
    add_raters(cycle)
    actions.send_invitations(cycle)
    return cycle


def test_asking_to_close_shows_a_confirmation_and_changes_nothing_until_confirmed(client, leader, running):
    client.force_login(leader)
    page = client.get(f"/feedback/{running.pk}/")
    assert f'href="/feedback/{running.pk}/close/"' in page.content.decode()
    confirm = client.get(f"/feedback/{running.pk}/close/").content.decode()
    assert "Close the round now?" in confirm and "cannot be undone" in confirm
    # Nobody has answered yet, and the page does not claim otherwise.
    assert "closing now ends the round with no report, for good" in confirm
    running.refresh_from_db()
    assert running.is_open
    assert client.post(f"/feedback/{running.pk}/close/").status_code == 302
    run_pending_jobs()
    running.refresh_from_db()
    assert running.is_closed


def test_once_enough_have_answered_the_confirmation_says_a_report_will_be_made(client, leader, model_version):
    # Four asked in one group, so that "at least three answered" can be told at all.
    running = new_cycle(leader, model_version, title="Summer round")
    add_raters(running, [(name, "Health", "peer") for name in ("Bea", "Carl", "Dan", "Eve")])
    actions.send_invitations(running)
    for rater in running.raters.all()[:3]:
        answer(rater)
    client.force_login(leader)
    confirm = client.get(f"/feedback/{running.pk}/close/").content.decode()
    assert "so a report will be made" in confirm and "no report, for good" not in confirm


def test_withdrawing_asks_first_and_can_be_undone_while_the_round_is_open(client, leader, running):
    hannah = running.raters.get(name="Hannah")
    client.force_login(leader)
    confirm = client.get(f"/feedback/{running.pk}/raters/{hannah.pk}/revoke/").content.decode()
    assert "Withdraw Hannah?" in confirm
    hannah.refresh_from_db()
    assert hannah.revoked_at is None
    client.post(f"/feedback/{running.pk}/raters/{hannah.pk}/revoke/")
    hannah.refresh_from_db()
    assert hannah.revoked_at is not None
    page = client.get(f"/feedback/{running.pk}/").content.decode()
    assert f'action="/feedback/{running.pk}/raters/{hannah.pk}/restore/"' in page
    reply = client.post(f"/feedback/{running.pk}/raters/{hannah.pk}/restore/", follow=True)
    assert "Hannah is back on the list" in reply.content.decode()
    hannah.refresh_from_db()
    assert hannah.revoked_at is None
    answer(hannah)  # her link works again: her answers count


def test_withdrawing_and_undoing_changes_nothing_the_live_table_shows(client, leader, running):
    for rater in running.raters.filter(profession="Health"):
        answer(rater)
    client.force_login(leader)
    before = live_section(client, running)
    hannah = running.raters.get(name="Hannah")
    client.post(f"/feedback/{running.pk}/raters/{hannah.pk}/revoke/")
    client.post(f"/feedback/{running.pk}/raters/{hannah.pk}/restore/")
    assert live_section(client, running) == before


def test_a_withdrawal_cannot_be_undone_after_the_round_closes(client, leader, running):
    hannah = running.raters.get(name="Hannah")
    actions.revoke(hannah)
    actions.close(running)
    client.force_login(leader)
    reply = client.post(f"/feedback/{running.pk}/raters/{hannah.pk}/restore/", follow=True)
    assert "can no longer be undone" in reply.content.decode()
    assert Rater.objects.get(pk=hannah.pk).revoked_at is not None


def test_the_closing_date_can_be_extended_and_a_past_one_is_refused_saying_so(client, leader, running):
    client.force_login(leader)
    form = client.get(f"/feedback/{running.pk}/closing-date/").content.decode()
    assert re.search(rf'name="closes_on" value="{running.closes_on:%Y-%m-%d}"', form)
    later = running.closes_on + timedelta(days=7)
    reply = client.post(f"/feedback/{running.pk}/closing-date/", {"closes_on": later.isoformat()}, follow=True)
    assert f"now closes at the end of {later:%A %-d %B %Y}" in reply.content.decode()
    assert Cycle.objects.get(pk=running.pk).closes_on == later
    yesterday = timezone.localdate() - timedelta(days=1)
    refused = client.post(f"/feedback/{running.pk}/closing-date/", {"closes_on": yesterday.isoformat()})
    assert refused.status_code == 400 and "The closing date must be in the future" in refused.content.decode()
    assert Cycle.objects.get(pk=running.pk).closes_on == later


def test_a_closed_rounds_date_cannot_change(client, leader, running):
    actions.close(running)
    client.force_login(leader)
    later = timezone.localdate() + timedelta(days=30)
    reply = client.post(f"/feedback/{running.pk}/closing-date/", {"closes_on": later.isoformat()}, follow=True)
    assert "its closing date cannot change" in reply.content.decode()
    assert Cycle.objects.get(pk=running.pk).closes_on != later


@pytest.mark.parametrize("persona", ["outsider", "facilitator", "researcher"])
def test_nobody_else_reaches_the_confirmations_or_changes_a_round(client, running, persona, request):
    hannah = running.raters.get(name="Hannah")
    actions.revoke(hannah)
    client.force_login(request.getfixturevalue(persona))
    for url in [f"/feedback/{running.pk}/close/", f"/feedback/{running.pk}/raters/{hannah.pk}/revoke/",
                f"/feedback/{running.pk}/closing-date/"]:
        assert client.get(url).status_code == 404
    later = running.closes_on + timedelta(days=7)
    assert client.post(f"/feedback/{running.pk}/closing-date/", {"closes_on": later.isoformat()}).status_code == 404
    assert client.post(f"/feedback/{running.pk}/raters/{hannah.pk}/restore/").status_code == 404
    running.refresh_from_db()
    hannah.refresh_from_db()
    assert running.closes_on != later and hannah.revoked_at is not None
