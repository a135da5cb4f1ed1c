"""The database layer (issue 10, item 7): once a cycle closes, no screen, no admin page
and no database dump holds a name or email next to an answer; submit times are days; a
rater can delete their own answers from their link before close."""

import io
import json
import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from flourish.feedback import actions
from flourish.feedback.models import RaterLink, Response
from flourish.jobs.testing import run_pending_jobs

from .helpers import add_raters, answer, fresh_rate_limits, new_cycle  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db(transaction=False)


def rater_answers_everything(client, token, version, value=4):
    for number, process in enumerate(version.processes, start=1):
        data = {f"item-{item['id']}": str(value) for item in process["items"]}
        data.update({"comment": "", "continue": ""})
        assert client.post(reverse("rate:step", args=[token, number]), data).status_code == 302
    assert client.post(reverse("rate:review", args=[token])).status_code == 302


@pytest.fixture
def closed_cycle(client, leader, model_version):
    """Eight raters asked; five answered through their links; the leader closed it."""
    cycle = new_cycle(leader, model_version)
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    for rater in raters[:5]:
        rater_answers_everything(client, RaterLink.issue(rater), model_version)
    client.force_login(leader)
    assert client.post(f"/feedback/{cycle.pk}/close/").status_code == 302
    run_pending_jobs()  # the report is built, then the answers severed, by the worker
    cycle.refresh_from_db()
    assert cycle.is_released
    return cycle


def identities(cycle):
    return {value for r in cycle.raters.all() for value in (r.name, r.email)}


def test_a_database_dump_after_close_joins_no_name_to_any_answer(closed_cycle):
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    objects = json.loads(out.getvalue())
    names = identities(closed_cycle)
    answers = [o for o in objects if o["model"] == "feedback.response"]
    assert len(answers) == 5
    for row in answers:
        assert row["fields"]["rater"] is None
        assert not any(name in json.dumps(row) for name in names)
    # No other object points at an answer from a row holding a name.
    answer_pks = {o["pk"] for o in answers}
    for o in objects:
        if o["model"] != "feedback.response" and any(n in json.dumps(o) for n in names):
            assert "response" not in o["fields"] or o["fields"]["response"] not in answer_pks


def test_raw_sql_over_every_table_finds_no_row_linking_a_rater_to_an_answer(closed_cycle):
    names = identities(closed_cycle)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        rows_of, columns_of = {}, {}
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')
            columns_of[table] = [c[0] for c in cursor.description]
            rows_of[table] = cursor.fetchall()
        relations = {t: connection.introspection.get_relations(cursor, t) for t in tables}

    item = closed_cycle.framework_version.processes[0]["items"][0]["id"]

    def has_name(row):
        return any(isinstance(v, str) and v in names for v in row)

    one_answer = re.compile(rf'"{item}": ?(null|[1-5])')

    def has_answers(row):
        return any(isinstance(v, str) and one_answer.search(v) for v in row)

    answer_tables = {t for t, rows in rows_of.items() if any(has_answers(r) for r in rows)}
    assert answer_tables == {"feedback_response"}
    for row in rows_of["feedback_response"]:
        assert not has_name(row)
        record = dict(zip(columns_of["feedback_response"], row))
        assert record["rater_id"] is None
        assert len(str(record["submitted_at"])) == 10  # a day, YYYY-MM-DD: no time of day
    # Any foreign key from a row with a name to a row with answers, or back, would join them.
    for table, rels in relations.items():
        for column, (_, target) in rels.items():
            at = columns_of[table].index(column)
            for row in rows_of[table]:
                if row[at] is None or target not in rows_of:
                    continue
                pk_at = 0
                targets = [r for r in rows_of[target] if r[pk_at] == row[at]]
                for referenced in targets:
                    assert not (has_name(row) and has_answers(referenced)), (table, column, target)
                    assert not (has_answers(row) and has_name(referenced)), (table, column, target)


def test_the_admin_site_shows_no_answers_at_all(client, closed_cycle, django_user_model):
    assert not any(model._meta.app_label == "feedback" for model in admin.site._registry)
    staff = django_user_model.objects.create_superuser("root@riverside.test", "x-very-long-password")
    client.force_login(staff)
    assert client.get("/admin/feedback/response/").status_code == 404


def test_the_leaders_page_after_close_marks_nobody_as_having_answered(client, leader, closed_cycle):
    client.force_login(leader)
    html = client.get(f"/feedback/{closed_cycle.pk}/").content.decode()
    asked = html.split('aria-label="People asked"')[1].split("</table>")[0]
    assert "Hannah" in asked and "answered" not in asked.lower()


def test_drafts_and_withdrawn_links_leave_nothing_behind_at_close(client, leader, model_version):
    cycle = new_cycle(leader, model_version)
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    for rater in raters[:4]:
        answer(rater)
    actions.save_page(raters[5], model_version.processes[0]["id"], {}, "A draft never sent")
    actions.revoke(raters[0])
    actions.remind(cycle)
    cycle = actions.close(cycle)
    assert Response.objects.filter(cycle=cycle).count() == 3
    assert not cycle.raters.filter(reminded_at__isnull=False).exists()
    assert "A draft never sent" not in json.dumps(list(Response.objects.values("comments")))


def test_a_rater_deletes_their_own_answers_from_their_link(client, leader, model_version):
    cycle = new_cycle(leader, model_version)
    rater = add_raters(cycle)[0]
    actions.send_invitations(cycle)
    token = RaterLink.issue(rater)
    rater_answers_everything(client, token, model_version)
    page = client.get(reverse("rate:withdraw", args=[token]))
    assert page.status_code == 200 and "Delete your answers?" in page.content.decode()
    assert Response.objects.filter(rater=rater).exists()  # a GET deletes nothing
    done = client.post(reverse("rate:withdraw", args=[token]))
    assert done.status_code == 200 and "Your answers have been deleted" in done.content.decode()
    assert not Response.objects.filter(rater=rater).exists()
    again = client.post(reverse("rate:withdraw", args=[token]))
    assert again.status_code == 409 and "no answers from this link" in again.content.decode()


def test_after_close_answers_cannot_be_deleted_and_the_link_says_why(client, closed_cycle):
    rater = closed_cycle.raters.first()
    page = client.get(reverse("rate:withdraw", args=[RaterLink.issue(rater)]))
    assert page.status_code == 410 and "no longer linked to you" in page.content.decode()
