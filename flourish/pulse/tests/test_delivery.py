"""Amara's early help team: its roster, a wave that invites everyone by a personal link through
the mail queue, and answers severed from the people who gave them when the wave closes."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from flourish.jobs.models import Delivery, Job
from flourish.jobs.testing import run_pending_jobs
from flourish.pulse import actions
from flourish.pulse.models import Invitation, InvitationLink, Response, Wave, WaveStatus

from .helpers import ROSTER, answer, answer_all, fresh_rate_limits, open_wave, team_with_roster  # noqa: F401

pytestmark = pytest.mark.django_db


def test_opening_a_wave_queues_a_personal_link_for_everyone_on_the_roster(leader, organisation):
    team = team_with_roster(leader, organisation)
    wave = open_wave(team)
    assert wave.invitations.count() == len(ROSTER)
    assert Delivery.objects.filter(purpose=actions.INVITATION).count() == len(ROSTER)
    assert mail.outbox == []  # queued, not sent in the request
    run_pending_jobs()
    hana = next(m for m in mail.outbox if m.to == ["hana@riverside.test"])
    token = re.search(r"/p/([^/\s]+)/", hana.body).group(1)
    assert "under five minutes" in hana.body
    # Only the token's hash is stored, and the delivery's body is blanked once sent.
    assert not InvitationLink.objects.filter(token_hash=token).exists()
    assert token not in Delivery.objects.get(to="hana@riverside.test").body


def test_a_wave_needs_at_least_k_people_and_refuses_saying_so(leader, organisation):
    team = team_with_roster(leader, organisation, roster=ROSTER[:2])
    with pytest.raises(actions.NotAllowed, match="has 2 people on its roster; a wave needs at least 3"):
        open_wave(team)
    assert not team.waves.exists()


def test_the_roster_refuses_the_same_person_twice_and_the_leader_themselves(leader, organisation):
    team = team_with_roster(leader, organisation, roster=ROSTER[:3])
    with pytest.raises(actions.NotAllowed, match="hana@riverside.test is already on the roster"):
        actions.add_member(team, "Hana again", "HANA@riverside.test", "Health visitor", "NHS Trust")
    with pytest.raises(actions.NotAllowed, match="the leader is not on its roster"):
        actions.add_member(team, "Amara", leader.email, "Manager", "City Council")
    # The same mailboxes in other spellings: a +tag for the leader, case and a +tag for Hana.
    plus = leader.email.replace("@", "+pulse@")
    with pytest.raises(actions.NotAllowed, match="the leader is not on its roster"):
        actions.add_member(team, "A. Okafor", plus, "Manager", "City Council")
    with pytest.raises(actions.NotAllowed, match=r"already on the roster .*\(as hana@riverside.test\)"):
        actions.add_member(team, "H", "Hana+2@Riverside.test", "Health visitor", "NHS Trust")
    assert team.members.count() == 3


def test_someone_who_left_the_roster_is_not_asked_in_the_next_wave(leader, organisation):
    team = team_with_roster(leader, organisation)
    actions.remove_member(team.members.get(name="Priya"))
    wave = open_wave(team)
    assert not wave.invitations.filter(member__name="Priya").exists()
    assert wave.invitations.count() == len(ROSTER) - 1


def test_at_close_answers_lose_their_link_to_anyone_and_drafts_go(leader, organisation):
    team = team_with_roster(leader, organisation)
    wave = open_wave(team)
    answer_all(wave, leave_out={"Priya", "Flo"})
    flo = wave.invitations.get(member__name="Flo")
    actions.save_section(flo, "team", {wave.instrument["items"][0]["id"]: 2})  # a draft, never sent
    actions.close_wave(wave)
    wave.refresh_from_db()
    assert wave.status == WaveStatus.CLOSED and wave.results is not None
    kept = Response.objects.filter(wave=wave)
    assert kept.count() == len(ROSTER) - 2
    assert not kept.filter(invitation__isnull=False).exists()
    assert not Response.objects.filter(invitation__in=Invitation.objects.filter(wave=wave)).exists()
    assert set(kept.values_list("profession", flat=True)) == {"Health visitor", "Social worker",
                                                             "Family support worker"}


def test_answers_cannot_be_saved_or_sent_after_close(leader, organisation):
    team = team_with_roster(leader, organisation)
    wave = open_wave(team)
    answer_all(wave, leave_out={"Hana"})
    actions.close_wave(wave)
    hana = wave.invitations.get(member__name="Hana")
    with pytest.raises(actions.NotAllowed, match="has closed; nothing was saved"):
        actions.save_section(hana, "team", {})
    with pytest.raises(actions.NotAllowed, match="already closed"):
        actions.close_wave(wave)


def test_sending_before_every_section_is_answered_is_refused_naming_what_is_missing(leader, organisation):
    team = team_with_roster(leader, organisation)
    wave = open_wave(team)
    hana = wave.invitations.get(member__name="Hana")
    actions.save_section(hana, "team", {item["id"]: 4 for item in wave.instrument["items"]})
    with pytest.raises(actions.NotAllowed, match="each other profession and how often you work"):
        actions.submit(hana)
    assert Response.objects.get(invitation=hana).submitted_on is None
    answer(hana)
    assert Response.objects.get(invitation=hana).submitted_on is not None


def test_a_wave_past_its_closing_date_is_closed_by_the_hourly_work(leader, organisation):
    team = team_with_roster(leader, organisation)
    wave = open_wave(team)
    answer_all(wave)
    Wave.objects.filter(pk=wave.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    call_command("tick")
    run_pending_jobs()
    wave.refresh_from_db()
    assert wave.status == WaveStatus.CLOSED and wave.results["asked"] == len(ROSTER)
    assert Job.objects.filter(kind="pulse.close_due").exists()
    assert not Response.objects.filter(wave=wave, invitation__isnull=False).exists()


def test_answers_the_pulse_or_roster_does_not_have_are_refused_by_name_and_nothing_saved(leader, organisation):
    team = team_with_roster(leader, organisation)
    wave = open_wave(team)
    hana = wave.invitations.get(member__name="Hana")
    first = wave.instrument["items"][0]["id"]
    with pytest.raises(actions.NotAllowed, match=f"team: {first}: 7 is not on the scale"):
        actions.save_section(hana, "team", {first: 7})
    with pytest.raises(actions.NotAllowed, match="'Health visitor' is not another profession on the team"):
        actions.save_section(hana, "roles", {"Health visitor": {}})
    with pytest.raises(actions.NotAllowed, match="'Police' = 3 is not a group on the roster"):
        actions.save_section(hana, "map", {"agencies": {"Police": 3}})
    assert not Response.objects.filter(invitation=hana).exists()


def test_a_reminder_goes_only_to_those_who_have_not_sent_and_its_record_goes_at_close(client, leader,
                                                                                        organisation):
    team = team_with_roster(leader, organisation)
    wave = open_wave(team)
    answer_all(wave, leave_out={"Hana", "Sol"})
    client.force_login(leader)
    page = client.post(reverse("pulse:remind", args=[team.pk, wave.pk]), follow=True)
    assert "Everyone who has not sent their answers yet will get a reminder." in page.content.decode()
    reminded = set(Delivery.objects.filter(purpose=actions.REMINDER).values_list("to", flat=True))
    assert reminded == {"hana@riverside.test", "sol@riverside.test"}
    run_pending_jobs()
    hana = [m for m in mail.outbox if m.to == ["hana@riverside.test"]]
    assert len(hana) == 2 and hana[1].subject.startswith("Reminder:")
    actions.close_wave(wave)
    assert not Delivery.objects.filter(purpose=actions.REMINDER).exists()
    assert Delivery.objects.filter(purpose=actions.INVITATION).count() == len(ROSTER)


def test_erasing_the_leader_removes_her_teams_and_the_mail_records_to_their_members(rf, leader, organisation):
    from flourish.pulse.models import Member, Team
    from flourish.rights import erasure

    team = team_with_roster(leader, organisation)
    open_wave(team)
    assert any(p.what.startswith("team integration pulse teams") for p in erasure.what_goes(leader))
    erasure.erase(rf.post("/"), leader, leader.email)
    assert not Team.objects.exists() and not Member.objects.exists()
    assert not Delivery.objects.filter(purpose=actions.INVITATION).exists()
