"""Small builders for qualitative tests: a project coded by Mei (lead) and Tomasz (coder)."""

from flourish.qualitative import actions
from flourish.qualitative.models import MemberRole

INTERVIEW = (
    "Interviewer: How do you work with the health visitors?\n"
    "Ann: We meet every week, and I ring them before any change to the drop-in.\n"
    "Interviewer: And when things go wrong?\n"
    "Ann: After the row about thresholds I went over to their office. We had a proper coffee. 😀\n"
)
PAR_SESSION = (
    "Facilitator: What did you try this cycle?\n"
    "Bea: We ran a joint clinic as an experiment for six weeks.\n"
    "Cal: The referral now goes straight to whoever is on duty.\n"
)


def make_project(lead, coder=None, framework_version=None, name="Leading integration study"):
    """A project with an interview and a PAR session; `coder` (if given) joins as a coder."""
    project = actions.create_project(lead, lead.memberships.first().organisation, name, framework_version)
    if coder is not None:
        actions.add_member(project, coder.email, MemberRole.CODER)
    actions.import_sources(project, lead, [("interview-ann.txt", INTERVIEW.encode())], {"stage": "interview"})
    actions.import_sources(project, lead, [("par-session-1.txt", PAR_SESSION.encode())], {"stage": "PAR session"})
    return project


def code(project, user, process_id):
    return project.codes.get(process_id=process_id)
