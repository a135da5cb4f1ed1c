"""The leader's cycle page, the released report and the rater's questionnaire each need a
bounded number of queries, however many raters a cycle has (zulip-style ceilings: a new
N+1 breaks them)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from flourish.development.tests.helpers import released_cycle
from flourish.feedback import actions
from flourish.feedback.models import RaterLink
from flourish.jobs.testing import run_pending_jobs

from .helpers import RATERS, add_raters, fresh_rate_limits, new_cycle  # noqa: F401 (an autouse fixture)
from .helpers import url as rater_url

pytestmark = pytest.mark.django_db

MORE_RATERS = [(f"Rater {n}", group, relationship) for n, (_, group, relationship) in enumerate(RATERS * 3)]


def queries(client, path) -> int:
    client.get(path)  # warm per-process caches (the framework version, the template loader)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_leaders_cycle_page_costs_the_same_however_many_people_were_asked(
        client, leader, model_version, django_assert_max_num_queries):
    client.force_login(leader)
    small = new_cycle(leader, model_version, title="Small")
    add_raters(small, RATERS[:2])
    actions.send_invitations(small)
    run_pending_jobs()  # the invitations delivered: each rater shows "Sent"
    few = queries(client, f"/feedback/{small.pk}/")
    assert few <= 30

    big = new_cycle(leader, model_version, title="Big")
    add_raters(big, MORE_RATERS)
    actions.send_invitations(big)
    run_pending_jobs()
    with django_assert_max_num_queries(few):
        assert client.get(f"/feedback/{big.pk}/").status_code == 200


def test_the_report_page_is_bounded_whether_or_not_its_body_is_cached(
        client, leader, model_version, django_assert_max_num_queries):
    cycle = released_cycle(leader, model_version)
    client.force_login(leader)
    client.get(f"/feedback/{cycle.pk}/report/")
    cache.clear()  # the body is rendered afresh: from the stored report, never the responses
    with django_assert_max_num_queries(20):
        assert client.get(f"/feedback/{cycle.pk}/report/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/feedback/{cycle.pk}/report/").status_code == 200


def test_a_raters_page_costs_the_same_however_many_others_were_asked(client, leader, model_version,
                                                                     django_assert_max_num_queries):
    small = new_cycle(leader, model_version, title="Small")
    [first] = add_raters(small, RATERS[:1])
    actions.send_invitations(small)
    few = queries(client, rater_url("step", RaterLink.issue(first), 1))
    assert few <= 15

    big = new_cycle(leader, model_version, title="Big")
    [one, *_] = add_raters(big, MORE_RATERS)
    actions.send_invitations(big)
    path = rater_url("step", RaterLink.issue(one), 1)
    client.get(path)  # as above: the link's first visit warms the same caches
    with django_assert_max_num_queries(few):
        assert client.get(path).status_code == 200
