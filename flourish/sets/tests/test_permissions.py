"""Who may see and do what: 404 for anyone outside the set, or a member trying to manage."""

import pytest
from django.urls import reverse

from flourish.sets import actions
from flourish.sets.models import ParCycle, Stage

from .helpers import a_leader, join, new_set


@pytest.fixture
def learning_set(facilitator, model_version):
    return new_set(facilitator, model_version)


@pytest.fixture
def cycle(learning_set, model_version):
    return actions.start_par_cycle(learning_set, "Q?", [model_version.processes[0]["id"]])


def read_urls(learning_set):
    pk = learning_set.pk
    return [reverse("sets:detail", args=[pk]), reverse("sets:story", args=[pk]),
            reverse("sets:par_cycle", args=[pk, 1]), reverse("sets:export", args=[pk, "md"])]


def manage_posts(learning_set, model_version):
    pk, pid = learning_set.pk, model_version.processes[0]["id"]
    cycle_url = reverse("sets:par_cycle", args=[pk, 1])
    return [
        (reverse("sets:invite", args=[pk]), {"invite-email": "new@x.test"}),
        (reverse("sets:start_par_cycle", args=[pk]), {"cycle-focus": "Q", "cycle-processes": [pid]}),
        (cycle_url, {"do": "advance"}),
        (cycle_url, {"do": "session", "session-date": "2026-01-01", "session-agenda": "A"}),
    ]


def test_members_and_the_facilitator_read_the_set(client, learning_set, cycle, facilitator):
    member = join(learning_set, a_leader(0))
    for user in (facilitator, member.user):
        client.force_login(user)
        for url in read_urls(learning_set):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["member of another set", "leader of another organisation", "outsider",
                                 "leader of the facilitator's organisation", "anonymous"])
def test_people_outside_the_set_get_404(client, learning_set, cycle, facilitator, model_version, leader, outsider, who):
    if who == "member of another set":
        other = new_set(facilitator, model_version, name="Another set")
        user = join(other, a_leader(1)).user
    elif who == "leader of another organisation":
        user = a_leader(2)
    elif who == "outsider":
        user = outsider
    elif who == "leader of the facilitator's organisation":
        user = leader
    else:
        user = None
    if user:
        client.force_login(user)
    for url in read_urls(learning_set) + [reverse("sets:cohort", args=[learning_set.pk])]:
        status = client.get(url).status_code
        assert status == (302 if user is None else 404), url
    for url, data in manage_posts(learning_set, model_version):
        assert client.post(url, data).status_code == (302 if user is None else 404), url


def test_a_member_trying_to_manage_gets_404(client, learning_set, cycle, model_version):
    member = join(learning_set, a_leader(0))
    client.force_login(member.user)
    assert client.get(reverse("sets:cohort", args=[learning_set.pk])).status_code == 404
    for url, data in manage_posts(learning_set, model_version):
        assert client.post(url, data).status_code == 404, url
    assert ParCycle.objects.get().stage == Stage.PLAN and not cycle.sessions.exists()


def test_a_leader_who_left_loses_access(client, learning_set, cycle):
    member = join(learning_set, a_leader(0))
    client.force_login(member.user)
    client.post(reverse("sets:leave", args=[learning_set.pk]))
    assert client.get(reverse("sets:detail", args=[learning_set.pk])).status_code == 404


def test_a_facilitator_who_loses_the_role_loses_the_set(client, learning_set, facilitator):
    facilitator.memberships.all().delete()
    client.force_login(facilitator)
    assert client.get(reverse("sets:detail", args=[learning_set.pk])).status_code == 404
