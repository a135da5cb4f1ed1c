"""Research reads and consent changes leave an entry in the organisation's audit log
(who, what, when, from where), never the data itself."""

import pytest
from django.urls import reverse

from flourish.audit.models import Entry

from .scenarios import closed_cycle, consent_everything

pytestmark = pytest.mark.django_db


def test_an_export_is_logged_with_its_reader_and_format_and_no_data(client, leader, researcher, organisation,
                                                                    model_version):
    cycle, _ = closed_cycle(leader, model_version)
    consent_everything(cycle)
    client.force_login(researcher)
    assert client.post(reverse("research:export", args=["csv"])).status_code == 200
    entry = Entry.objects.get(verb="research-exported")
    assert entry.actor_email == researcher.email and entry.organisation_id == organisation.pk
    assert entry.details == {"format": "csv"}


def test_a_leaders_consent_change_is_logged(client, leader, model_version):
    cycle, _ = closed_cycle(leader, model_version)
    client.force_login(leader)
    client.post(reverse("research:consent"), {"kind": "cycle", "pk": cycle.pk, "share": "yes"})
    entry = Entry.objects.get(verb="research-consent-changed")
    assert entry.actor_email == leader.email and entry.object_id == str(cycle.pk)
    assert entry.details == {"kind": "cycle", "share": True}
