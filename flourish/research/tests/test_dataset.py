"""The research data set: only consented observations, nothing identifying, stable
pseudonyms, and each researcher sees only their own organisations."""

import random

import pytest
from django.urls import reverse

from flourish.feedback.models import RaterLink, Response
from flourish.research import dataset, exports
from flourish.testing import personas

from .scenarios import closed_cycle, consent_everything, open_cycle, standalone_self_assessment, unzip

pytestmark = pytest.mark.django_db


def rows_by_source(ds):
    return ds.count("self"), ds.count("other")


def test_only_consented_observations_are_included(leader, organisation, model_version):
    cycle, raters = closed_cycle(leader, model_version)
    assert rows_by_source(dataset.build([organisation])) == (0, 0)  # nobody opted in
    consent_everything(cycle)
    assert rows_by_source(dataset.build([organisation])) == (1, len(raters))
    one = Response.objects.filter(cycle=cycle).first()  # severed at close: no rater to find it by
    one.research_consent = False
    one.save()
    # With the report, the other rows would give away the refusing rater: the cycle is left out.
    ds = dataset.build([organisation])
    assert rows_by_source(ds) == (1, 0)
    assert any("revealed something about raters who did not consent" in note for note in ds.notes)
    cycle.research_consent = False  # the leader says no: no rater row, whatever raters chose
    cycle.save()
    assert rows_by_source(dataset.build([organisation])) == (1, 0)
    own = cycle.self_assessment
    own.research_consent = False
    own.save()
    assert rows_by_source(dataset.build([organisation])) == (0, 0)


def test_answers_from_an_open_cycle_wait_until_it_closes(leader, organisation, model_version):
    cycle, raters = open_cycle(leader, model_version)
    consent_everything(cycle)
    assert dataset.build([organisation]).count("other") == 0
    # a draft that was never submitted is never included, even after closing
    from flourish.feedback import actions

    actions.close(cycle)
    assert dataset.build([organisation]).count("other") == len(raters)


def test_a_standalone_self_assessment_is_included_with_its_own_code(leader, organisation, model_version):
    own = standalone_self_assessment(leader, organisation, model_version, consent=True)
    ds = dataset.build([organisation])
    (row,) = ds.rows
    assert row["cycle"].startswith("S") and row["source"] == "self" and row["relationship"] == ""
    assert row["year"] == own.completed.year and row["ts1"] == 4


def test_the_data_never_hold_names_emails_comments_tokens_or_organisation(leader, organisation, model_version):
    rng = random.Random(7)
    secrets = [leader.first_name, leader.last_name, leader.email, organisation.name]
    for _round in range(3):
        word = lambda: "".join(rng.choice("qxzjkvw") for _ in range(9))  # noqa: E731
        people = [(f"{word().title()} {word().title()}", group, rel) for _, group, rel in
                  [("", "Health", "peer"), ("", "Social care", "team member"), ("", "Health", "partner agency")]]
        comment = f"Private remark {word()}"
        title = f"Cycle {word()}"
        cycle, raters = closed_cycle(leader, model_version, raters=people, comment=comment, title=title)
        for rater in raters:
            rater.employer = f"Employer {word()}"
            rater.save()
        consent_everything(cycle)
        tokens = [RaterLink.issue(r) for r in raters]
        secrets += [name for name, _, _ in people] + [r.email for r in raters] + [r.employer for r in raters]
        secrets += [comment, title] + tokens
    text = exports.to_csv(dataset.build([organisation]))
    assert text.count("\n") == 1 + 3 * 4  # header, then 3 cycles x (self + 3 raters)
    for secret in secrets:
        assert secret.lower() not in text.lower(), secret
    assert "@" not in text


def test_pseudonyms_are_stable_and_distinct_per_leader(leader, outsider, organisation, model_version):
    other_leader = personas.person("ben@riverside.test", "leader", organisation, "Ben", "Ode")
    for person in (leader, other_leader):
        cycle, _ = closed_cycle(person, model_version)
        consent_everything(cycle)
    first = dataset.build([organisation])
    second = dataset.build([organisation])
    assert [r["leader"] for r in first.rows] == [r["leader"] for r in second.rows]
    assert exports.to_csv(first) == exports.to_csv(second)
    codes = {r["leader"] for r in first.rows}
    assert len(codes) == 2 and all(c.startswith("L") and len(c) == 13 for c in codes)
    assert str(leader.pk) not in {c[1:] for c in codes}
    assert {r["cycle"][0] for r in first.rows} == {"C"}


def test_a_researcher_sees_only_their_own_organisations(client, leader, researcher, organisation, model_version):
    cycle, raters = closed_cycle(leader, model_version)
    consent_everything(cycle)
    elsewhere = personas.organisation("Hilltop Family Hub")
    other_researcher = personas.person("ria@hilltop.test", "researcher", elsewhere, "Ria", "Stone")
    assert rows_by_source(dataset.for_user(researcher)) == (1, len(raters))
    assert dataset.for_user(other_researcher).rows == []
    client.force_login(other_researcher)
    text = unzip(client.post(reverse("research:export", args=["csv"])).content)["flourish-research-data.csv"].decode()
    assert text.count("\n") == 1  # the header only


@pytest.mark.parametrize("who", ["leader", "facilitator", "outsider", "org_admin"])
def test_research_pages_are_not_found_for_anyone_but_researchers(client, request, who, model_version):
    client.force_login(request.getfixturevalue(who))
    for url in (reverse("research:index"), reverse("research:model")):
        assert client.get(url).status_code == 404, url
    for url in (reverse("research:export", args=["csv"]), reverse("research:export", args=["sav"])):
        assert client.post(url).status_code == 404, url
    assert client.post(reverse("research:model")).status_code == 404


def test_research_pages_ask_an_anonymous_visitor_to_sign_in(client):
    response = client.get(reverse("research:index"))
    assert response.status_code == 302 and "sign-in" in response["Location"]
