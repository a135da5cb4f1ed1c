"""Issue 10: no time to the second next to a named rater. Invitations, reminders,
withdrawals and links are stored as days, the scheduler's reminder windows still work on
days, and `0004_rater_times_to_the_day` turns the times already stored into their days."""

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from flourish.feedback import actions
from flourish.feedback.models import Rater, RaterLink

from .helpers import add_raters, fresh_rate_limits, new_cycle  # noqa: F401


def only_days(model, pk, *fields):
    stored = model.objects.filter(pk=pk).values(*fields).get()
    return all(value is None or type(value) is datetime.date for value in stored.values())


@pytest.mark.django_db
def test_inviting_reminding_and_withdrawing_store_the_day_only(leader, model_version):
    cycle = new_cycle(leader, model_version)
    raters = add_raters(cycle)
    actions.send_invitations(cycle)
    actions.remind(cycle)
    actions.revoke(raters[0])
    today = timezone.localdate()
    for rater in Rater.objects.filter(cycle=cycle):
        assert only_days(Rater, rater.pk, "invited_at", "reminded_at", "revoked_at", "created")
        assert rater.invited_at == today and rater.reminded_at == today
    assert Rater.objects.get(pk=raters[0].pk).revoked_at == today
    link = RaterLink.objects.filter(rater=raters[1]).first()
    assert only_days(RaterLink, link.pk, "created") and link.created == today


@pytest.mark.django_db
def test_a_reminder_is_never_sent_on_the_day_of_the_invitation(leader, model_version):
    cycle = new_cycle(leader, model_version, days=7)
    add_raters(cycle)
    actions.send_invitations(cycle)
    assert actions.send_due_reminders() == 0  # inside the 7-day window, but invited today
    tomorrow = timezone.now() + timedelta(days=1)
    assert actions.send_due_reminders(now=tomorrow) == cycle.raters.count()
    assert actions.send_due_reminders(now=tomorrow) == 0  # once per window


BEFORE = [("feedback", "0003_cycle_min_k")]
AFTER = [("feedback", "0004_rater_times_to_the_day")]


@pytest.mark.django_db(transaction=True)
def test_times_stored_before_become_their_days(leader, model_version):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Cycle = old.get_model("feedback", "Cycle")
    OldRater = old.get_model("feedback", "Rater")
    OldLink = old.get_model("feedback", "RaterLink")
    cycle = Cycle.objects.create(
        organisation_id=leader.memberships.first().organisation_id, leader_id=leader.pk,
        framework_version_id=model_version.pk, title="Before", closes_on=datetime.date(2026, 3, 20))
    invited = datetime.datetime(2026, 3, 2, 9, 41, 7, tzinfo=datetime.UTC)
    rater = OldRater.objects.create(cycle_id=cycle.pk, name="Bea", email="bea@nhs.test", profession="Health",
                                    relationship="peer", invited_at=invited,
                                    reminded_at=invited + timedelta(days=11, hours=3))
    link = OldLink.objects.create(rater_id=rater.pk, token_hash="0" * 64)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    now = Rater.objects.get(pk=rater.pk)
    assert now.invited_at == datetime.date(2026, 3, 2) and now.reminded_at == datetime.date(2026, 3, 13)
    assert now.revoked_at is None and type(now.created) is datetime.date
    assert type(RaterLink.objects.get(pk=link.pk).created) is datetime.date
