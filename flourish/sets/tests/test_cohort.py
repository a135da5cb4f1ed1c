"""The facilitator's cohort view: aggregates only, from at least 3 consenting leaders."""

import pytest
from django.urls import reverse

from flourish.disclosure.models import Release
from flourish.sets import actions, cohort_release

from .helpers import a_leader, join, new_set, released_report, self_assessment


@pytest.fixture
def learning_set(facilitator, model_version):
    return new_set(facilitator, model_version)


def cohort(learning_set):
    return {row["id"]: row for row in actions.release_cohort(learning_set)["processes"]}


def page(client, facilitator, learning_set):
    client.force_login(facilitator)
    response = client.get(reverse("sets:cohort", args=[learning_set.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_two_consenting_leaders_give_no_figures(client, facilitator, learning_set, model_version):
    for index, value in ((0, 2), (1, 4)):
        member = join(learning_set, a_leader(index))
        self_assessment(member.user, model_version, value)
        released_report(member.user, model_version, 3.5)
    rows = cohort(learning_set)
    assert all(r["others"] is None and r["self"] is None for r in rows.values())
    text = page(client, facilitator, learning_set)
    assert "fewer than 3" in text and "n = " not in text and "3.00" not in text


def test_three_consenting_leaders_give_figures_with_n_3(client, facilitator, learning_set, model_version):
    for index, (value, score) in enumerate(((2, 3.0), (3, 3.5), (4, 4.0))):
        member = join(learning_set, a_leader(index))
        self_assessment(member.user, model_version, value)
        released_report(member.user, model_version, score)
    first = model_version.processes[0]["id"]
    row = cohort(learning_set)[first]
    assert (row["self"]["score"], row["self"]["n"]) == (3.0, 3)
    assert (row["others"]["score"], row["others"]["n"]) == (3.5, 3)
    text = page(client, facilitator, learning_set)
    assert "3.00 <span class=\"govuk-body-s\">(n = 3)</span>" in text
    assert "3.50 <span class=\"govuk-body-s\">(n = 3)</span>" in text


def test_a_non_consenting_members_data_is_never_used(facilitator, learning_set, model_version):
    for index in range(3):
        member = join(learning_set, a_leader(index))
        self_assessment(member.user, model_version, 3)
    quiet = join(learning_set, a_leader(3), share_scores=False)
    self_assessment(quiet.user, model_version, 1)
    released_report(quiet.user, model_version, 1.0)
    row = cohort(learning_set)[model_version.processes[0]["id"]]
    assert row["self"] == {**row["self"], "score": 3.0, "n": 3}
    assert row["others"] is None  # only the non-consenting member has a report
    assert not any(term[0] == f"leader:{quiet.user_id}" for r in Release.objects.all() for term in r.equation)
    # withdrawing consent removes a leader's data: the figure falls below k and goes
    actions.set_share_scores(learning_set.members.get(user=a_leader(0)), False)
    assert cohort(learning_set)[model_version.processes[0]["id"]]["self"] is None


def test_no_pair_of_figures_isolates_fewer_than_three_leaders(facilitator, learning_set, model_version):
    members = [join(learning_set, a_leader(i)) for i in range(3)]
    for member in members:
        self_assessment(member.user, model_version, 3)
    pid = model_version.processes[0]["id"]
    assert cohort(learning_set)[pid]["self"]["n"] == 3
    # one more leader joins with a 5: "all four" beside the earlier "three" would give them away
    late = join(learning_set, a_leader(3))
    self_assessment(late.user, model_version, 5)
    row = cohort(learning_set)[pid]
    assert (row["self"]["score"], row["self"]["n"], row["self"]["held"]) == (3.0, 3, True)
    assert Release.objects.filter(key=f"self:{pid}").count() == 1
    # one member's new self-assessment would isolate their change: also held
    self_assessment(members[0].user, model_version, 1)
    assert cohort(learning_set)[pid]["self"]["n"] == 3
    # within one view, each quantity appears once
    result = actions.release_cohort(learning_set)
    assert len({r["id"] for r in result["processes"]}) == len(result["processes"]) == len(model_version.processes)


def test_the_cohort_figures_as_pure_functions():
    assert cohort_release.mean_figure({"1:a": 3, "2:a": 4}) is None
    assert cohort_release.mean_figure({"1:a": 3, "2:a": 4, "3:a": 5, "4:a": None}) == {"score": 4.0, "n": 3}
    assert cohort_release.count_figure(["1:p", "2:p"]) is None
    assert cohort_release.count_figure(["1:p", "2:p", "3:p"]) == {"count": 3}
    assert cohort_release.equation("self:think", ["2:self-9", "1:self-4"]).terms == (
        ("leader:1", "self:think@self-4", 1), ("leader:2", "self:think@self-9", 1))
    with pytest.raises(ValueError):
        cohort_release.mean_figure({}, k=2)


def test_action_completion_is_shown_per_cycle(client, facilitator, learning_set, model_version):
    member = join(learning_set, a_leader(0))
    cycle = actions.start_par_cycle(learning_set, "Q?", [model_version.processes[0]["id"]])
    done = actions.add_action(cycle, owner=member, text="One")
    actions.add_action(cycle, owner=member, text="Two")
    actions.set_action_done(done, True)
    assert "Cycle 1 (Q?): 1 of 2 actions done" in page(client, facilitator, learning_set)
