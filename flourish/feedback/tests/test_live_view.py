"""Attack 4 of issue 10, through the leader's real pages: two rounds that differ only in
WHO answered look exactly the same to the leader, whatever the leader does — reload,
withdraw someone who answered, add people one at a time, send reminders."""

import re

import pytest

from flourish.feedback import actions

from .helpers import answer, new_cycle

pytestmark = pytest.mark.django_db

TEAM = ["Bea", "Carl", "Dan", "Eve"]  # all Health; k = 3


def live_section(client, cycle) -> str:
    html = client.get(f"/feedback/{cycle.pk}/").content.decode()
    section = html.split("Answers so far")[1].split('<div class="govuk-button-group">')[0]
    return re.sub(r"/feedback/\d+/", "/feedback/N/", section)


def nominate(cycle, name):
    return actions.nominate(cycle, name=name, email=f"{name.lower()}@nhs.test", profession="Health",
                            relationship="peer")


def twin_rounds(leader, model_version, answered_in_first, answered_in_second):
    rounds = []
    for title, who in (("First", answered_in_first), ("Second", answered_in_second)):
        cycle = new_cycle(leader, model_version, title=title)
        for name in TEAM:
            nominate(cycle, name)
        actions.send_invitations(cycle)
        for name in who:
            answer(cycle.raters.get(name=name))
        rounds.append(cycle)
    return rounds


def test_withdrawing_someone_who_answered_looks_the_same_as_withdrawing_someone_who_did_not(
        client, leader, model_version):
    # In the first round Bea answered; in the second she did not (Eve did instead).
    first, second = twin_rounds(leader, model_version, ["Bea", "Carl", "Dan"], ["Carl", "Dan", "Eve"])
    client.force_login(leader)
    assert live_section(client, first) == live_section(client, second)
    for cycle in (first, second):
        client.post(f"/feedback/{cycle.pk}/raters/{cycle.raters.get(name='Bea').pk}/revoke/")
    assert live_section(client, first) == live_section(client, second)
    for cycle in (first, second):
        client.post(f"/feedback/{cycle.pk}/remind/")
    assert live_section(client, first) == live_section(client, second)


def test_one_person_asked_who_answered_looks_the_same_as_one_who_did_not(client, leader, model_version):
    first, second = (new_cycle(leader, model_version, title=t) for t in ("First", "Second"))
    for cycle in (first, second):
        nominate(cycle, "Bea")
        actions.send_invitations(cycle)
    answer(first.raters.get(name="Bea"))
    client.force_login(leader)
    assert live_section(client, first) == live_section(client, second)
    # Adding people one at a time and watching changes nothing either.
    for name in ("Carl", "Dan", "Eve"):
        for cycle in (first, second):
            client.post(f"/feedback/{cycle.pk}/raters/", {"name": name, "email": f"{name.lower()}@nhs.test",
                                                         "profession": "Health", "employer": "",
                                                         "relationship": "peer"})
        assert live_section(client, first) == live_section(client, second)


def test_the_leader_can_still_tell_a_group_will_be_shown(client, leader, model_version):
    first, _ = twin_rounds(leader, model_version, ["Bea", "Carl", "Dan"], [])
    client.force_login(leader)
    section = live_section(client, first)
    assert "At least 3 people have answered, so a report will be made" in section
    assert "<td class=\"govuk-table__cell\">Yes</td>" in section
