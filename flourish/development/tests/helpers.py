"""Building the work a plan starts from: a self-assessment with hand-made answers, and a
released 360° cycle (through flourish/feedback/tests/helpers.py)."""

from django.test import Client

from flourish.feedback import actions as feedback_actions
from flourish.feedback.tests import helpers as feedback
from flourish.selfassess import actions as self_actions

# Per process position: (the value given to every item, importance). With the scoring
# rules, a process's score is that value. Suggested: important (>= 4) and below 3.5.
HAND_MADE = [(2, 5), (4, 5), (3, 3), (3, 4), (4, 2), (5, 5), (1, 2), (4, 4)]
SUGGESTED_POSITIONS = [0, 3]  # 5 - 2 = 3 first, then 4 - 3 = 1


def self_assessment(leader, version, values=HAND_MADE):
    organisation = leader.memberships.first().organisation
    own = self_actions.start(leader, organisation, version)
    for (value, importance), process in zip(values, version.processes):
        self_actions.save_answers(own, process["id"], {i["id"]: value for i in process["items"]}, importance)
    return self_actions.complete(own)


# Three raters in each of three professions, so every group is shown (k = 3).
RATERS = [
    ("Hannah", "Health", "team member"), ("Harriet", "Health", "peer"), ("Hugo", "Health", "team member"),
    ("Sofia", "Social care", "partner agency"), ("Sam", "Social care", "peer"),
    ("Sunil", "Social care", "team member"),
    ("Eve", "Education and early years", "team member"), ("Ed", "Education and early years", "peer"),
    ("Esme", "Education and early years", "peer"),
]


def released_cycle(leader, version, *, title="Spring feedback", split=(5, 3), low=2):
    """A released cycle. Process 0: Health raters give split[0], everyone else split[1]
    (a big spread between professions: its "reach"). Process 1: everyone gives `low`.
    Every other process: 4. The leader's self part rates every process 4 for importance."""
    cycle = feedback.new_cycle(leader, version, title=title)
    raters = feedback.add_raters(cycle, RATERS)
    feedback_actions.send_invitations(cycle)
    for rater in raters:
        for j, process in enumerate(version.processes):
            if j == 0:
                value = split[0] if rater.profession == "Health" else split[1]
            elif j == 1:
                value = low
            else:
                value = 4
            feedback_actions.save_page(rater, process["id"], {i["id"]: value for i in process["items"]}, None)
        feedback_actions.submit(rater)
    feedback.complete_self(cycle)
    cycle = feedback_actions.close(cycle)
    cycle.refresh_from_db()
    assert cycle.is_released
    return cycle


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
