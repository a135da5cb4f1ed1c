"""The audit log: append-only (the model and, on PostgreSQL, the database refuse changes),
it records sign-ins and failed sign-ins from their address, never answers or comments,
and admins read, filter and export it (on the page and on the command line) with
spreadsheet formulas defused."""

import csv
import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from flourish.audit.actions import purge_before, record
from flourish.audit.models import AppendOnly, Entry
from flourish.audit.selectors import safe_cell
from flourish.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_entries_cannot_be_changed_or_deleted_through_the_model(leader, organisation):
    entry = record(leader, "report-viewed", organisation)
    entry.verb = "nothing-happened"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        Entry.objects.filter(pk=entry.pk).update(verb="nothing-happened")
    with pytest.raises(AppendOnly):
        Entry.objects.filter(pk=entry.pk).delete()
    assert Entry.objects.get(pk=entry.pk).verb == "report-viewed"


def test_the_database_refuses_to_change_an_entry_behind_the_models_back(leader, organisation):
    entry = record(leader, "report-viewed", organisation)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_entry SET verb = 'nothing-happened' WHERE id = %s", [entry.pk])
    assert Entry.objects.get(pk=entry.pk).verb == "report-viewed"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the delete trigger is PostgreSQL's (SQLite: model guard)")
def test_on_postgresql_the_database_refuses_a_raw_delete_except_the_retention_purge(leader, organisation):
    entry = record(leader, "report-viewed", organisation)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_entry WHERE id = %s", [entry.pk])
    assert Entry.objects.filter(pk=entry.pk).exists()
    assert purge_before(organisation.pk, timezone.now() + timedelta(seconds=1)) == 1
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_the_retention_purge_removes_only_that_organisations_old_entries(leader, organisation, outsider):
    ours = record(leader, "report-viewed", organisation)
    theirs = record(outsider, "report-viewed", outsider.memberships.first().organisation)
    assert purge_before(organisation.pk, timezone.now() + timedelta(seconds=1)) == 1
    assert list(Entry.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert not Entry.objects.filter(pk=ours.pk).exists()


def test_a_sign_in_and_a_failed_sign_in_are_recorded_with_their_address(leader, organisation):
    Client(REMOTE_ADDR="203.0.113.7").post("/account/sign-in/", {"username": leader.email, "password": "wrong"})
    Client(REMOTE_ADDR="203.0.113.8").post("/account/sign-in/", {"username": leader.email, "password": PASSWORD})

    failed, signed = Entry.objects.filter(verb="sign-in-failed").get(), Entry.objects.get(verb="sign-in")
    assert (failed.address, failed.organisation_id, failed.details["email"]) == ("203.0.113.7", organisation.pk,
                                                                                leader.email)
    assert failed.actor_id is None  # nobody was signed in
    assert (signed.address, signed.actor_email, signed.details["method"]) == ("203.0.113.8", leader.email,
                                                                             "password")
    assert "wrong" not in str(failed.details) and PASSWORD not in str(signed.details)


@pytest.mark.parametrize("details", [{"comment": "She never listens"}, {"answers": "4,4,5"}, {"text": "x"},
                                     {"note": "a" * 201}, {"items": [1, 2]}])
def test_answers_and_comments_can_never_be_recorded(leader, organisation, details):
    with pytest.raises(ValueError):
        record(leader, "report-viewed", organisation, **details)
    assert not Entry.objects.exists()


def test_admins_filter_the_log_by_person_verb_and_date(org_admin, leader, researcher, organisation):
    record(leader, "report-viewed", organisation)
    record(researcher, "export-downloaded", organisation)
    admin = signed_in(org_admin)
    url = f"/organisation/{organisation.pk}/audit/"

    page = admin.get(url, {"person": "mei@"}).content.decode()
    assert "<strong>export-downloaded</strong>" in page and "<strong>report-viewed</strong>" not in page
    page = admin.get(url, {"verb": "report-viewed"}).content.decode()
    assert "<strong>report-viewed</strong>" in page and "<strong>export-downloaded</strong>" not in page
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "No entries match" in admin.get(url, {"since": tomorrow}).content.decode()


def test_an_admin_never_sees_another_organisations_entries(org_admin, outsider, organisation):
    record(outsider, "report-viewed", outsider.memberships.first().organisation)
    page = signed_in(org_admin).get(f"/organisation/{organisation.pk}/audit/").content.decode()
    assert outsider.email not in page
    csv_export = signed_in(org_admin).get(f"/organisation/{organisation.pk}/audit/audit.csv")
    assert outsider.email not in csv_export.content.decode()


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_export_defuses_spreadsheet_formulas(org_admin, organisation):
    record(org_admin, "framework-uploaded", organisation, file="=HYPERLINK(\"http://evil.test\")")
    exported = signed_in(org_admin).get(f"/organisation/{organisation.pk}/audit/audit.csv")
    assert exported["Content-Type"].startswith("text/csv")
    [row] = [r for r in rows(exported.content.decode()) if r["verb"] == "framework-uploaded"]
    assert row["details"] == 'file==HYPERLINK("http://evil.test")'  # starts with the key: not a formula
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("+1") == "'+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2") == "'-2" and safe_cell("plain") == "plain"
    assert Entry.objects.filter(verb="audit-exported", actor_id=org_admin.pk).exists()


def test_a_formula_in_a_label_is_escaped_in_the_export(org_admin, organisation):
    organisation.name = "=cmd|' /C calc'!A0"
    organisation.save()
    record(org_admin, "settings-changed", organisation)
    exported = signed_in(org_admin).get(f"/organisation/{organisation.pk}/audit/audit.csv").content.decode()
    [row] = [r for r in rows(exported) if r["verb"] == "settings-changed"]
    assert row["object"] == "'=cmd|' /C calc'!A0"


def test_flourish_audit_export_writes_the_same_csv(org_admin, leader, organisation, tmp_path):
    record(leader, "report-viewed", organisation)
    out = tmp_path / "audit.csv"
    stdout = StringIO()
    call_command("audit", "export", "--organisation", organisation.name, "--since",
                 timezone.localdate().isoformat(), "--output", str(out), stdout=stdout)
    [row] = rows(out.read_text())
    assert (row["who"], row["verb"]) == (leader.email, "report-viewed")
    assert "Wrote 1 entry" in stdout.getvalue()
    with pytest.raises(CommandError, match="not a date"):
        call_command("audit", "export", "--organisation", organisation.name, "--since", "yesterday")
    with pytest.raises(CommandError, match="No organisation is called 'Nowhere'"):
        call_command("audit", "export", "--organisation", "Nowhere")


def test_exporting_a_filtered_log_records_the_filters(org_admin, organisation):
    record(org_admin, "sign-in", org_admin, organisation=organisation)
    response = signed_in(org_admin).get(f"/organisation/{organisation.pk}/audit/audit.csv",
                                        {"verb": "sign-in", "person": "admin"})
    assert response.status_code == 200
    exported = Entry.objects.get(verb="audit-exported")
    assert exported.details == {"filtered_verb": "sign-in", "filtered_person": "admin"}
