"""Building cycles for tests: a leader, raters from several professions, answers."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from flourish.feedback import actions
from flourish.feedback.models import Rater, Response
from flourish.selfassess import actions as self_actions

RATERS = [
    ("Hannah", "Health", "team member"), ("Harriet", "Health", "peer"), ("Hugo", "Health", "team member"),
    ("Sofia", "Social care", "partner agency"), ("Sam", "Social care", "peer"),
    ("Sunil", "Social care", "team member"),
    ("Eve", "Education and early years", "team member"), ("Ed", "Education and early years", "peer"),
]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counts live in the cache; every test of a module that imports this
    fixture starts and ends with none."""
    cache.clear()
    yield
    cache.clear()


def new_cycle(leader, version, *, approver=None, days=14, title="Spring feedback"):
    """A cycle on `leader`. Without an approver, the leader's organisation is one that lets
    leaders send invitations without approval (tests about other things); the approval
    rule has its own tests, which pass an approver."""
    organisation = leader.memberships.first().organisation
    if approver is None:
        without_list_approval(organisation)
    return actions.create_cycle(
        leader, organisation, version, title, timezone.localdate() + timedelta(days=days), approver
    )


def without_list_approval(organisation):
    organisation.rater_lists_need_approval = False
    organisation.save(update_fields=["rater_lists_need_approval"])
    return organisation


def add_raters(cycle, raters=RATERS):
    return [
        actions.nominate(cycle, name=name, email=f"{name.lower()}@example.org", profession=group,
                         employer="Somewhere", relationship=relationship)
        for name, group, relationship in raters
    ]


def answer(rater, value_of=lambda rater, item_index: 4, comment=None):
    """Submit a full response for a rater (straight through the actions)."""
    version = rater.cycle.framework_version
    for process in version.processes:
        answers = {item["id"]: value_of(rater, index) for index, item in enumerate(process["items"])}
        actions.save_page(rater, process["id"], answers, comment)
    return actions.submit(rater)


def complete_self(cycle, value=3):
    own = cycle.self_assessment
    for process in cycle.framework_version.processes:
        self_actions.save_answers(own, process["id"], {i["id"]: value for i in process["items"]}, 4)
    return self_actions.complete(own)


def responses_of(cycle):
    return Response.objects.filter(cycle=cycle)


def raters_of(cycle):
    return Rater.objects.filter(cycle=cycle)


# The rater's pages through the test client.
def url(name, token, step=None):
    return reverse(f"rate:{name}", args=[token] if step is None else [token, step])


def page_data(process, value=3, comment="", button="continue"):
    data = {f"item-{item['id']}": str(value) for item in process["items"]}
    data["comment"] = comment
    data[button] = ""
    return data


def answer_everything(client, token, version, value=3, comment=""):
    cache.clear()  # each rater is a different person, not one address hammering the site
    for number, process in enumerate(version.processes, start=1):
        reply = client.post(url("step", token, number), page_data(process, value, comment))
        assert reply.status_code == 302, reply.content.decode()[:2000]
