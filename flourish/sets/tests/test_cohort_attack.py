"""Issue 10, attack 3: members switch sharing so that the facilitator's view shows
{A,B,C,D}, then {E,F,G}, then {A,B,C,E,F,G}. No two views isolate anyone, but all three
give D's scores (4·m1 + 3·m2 − 6·m3), and the "plans" counts give D's choices the same
way (c1 + c2 − c3). Replayed through the real pages: members use the sharing form, the
facilitator presses "Release the cohort view" and reads the page."""

import re

import pytest
from django.urls import reverse

from flourish.disclosure.models import Release

from .helpers import a_leader, join, new_set, self_assessment

A, B, C, D, E, F, G = range(7)


@pytest.fixture
def learning_set(facilitator, model_version):
    return new_set(facilitator, model_version)


@pytest.fixture
def members(learning_set, model_version):
    joined = []
    for index in range(7):
        member = join(learning_set, a_leader(index), share_scores=False)
        self_assessment(member.user, model_version, 5 if index == D else 2 + index % 2)
        joined.append(member)
    return joined


def share_exactly(client, members, sharing):
    for index, member in enumerate(members):
        client.force_login(member.user)
        data = {"share_scores": "on"} if index in sharing else {}
        assert client.post(reverse("sets:sharing", args=[member.learning_set_id]), data).status_code == 302


def release_and_read(client, facilitator, learning_set):
    client.force_login(facilitator)
    assert client.post(reverse("sets:cohort_release", args=[learning_set.pk])).status_code == 302
    return client.get(reverse("sets:cohort", args=[learning_set.pk])).content.decode()


def self_figures(page):
    """(score, n) of the self-assessment column, one per process row."""
    cells = re.findall(r"(\d\.\d\d) <span class=\"govuk-body-s\">\(n = (\d+)\)", page)
    return [(float(score), int(n)) for score, n in cells]


def test_three_views_of_the_cohort_do_not_give_away_leader_d(client, facilitator, learning_set, members):
    share_exactly(client, members, {A, B, C, D})
    first = self_figures(release_and_read(client, facilitator, learning_set))
    assert first and all(n == 4 for _, n in first)
    share_exactly(client, members, {E, F, G})
    second = self_figures(release_and_read(client, facilitator, learning_set))
    assert second and all(n == 3 for _, n in second)
    share_exactly(client, members, {A, B, C, E, F, G})
    third_page = release_and_read(client, facilitator, learning_set)
    third = self_figures(third_page)
    # Had it been shown: D = 4·m1 + 3·m2 − 6·m3 (= 5, their own answers).
    assert not any(n == 6 for _, n in third), "the third view gives away leader D"
    assert all(len(r.equation) != 6 for r in Release.objects.filter(key__startswith="self:"))


def test_the_cohort_page_releases_nothing_on_get(client, facilitator, learning_set, members):
    share_exactly(client, members, {A, B, C})
    client.force_login(facilitator)
    page = client.get(reverse("sets:cohort", args=[learning_set.pk])).content.decode()
    assert "not released yet" in page and Release.objects.count() == 0
    assert "n = 3" in release_and_read(client, facilitator, learning_set)
    assert Release.objects.filter(audience=f"set:{learning_set.pk}:facilitator").exists()


def test_only_the_facilitator_may_release_the_cohort_view(client, learning_set, members):
    share_exactly(client, members, {A, B, C})
    client.force_login(members[A].user)
    assert client.post(reverse("sets:cohort_release", args=[learning_set.pk])).status_code == 404
    assert Release.objects.count() == 0


def plan_cells(page):
    """The "Leaders whose plan chose it" cell of each process row, as text."""
    body = page.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    rows = body.split('<tr class="govuk-table__row">')[1:]
    return [re.sub(r"<[^>]+>", " ", row.split("<td")[-1].split(">", 1)[1].split("</td>")[0]).split() for row in rows]


def test_three_views_of_the_plan_counts_do_not_give_away_leader_ds_choice(
        client, facilitator, learning_set, members, model_version):
    from flourish.development.actions import create_plan
    from flourish.selfassess.models import SelfAssessment

    first, second = (p["id"] for p in model_version.processes[:2])
    for index, member in enumerate(members):
        # Everyone chose the first two processes, except D, who chose only the first.
        own = SelfAssessment.objects.filter(leader=member.user).get()
        create_plan(member.user, own, [first] if index == D else [first, second])
    share_exactly(client, members, {A, B, C, D})
    assert plan_cells(release_and_read(client, facilitator, learning_set))[:2] == [["4"], ["3"]]
    share_exactly(client, members, {E, F, G})
    assert plan_cells(release_and_read(client, facilitator, learning_set))[:2] == [["3"], ["3"]]
    share_exactly(client, members, {A, B, C, E, F, G})
    third = plan_cells(release_and_read(client, facilitator, learning_set))[:2]
    # Had it been shown: D chose a process = count1 + count2 − count3 (4 + 3 − 6 = 1 for the
    # first, 3 + 3 − 6 = 0 for the second). The third view keeps the earlier, dated figure.
    assert all(cell[:1] != ["6"] for cell in third), "the third view gives away leader D's choice"
    assert all(cell[0] == "3" and "as at" in " ".join(cell) for cell in third)
    assert all(len(r.equation) != 6 for r in Release.objects.filter(key__startswith="plans:"))
