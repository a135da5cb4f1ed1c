"""Sets, invitations with consent, and a facilitator running a PAR cycle."""

import pytest
from django.core import mail
from django.urls import reverse

from flourish.core.tokens import hash_token
from flourish.jobs.testing import run_pending_jobs
from flourish.sets import actions
from flourish.sets.models import LearningSet, ParCycle, SetInvitation, SetMember, Stage
from flourish.sets.permissions import get_invitation_for_token
from flourish.testing import personas

from .helpers import a_leader, join, new_set, run_cycle_to_close


@pytest.fixture
def learning_set(facilitator, model_version):
    return new_set(facilitator, model_version)


def test_a_facilitator_creates_a_set_from_the_page(client, facilitator, model_version):
    client.force_login(facilitator)
    response = client.post(reverse("sets:list"), {
        "name": "North locality leaders", "organisation": facilitator.memberships.first().organisation_id,
        "framework": model_version.pk,
    })
    learning_set = LearningSet.objects.get()
    assert response.status_code == 302 and response.url == reverse("sets:detail", args=[learning_set.pk])
    assert learning_set.facilitator == facilitator and learning_set.framework_version == model_version


def test_only_a_facilitator_of_the_organisation_can_create_a_set(leader, organisation, model_version):
    with pytest.raises(actions.NotAllowed):
        actions.create_set(leader, organisation, "Not mine", model_version)
    assert not LearningSet.objects.exists()


def test_an_invited_leader_joins_by_email_link_after_consenting(client, learning_set, facilitator):
    leader = a_leader(0)  # from another organisation than the facilitator's
    client.force_login(facilitator)
    response = client.post(reverse("sets:invite", args=[learning_set.pk]), {"invite-email": leader.email})
    run_pending_jobs()
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [leader.email]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/sets/join/" in line).strip()
    token = link.rsplit("/join/", 1)[1].strip("/")
    invitation = SetInvitation.objects.get()
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash

    client.force_login(leader)
    page = client.get(link)
    assert "only figures that combine at least 3 leaders" in mail.outbox[0].body
    assert "averages of at least 3 leaders" in page.content.decode()
    refused = client.post(link, {"share_scores": "on"})
    assert refused.status_code == 400 and not SetMember.objects.exists()
    assert "Tick the box to confirm" in refused.content.decode()
    joined = client.post(link, {"consent": "on", "share_scores": "on"})
    assert joined.status_code == 302
    member = SetMember.objects.get()
    assert member.user == leader and member.share_scores and member.consented_at is not None
    assert client.get(link).status_code == 400  # used once


def test_an_invitation_is_refused_to_another_account_and_to_non_leaders(learning_set, facilitator, outsider):
    token = actions.invite(learning_set, "someone@else.test")
    invitation = get_invitation_for_token(token)
    with pytest.raises(actions.NotAllowed, match="another email address"):
        actions.accept_invitation(invitation, outsider, consent=True, share_scores=True)
    researcher = personas.person("rita@else.test", "researcher", personas.organisation("Else"))
    token = actions.invite(learning_set, researcher.email)
    with pytest.raises(actions.NotAllowed, match="leader role"):
        actions.accept_invitation(get_invitation_for_token(token), researcher, consent=True, share_scores=True)
    assert not SetMember.objects.exists()


def test_joining_needs_sign_in_and_an_unknown_link_is_404(client, learning_set):
    token = actions.invite(learning_set, "x@y.test")
    assert client.get(reverse("sets:join", args=[token])).status_code == 302
    assert client.get(reverse("sets:join", args=["nonsense"])).status_code == 404


