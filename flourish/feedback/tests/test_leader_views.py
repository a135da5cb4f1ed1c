"""The leader's and organisation admin's pages: counts, never who; nobody else gets in."""

import html
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from flourish.feedback import actions
from flourish.feedback.models import Cycle
from flourish.jobs.testing import run_pending_jobs

from .helpers import add_raters, answer, new_cycle


@pytest.fixture
def cycle(leader, model_version):
    return new_cycle(leader, model_version)


def test_a_leader_sets_up_a_cycle_from_the_form(client, leader, facilitator, model_version):
    client.force_login(leader)
    response = client.post("/feedback/new/", {
        "title": "Autumn round", "closes_on": "2099-01-31",
        "organisation": leader.memberships.first().organisation_id, "leader": leader.pk,
        "approver": facilitator.pk,
    })
    cycle = Cycle.objects.get(title="Autumn round")
    assert response.status_code == 302 and response.url == f"/feedback/{cycle.pk}/"
    assert cycle.framework_version == model_version and cycle.self_assessment is not None
    assert cycle.approver == facilitator


def test_a_new_organisation_asks_for_an_approver_and_the_leader_cannot_be_it(client, leader, facilitator,
                                                                           model_version):
    client.force_login(leader)
    organisation = leader.memberships.first().organisation
    assert organisation.rater_lists_need_approval  # on by default
    form = {"title": "Autumn round", "closes_on": "2099-01-31", "organisation": organisation.pk,
            "leader": leader.pk}
    response = client.post("/feedback/new/", form)
    assert response.status_code == 400 and "asks for every list to be approved" in response.content.decode()
    assert not Cycle.objects.exists()
    with pytest.raises(actions.NotAllowed, match="cannot approve their own list"):
        actions.create_cycle(leader, organisation, model_version, "Mine", date(2099, 1, 31), approver=leader)


def test_a_past_closing_date_is_refused_with_a_message(client, leader, model_version):
    client.force_login(leader)
    response = client.post("/feedback/new/", {
        "title": "Old", "closes_on": "2001-01-01",
        "organisation": leader.memberships.first().organisation_id, "leader": leader.pk,
    })
    assert response.status_code == 400 and "must be in the future" in response.content.decode()
    assert not Cycle.objects.exists()


def test_an_org_admin_can_open_a_cycle_for_a_leader_but_not_read_the_report(client, org_admin, leader, model_version):
    client.force_login(org_admin)
    response = client.post("/feedback/new/", {
        "title": "For Amara", "closes_on": "2099-01-31",
        "organisation": leader.memberships.first().organisation_id, "leader": leader.pk,
        "approver": org_admin.pk,
    })
    cycle = Cycle.objects.get(title="For Amara")
    assert response.status_code == 302 and cycle.leader == leader
    assert client.get(f"/feedback/{cycle.pk}/").status_code == 200
    assert "Rate yourself" not in client.get(f"/feedback/{cycle.pk}/").content.decode()


def test_adding_a_rater_by_form_and_refusing_a_bad_one(client, leader, cycle):
    client.force_login(leader)
    response = client.post(f"/feedback/{cycle.pk}/raters/", {
        "name": "Hannah Price", "email": "hannah@nhs.example", "profession": "Health",
        "employer": "NHS Trust", "relationship": "team member"})
    assert response.status_code == 302 and cycle.raters.count() == 1
    response = client.post(f"/feedback/{cycle.pk}/raters/", {
        "name": "", "email": "not-an-email", "profession": "Health", "relationship": "peer"})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert cycle.raters.count() == 1


def test_nobody_is_recorded_as_a_line_manager_or_in_a_group_by_default(client, leader, cycle):
    client.force_login(leader)
    form = client.get(f"/feedback/{cycle.pk}/").content.decode()
    assert '<option value="" selected>Choose…</option>' in form
    assert "selected>Line manager" not in form and "selected>Health" not in form
    response = client.post(f"/feedback/{cycle.pk}/raters/", {
        "name": "Hannah Price", "email": "hannah@nhs.example", "profession": "", "relationship": ""})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Choose the person's professional group" in page
    assert "Choose the person's relationship to the leader" in page
    assert cycle.raters.count() == 0


def test_while_choosing_people_the_page_says_which_groups_can_be_shown(client, leader, cycle):
    add_raters(cycle)  # Health 3, Social care 3, Education and early years 2
    client.force_login(leader)
    page = client.get(f"/feedback/{cycle.pk}/").content.decode()
    table = page.split('id="group-outlook"')[1].split("</table>")[0]
    row = (r'<th scope="row" class="govuk-table__header">([^<]+?) <span.*?</td>\s*'
           r'<td class="govuk-table__cell">(.*?)</td>')
    rows = dict(re.findall(row, table, re.S))
    assert rows["Health"].startswith("Yes") and rows["Social care"].startswith("Yes")
    assert "fewer than 3 asked" in rows["Education and early years"]


def test_the_closing_date_is_pre_filled_in_the_form_a_date_picker_reads(client, leader, model_version):
    client.force_login(leader)
    page = client.get("/feedback/new/").content.decode()
    assert re.search(r'type="date" name="closes_on" value="\d{4}-\d{2}-\d{2}"', page)


