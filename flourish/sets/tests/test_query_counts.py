"""A set's page and a PAR cycle's page each need a bounded number of queries, however many
members, sessions, actions and observations the set has (zulip-style ceilings: a new N+1
breaks them)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from flourish.sets import actions

from .helpers import a_leader, join, new_set

pytestmark = pytest.mark.django_db


def queries(client, path) -> int:
    client.get(path)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def a_set(facilitator, version, name, leaders, items):
    learning_set = new_set(facilitator, version, name=name)
    members = [join(learning_set, a_leader(i)) for i in range(leaders)]
    cycle = actions.start_par_cycle(learning_set, "How do we share one plan?", [version.processes[0]["id"]])
    for n in range(items):
        actions.add_session(cycle, date=date(2026, 1, 1 + n), agenda=f"Agenda {n}", notes=f"Notes {n}")
        actions.add_action(cycle, owner=members[n % len(members)], text=f"Do thing {n}")
        actions.add_observation(cycle, author=members[n % len(members)], date=date(2026, 1, 1 + n),
                                text=f"Saw {n}", process_ids=[version.processes[0]["id"]])
    return learning_set


@pytest.mark.parametrize("page", ["detail", "par_cycle", "story"])
def test_a_sets_pages_cost_the_same_however_much_the_set_holds(client, facilitator, model_version, page,
                                                              django_assert_max_num_queries):
    def path(learning_set):
        return {"detail": f"/sets/{learning_set.pk}/", "par_cycle": f"/sets/{learning_set.pk}/cycles/1/",
                "story": f"/sets/{learning_set.pk}/story/"}[page]

    client.force_login(facilitator)
    small = a_set(facilitator, model_version, "Small set", leaders=1, items=1)
    few = queries(client, path(small))
    assert few <= 30
    big = a_set(facilitator, model_version, "Big set", leaders=5, items=6)
    client.get(path(big))
    with django_assert_max_num_queries(few):
        assert client.get(path(big)).status_code == 200