def test_a_facilitator_runs_one_par_cycle_through_every_stage(client, learning_set, facilitator, model_version):
    member = join(learning_set, a_leader(0))
    client.force_login(facilitator)
    pids = [p["id"] for p in model_version.processes]
    response = client.post(reverse("sets:start_par_cycle", args=[learning_set.pk]), {
        "cycle-focus": "How can we agree one plan with a family?", "cycle-processes": pids[:2],
    })
    cycle = ParCycle.objects.get()
    url = reverse("sets:par_cycle", args=[learning_set.pk, cycle.number])
    assert response.url == url and cycle.stage == Stage.PLAN and cycle.processes == pids[:2]
    assert client.post(url, {"do": "session", "session-date": "2026-03-04", "session-agenda": "Map the plans",
                             "session-notes": "Three plans each."}).status_code == 302
    assert client.post(url, {"do": "action", "action-owner": member.pk, "action-text": "Invite the health lead",
                             "action-due": "2026-04-01"}).status_code == 302
    seen = []
    for _ in range(3):
        client.post(url, {"do": "advance"})
        cycle.refresh_from_db()
        seen.append(cycle.stage)
    assert seen == [Stage.ACT, Stage.OBSERVE, Stage.REFLECT]
    assert cycle.acting_at and cycle.observing_at and cycle.reflecting_at
    # closing needs the reflection
    refused = client.post(url, {"do": "close", "close-what_changed": "", "close-what_learnt": ""})
    assert refused.status_code == 400
    cycle.refresh_from_db()
    assert cycle.stage == Stage.REFLECT
    with pytest.raises(actions.NotAllowed):
        actions.advance(cycle)
    client.post(url, {"do": "close", "close-what_changed": "Joint meetings.", "close-what_learnt": "Trust first.",
                      "close-processes_bore_on": pids[:1]})
    cycle.refresh_from_db()
    assert cycle.stage == Stage.CLOSED and cycle.closed_at and cycle.processes_bore_on == pids[:1]
    # a closed cycle's record no longer changes, and the next cycle can start
    with pytest.raises(actions.NotAllowed):
        actions.add_session(cycle, date=cycle.closed_at.date(), agenda="late")
    assert actions.start_par_cycle(learning_set, "Next question?", pids[2:3]).number == 2


def test_only_one_cycle_runs_at_a_time(learning_set, model_version):
    actions.start_par_cycle(learning_set, "First?", [model_version.processes[0]["id"]])
    with pytest.raises(actions.NotAllowed, match="Close the current cycle"):
        actions.start_par_cycle(learning_set, "Second?", [model_version.processes[0]["id"]])


def test_a_member_adds_observations_and_updates_only_their_own_actions(client, learning_set, model_version):
    first, second = join(learning_set, a_leader(0)), join(learning_set, a_leader(1))
    cycle = actions.start_par_cycle(learning_set, "Q?", [model_version.processes[0]["id"]])
    mine = actions.add_action(cycle, owner=first, text="Mine")
    theirs = actions.add_action(cycle, owner=second, text="Theirs")
    client.force_login(first.user)
    url = reverse("sets:par_cycle", args=[learning_set.pk, 1])
    assert client.post(url, {"do": "done", "action": mine.pk, "done": "yes"}).status_code == 302
    assert client.post(url, {"do": "done", "action": theirs.pk, "done": "yes"}).status_code == 404
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.done and not theirs.done
    assert client.post(url, {"do": "observation", "observation-date": "2026-03-10",
                             "observation-text": "Noticed something",
                             "observation-processes": [model_version.processes[0]["id"]]}).status_code == 302
    assert cycle.observations.get().author == first


def test_the_story_page_tells_the_cycles_in_order(client, learning_set, facilitator, model_version):
    member = join(learning_set, a_leader(0))
    run_cycle_to_close(learning_set, member)
    actions.start_par_cycle(learning_set, "What helps people raise a worry early?", [model_version.processes[2]["id"]])
    client.force_login(member.user)
    text = client.get(reverse("sets:story", args=[learning_set.pk])).content.decode()
    names = [p["name"] for p in model_version.processes]
    assert text.index("Cycle 1: How do we share one plan") < text.index("Cycle 2: What helps people")
    for expected in (
        f"It set out to work on {names[0]} and {names[1]}.", "Map the plans around a family",
        "Most families have three plans.", "Bethan Rees undertook to invite the health visiting lead",
        "Bethan Rees observed:", "The family did not have to tell their story twice.",
        f"Bearing on {names[1]}.", "Joint planning meetings in two centres.",
        "Relationships come before the template.", f"The learning bore on {names[0]}.",
        "The cycle is now at the plan stage.",
    ):
        assert expected in text, expected
