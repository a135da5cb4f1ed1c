"""The reflective journal: writing with suggested tags, search and filters, sharing hooks
for action-learning sets."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from flourish.development import actions
from flourish.development.models import JournalEntry
from flourish.development.permissions import entries_shared_with_set

from .helpers import signed_in

pytestmark = pytest.mark.django_db

REPAIR = "After last week's disagreement I went back to repair our working relationship."


@pytest.fixture
def client(leader):
    return signed_in(leader)


def write(leader, version, title, text, written_on, tags=()):
    return actions.write_entry(leader, leader.memberships.first().organisation, version, title=title,
                               text=text, written_on=written_on, processes=list(tags))


def test_suggest_tags_ticks_the_matching_processes_without_saving(client, leader, model_version):
    response = client.post("/development/journal/new/", {
        "title": "Talking to Jo", "text": REPAIR, "written_on": timezone.localdate().isoformat(), "suggest": "1",
    })
    assert response.status_code == 200
    assert not JournalEntry.objects.exists()
    html = response.content.decode()
    assert "Building and re-building relationships" in html and "“repair”" in html
    assert response.context["form"]["processes"].value() == ["building-relationships"]
    assert response.context["form"]["title"].value() == "Talking to Jo"

    saved = client.post("/development/journal/new/", {
        "title": "Talking to Jo", "text": REPAIR, "written_on": timezone.localdate().isoformat(),
        "processes": ["building-relationships", "integrity"], "save": "1",
    })
    entry = JournalEntry.objects.get()
    assert saved.status_code == 302 and saved.url == f"/development/journal/{entry.pk}/"
    assert entry.processes == ["building-relationships", "integrity"]  # what the leader confirmed
    assert entry.leader == leader and entry.framework_version == model_version


def test_an_entry_needs_a_title_and_text_and_no_future_date(client):
    response = client.post("/development/journal/new/", {"title": "", "text": "", "save": "1"})
    assert response.status_code == 400
    assert "Give the entry a title" in response.content.decode()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = client.post("/development/journal/new/", {"title": "x", "text": "y", "written_on": tomorrow})
    assert future.status_code == 400
    assert not JournalEntry.objects.exists()


def test_editing_and_deleting_an_entry(client, leader, model_version):
    entry = write(leader, model_version, "Old", "Text", date(2026, 1, 5))
    response = client.post(f"/development/journal/{entry.pk}/edit/", {
        "organisation": entry.organisation_id, "title": "New", "text": "Better text",
        "written_on": "2026-01-06", "processes": ["flow"], "save": "1",
    })
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.text, entry.written_on, entry.processes) == (
        "New", "Better text", date(2026, 1, 6), ["flow"]
    )
    assert client.post(f"/development/journal/{entry.pk}/delete/").status_code == 302
    assert not JournalEntry.objects.exists()


@pytest.fixture
def entries(leader, model_version):
    return [
        write(leader, model_version, "Repair with the school", REPAIR, date(2026, 1, 10), ["building-relationships"]),
        write(leader, model_version, "Data day", "Looked at LOCAL DATA with partners.", date(2026, 2, 3),
              ["thinking-systematically"]),
        write(leader, model_version, "Flow of referrals", "Paperwork slowed the referral to the partners.",
              date(2026, 3, 1), ["flow", "thinking-systematically"]),
    ]


def titles(response):
    return [e.title for e in response.context["entries"]]


def test_search_is_case_insensitive_over_title_and_text(client, entries):
    assert titles(client.get("/development/journal/?q=local data")) == ["Data day"]
    assert titles(client.get("/development/journal/?q=PARTNERS")) == ["Flow of referrals", "Data day"]
    assert titles(client.get("/development/journal/?q=school")) == ["Repair with the school"]
    nothing = client.get("/development/journal/?q=zebra")
    assert titles(nothing) == [] and "No entries match" in nothing.content.decode()


def test_filter_by_process_and_date_range(client, entries):
    assert titles(client.get("/development/journal/?process=thinking-systematically")) == [
        "Flow of referrals", "Data day"]
    assert titles(client.get("/development/journal/?date_from=2026-01-15&date_to=2026-02-28")) == ["Data day"]
    assert titles(client.get("/development/journal/?process=thinking-systematically&date_to=2026-02-28&q=data")) == [
        "Data day"]
    assert titles(client.get("/development/journal/")) == ["Flow of referrals", "Data day", "Repair with the school"]
    backwards = client.get("/development/journal/?date_from=2026-03-01&date_to=2026-01-01")
    assert backwards.status_code == 400 and "on or after the start date" in backwards.content.decode()


def test_the_list_shows_only_your_own_entries(outsider, model_version, entries):
    other = signed_in(outsider)
    write(outsider, model_version, "Olu's thoughts", "Private to Olu.", date(2026, 1, 1))
    assert titles(other.get("/development/journal/")) == ["Olu's thoughts"]


def test_sharing_with_an_action_learning_set(leader, facilitator, model_version, entries):
    from flourish.sets.models import LearningSet

    riverside = LearningSet.objects.create(name="Riverside leaders", facilitator=facilitator,
                                           organisation=entries[1].organisation, framework_version=model_version)
    assert not entries_shared_with_set(riverside).exists()
    actions.share_with_set(entries[1], riverside)
    assert list(entries_shared_with_set(riverside)) == [entries[1]]
    actions.share_with_set(entries[1], None)
    assert not entries_shared_with_set(riverside).exists()


def test_deleting_the_set_stops_the_sharing_and_keeps_the_entry(leader, facilitator, model_version, entries):
    from flourish.sets.models import LearningSet

    riverside = LearningSet.objects.create(name="Riverside leaders", facilitator=facilitator,
                                           organisation=entries[1].organisation, framework_version=model_version)
    actions.share_with_set(entries[1], riverside)
    riverside.delete()
    entries[1].refresh_from_db()
    assert entries[1].shared_set is None