def test_the_leader_is_told_no_count_of_answers_and_never_who_answered(client, leader, cycle):
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    answer(raters[0])
    client.force_login(leader)
    html = client.get(f"/feedback/{cycle.pk}/").content.decode()
    assert "1 of 8" not in html and "never told how many people have answered" in html
    # Names are listed (the leader chose them) but nothing marks who has answered.
    assert "Hannah" in html and "answered" not in html.split("People asked")[1].split("</table>")[0]


def test_a_group_with_at_most_k_people_asked_is_never_told(client, leader, cycle):
    add_raters(cycle)  # Health 3, Social care 3, Education 2; k = 3
    actions.send_invitations(cycle)
    client.force_login(leader)
    html = client.get(f"/feedback/{cycle.pk}/").content.decode()
    table = html.split("Answers by professional group")[1].split("</table>")[0]
    for group in ("Health", "Social care", "Education and early years"):
        row = table.split(group)[1].split("</tr>")[0]
        assert "Not told: fewer than 4 asked" in row


def test_a_second_click_on_remind_the_same_day_sends_nothing_and_says_when_it_can(client, leader, cycle):
    add_raters(cycle)
    actions.send_invitations(cycle)
    run_pending_jobs()
    client.force_login(leader)
    mail.outbox.clear()
    client.post(f"/feedback/{cycle.pk}/remind/")
    run_pending_jobs()
    sent = len(mail.outbox)
    assert sent == 8
    again = client.post(f"/feedback/{cycle.pk}/remind/", follow=True)
    run_pending_jobs()
    assert "Reminders already went today. You can send more tomorrow" in again.content.decode()
    assert len(mail.outbox) == sent
    with freeze_time(timezone.localdate() + timedelta(days=1)):
        client.post(f"/feedback/{cycle.pk}/remind/")
        run_pending_jobs()
    assert len(mail.outbox) == 2 * sent


def test_reminding_and_closing_from_the_page(client, leader, cycle):
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    run_pending_jobs()
    for rater in raters[:3]:
        answer(rater)
    client.force_login(leader)
    mail.outbox.clear()
    response = client.post(f"/feedback/{cycle.pk}/remind/", follow=True)
    run_pending_jobs()
    # The leader is not told how many were reminded: that is how many have not answered.
    html = response.content.decode()
    assert "Reminders are on their way to everyone asked who has not answered yet" in html and len(mail.outbox) == 5
    assert "5 people" not in html
    response = client.post(f"/feedback/{cycle.pk}/close/", follow=True)
    assert "is being prepared" not in response.content.decode()  # the job's own page
    assert response.redirect_chain[-1][0].startswith("/jobs/")
    cycle.refresh_from_db()
    assert cycle.is_closed and not cycle.is_released  # closed at once; the report is a job
    assert "its report is being prepared" in client.get(f"/feedback/{cycle.pk}/").content.decode()
    run_pending_jobs()
    assert "The report is ready" in client.get(response.redirect_chain[-1][0]).content.decode()
    cycle.refresh_from_db()
    assert cycle.is_released


def test_sharing_the_report_with_a_coach(client, leader, facilitator, cycle):
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    for rater in raters:
        answer(rater)
    actions.close(cycle)
    client.force_login(leader)
    response = client.post(f"/feedback/{cycle.pk}/share/", {"email": facilitator.email})
    assert response.status_code == 302 and facilitator in cycle.shared_with.all()
    response = client.post(f"/feedback/{cycle.pk}/share/", {"email": "nobody@example.org"})
    assert response.status_code == 400


def test_a_facilitator_approves_the_list_from_their_page(client, leader, facilitator, model_version):
    cycle = new_cycle(leader, model_version, approver=facilitator)
    add_raters(cycle)
    actions.request_approval(cycle)
    client.force_login(leader)
    assert client.get(f"/feedback/{cycle.pk}/approve/").status_code == 404
    client.force_login(facilitator)
    assert client.get(f"/feedback/{cycle.pk}/").status_code == 404  # approving is not managing
    assert client.post(f"/feedback/{cycle.pk}/approve/").status_code == 302
    cycle.refresh_from_db()
    assert cycle.is_open


@pytest.mark.parametrize("persona", ["outsider", "facilitator", "researcher"])
def test_people_outside_the_cycle_get_not_found_everywhere(client, cycle, persona, request):
    rater = add_raters(cycle)[0]
    client.force_login(request.getfixturevalue(persona))
    for url in [f"/feedback/{cycle.pk}/", f"/feedback/{cycle.pk}/raters/upload/"]:
        assert client.get(url).status_code == 404
    for url in [f"/feedback/{cycle.pk}/raters/", f"/feedback/{cycle.pk}/invite/", f"/feedback/{cycle.pk}/close/",
                f"/feedback/{cycle.pk}/remind/", f"/feedback/{cycle.pk}/raters/{rater.pk}/revoke/",
                f"/feedback/{cycle.pk}/share/"]:
        assert client.post(url, {}).status_code == 404
    cycle.refresh_from_db()
    assert cycle.status == "draft" and cycle.raters.filter(revoked_at__isnull=True).count() == 8
