"""Reading a report, its JSON and a cohort view goes into the audit log: who, which
object, from where — and nothing of the report's content."""

import pytest
from django.test import Client

from flourish.audit.models import Entry
from flourish.feedback.tests.test_report_outputs import build_cycle, standard_specs
from flourish.sets.tests.helpers import new_set

pytestmark = pytest.mark.django_db


def test_report_page_and_json_reads_are_recorded_without_their_content(leader, organisation, model_version):
    cycle = build_cycle(leader, model_version, standard_specs(model_version), via_links=False,
                        self_value=lambda j, m: 3)
    client = Client(REMOTE_ADDR="198.51.100.4")
    client.force_login(leader)
    assert client.get(f"/feedback/{cycle.pk}/report/").status_code == 200
    assert client.get(f"/feedback/{cycle.pk}/report.json").status_code == 200

    entries = Entry.objects.filter(verb__startswith="report-").order_by("pk")
    assert [(e.verb, e.actor_email, e.object_id, e.address, e.organisation_id) for e in entries] == [
        ("report-viewed", leader.email, str(cycle.pk), "198.51.100.4", organisation.pk),
        ("report-json-downloaded", leader.email, str(cycle.pk), "198.51.100.4", organisation.pk)]
    stored = str([(e.object_label, e.details) for e in entries])
    for texts in cycle.report["comments"].values():
        assert not any(text in stored for text in texts)


def test_a_cohort_view_is_recorded(facilitator, model_version):
    learning_set = new_set(facilitator, model_version)
    client = Client()
    client.force_login(facilitator)
    assert client.get(f"/sets/{learning_set.pk}/cohort/").status_code == 200
    assert Entry.objects.filter(verb="cohort-viewed", object_id=str(learning_set.pk),
                                actor_id=facilitator.pk).exists()
