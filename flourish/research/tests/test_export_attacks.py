"""Issue 10, attacks 2 and 6, replayed through the real export page and command:

- attack 2: a rater refused research consent beside three who consented. Someone with the
  shared report and the export matches the cycle's pseudonym and subtracts the consented
  rows from the report's figures: the refuser's answers, exactly;
- attack 6: rows that are the only one of their cycle with that profession and
  relationship can be named by whoever holds the rater list;
- and a person who is both leader and researcher must not see their own raters' rows.
"""

from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from flourish.disclosure import actions as ledger_actions
from flourish.disclosure import keys
from flourish.disclosure.models import Release
from flourish.feedback import actions as feedback_actions
from flourish.feedback.models import Response
from flourish.feedback.tests.helpers import RATERS
from flourish.lib.ledger import Figure
from flourish.research import dataset, exports
from flourish.research.actions import set_cycle_consent, set_rater_consent
from flourish.testing import personas

from .scenarios import closed_cycle, consent_everything, labelled_csv_rows, open_cycle, unzip

pytestmark = pytest.mark.django_db

FOUR = [("Hannah", "Health", "peer"), ("Harriet", "Health", "peer"), ("Hugo", "Health", "peer"),
        ("Sofia", "Health", "peer")]


def export_rows(client, user):
    client.force_login(user)
    response = client.post(reverse("research:export", args=["csv"]))
    assert response.status_code == 200
    return labelled_csv_rows(response.content)


def test_a_refusing_rater_cannot_be_recovered_from_the_report_and_the_export(client, leader, researcher,
                                                                              model_version):
    # Raters choose before close: closing severs their answers from them.
    cycle, raters = open_cycle(leader, model_version, raters=FOUR)
    for rater in raters[:3]:
        set_rater_consent(rater, True)
    refuser = raters[3]
    refusers_answers = refuser.response.answers
    cycle = feedback_actions.close(cycle)
    assert cycle.report is not None  # four others: the report is released to the leader
    set_cycle_consent(leader, cycle, True)
    rows = [r for r in export_rows(client, researcher) if r["source"] == "other"]
    # The attack: the cycle whose n matches, minus the consented rows, gives the refuser.
    item = model_version.processes[0]["items"][0]["id"]
    shown = cycle.report["processes"][0]["items"][0]["others"]
    same_cycle = [r for r in rows if r["cycle"] == dataset.cycle_pseudonym(cycle.pk)]
    if same_cycle:
        derived = shown["score"] * shown["n"] - sum(int(r[item]) for r in same_cycle)
        assert derived != refusers_answers[item], "the refuser's answer follows by subtraction"
    assert same_cycle == []
    # the method note says so, in the formats that carry one
    client.force_login(researcher)
    parquet = unzip(client.post(reverse("research:export", args=["parquet"])).content)
    assert b"left out" in parquet["README.txt"] and b"left out" in parquet["flourish-research-data.parquet"]


def test_rows_already_exported_count_as_known_when_a_rater_later_withdraws(client, leader, researcher,
                                                                          model_version):
    six = FOUR + [("Sam", "Health", "peer"), ("Sunil", "Health", "peer")]
    cycle, raters = open_cycle(leader, model_version, raters=six)
    for rater in raters[:3]:  # three refuse: every figure's remainder is 3 >= k
        set_rater_consent(rater, True)
    exported = {rater.response.pk for rater in raters[:3]}
    cycle = feedback_actions.close(cycle)
    set_cycle_consent(leader, cycle, True)
    assert len([r for r in export_rows(client, researcher) if r["source"] == "other"]) == 3
    assert Release.objects.filter(audience__startswith="research:organisation:").count() == 1
    # The consented set changes afterwards (a rater's consent withdrawn on request, another
    # given). The rows already seen stay known to the reader, so with four known rows the
    # last two raters (2 < k) would follow from the report: nothing more goes out.
    severed = list(Response.objects.filter(cycle=cycle).order_by("pk"))
    consenting = [r for r in severed if r.research_consent]
    refusing = [r for r in severed if not r.research_consent]
    assert len(consenting) == 3 and len(exported) == 3
    Response.objects.filter(pk=consenting[0].pk).update(research_consent=False)
    Response.objects.filter(pk=refusing[0].pk).update(research_consent=True)
    assert [r for r in export_rows(client, researcher) if r["source"] == "other"] == []


def test_no_exported_rater_row_is_unique_in_its_cycle_by_profession_and_relationship(leader, model_version,
                                                                                   organisation, tmp_path):
    for title in ("Spring", "Autumn"):
        cycle, _ = closed_cycle(leader, model_version, raters=RATERS, title=title)
        consent_everything(cycle)
    out = tmp_path / "export.zip"
    call_command("research", "export", "--format", "csv", "--output", str(out))
    rows = [r for r in labelled_csv_rows(out.read_bytes()) if r["source"] == "other"]
    assert len(rows) == 2 * len(RATERS)
    cells = Counter((r["cycle"], r["profession"], r["relationship"]) for r in rows)
    assert min(cells.values()) >= 3, cells
    assert {r["relationship"] for r in rows} == {exports.RELATIONSHIP_CODES["any"][1]}


def test_a_leader_who_is_also_a_researcher_gets_no_rows_about_their_own_cycles(client, leader, organisation,
                                                                              model_version):
    colleague = personas.person("ben@riverside.test", "leader", organisation, "Ben", "Ode")
    for person in (leader, colleague):
        cycle, _ = closed_cycle(person, model_version)
        consent_everything(cycle)
    both = personas.person(leader.email, "researcher", organisation)
    rows = export_rows(client, both)
    leaders = {r["leader"] for r in rows}
    assert dataset.leader_pseudonym(leader.pk) not in leaders
    assert dataset.leader_pseudonym(colleague.pk) in leaders


def test_the_export_is_decided_against_the_report_as_the_ledger_recorded_it(client, leader, researcher,
                                                                            model_version):
    six = FOUR + [("Sam", "Health", "peer"), ("Sunil", "Health", "peer")]
    cycle, raters = open_cycle(leader, model_version, raters=six)
    for rater in raters[:3]:  # three refuse: on its own figures, the report leaves 3 >= k
        set_rater_consent(rater, True)
    cycle = feedback_actions.close(cycle)
    set_cycle_consent(leader, cycle, True)
    leader_saw = Release.objects.filter(audience=keys.person(leader.pk), subject=keys.cycle_subject(cycle.pk),
                                        key__startswith="report:")
    assert leader_saw.count() > 30  # recorded at release
    # Suppose the report had also shown one figure over two of the refusers (the ledger is
    # the record of what was shown; nothing recomputes it): the export must leave them out.
    refusing = [r for r in Response.objects.filter(cycle=cycle) if not r.research_consent][:2]
    item = model_version.processes[0]["items"][0]["id"]
    ledger_actions.record_many(keys.person(leader.pk), keys.cycle_subject(cycle.pk), [
        ("report:extra", Figure(tuple((keys.response_key(r.pk), item, 1) for r in refusing)))])
    assert [r for r in export_rows(client, researcher) if r["source"] == "other"] == []
