"""Closed and open cycles with chosen consent, for the research tests."""

from datetime import timedelta

from django.utils import timezone

from flourish.feedback import actions
from flourish.feedback.models import RaterLink, Response
from flourish.feedback.tests.helpers import add_raters, answer, complete_self, new_cycle
from flourish.selfassess import actions as self_actions


def open_cycle(leader, version, raters=None, comment="A comment that must stay private", title="Spring feedback"):
    cycle = new_cycle(leader, version, title=title)
    made = add_raters(cycle) if raters is None else add_raters(cycle, raters)
    actions.send_invitations(cycle)
    for rater in made:
        answer(rater, value_of=lambda rater, index: 2 + (rater.pk + index) % 4, comment=comment)
    complete_self(cycle)
    return cycle, made


def closed_cycle(leader, version, **kwargs):
    cycle, raters = open_cycle(leader, version, **kwargs)
    return actions.close(cycle), raters


def consent_everything(cycle):
    cycle.research_consent = True
    cycle.save(update_fields=["research_consent"])
    own = cycle.self_assessment
    own.research_consent = True
    own.save(update_fields=["research_consent"])
    # A closed cycle's answers are no longer linked to raters: consent them by cycle.
    Response.objects.filter(cycle=cycle).update(research_consent=True)


def token_for(rater) -> str:
    return RaterLink.issue(rater)


def standalone_self_assessment(leader, organisation, version, consent=True):
    own = self_actions.start(leader, organisation, version)
    for process in version.processes:
        self_actions.save_answers(own, process["id"], {i["id"]: 4 for i in process["items"]}, 4)
    own = self_actions.complete(own)
    own.research_consent = consent
    own.save(update_fields=["research_consent"])
    return own


def days_from_now(days):
    return timezone.localdate() + timedelta(days=days)


def unzip(content: bytes) -> dict[str, bytes]:
    """The files of one research download (a zip)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def labelled_csv_rows(content: bytes) -> list[dict]:
    """The CSV download's rows with codes read back through its own codebook: group codes
    become their labels, the missing codes stay as they are."""
    import csv
    import io

    files = unzip(content)
    codebook = list(csv.DictReader(io.StringIO(files["codebook.csv"].decode())))
    labels = {}
    for entry in codebook:
        if entry["variable"] in ("source", "profession", "relationship") and entry["values"]:
            labels[entry["variable"]] = dict(pair.split(" = ", 1) for pair in entry["values"].split("; "))
    short = {"source": {"Self (the leader)": "self", "Other (a rater)": "other"}}
    rows = list(csv.DictReader(io.StringIO(files["flourish-research-data.csv"].decode())))
    for row in rows:
        for column, table in labels.items():
            label = table.get(row[column], row[column])
            row[column] = short.get(column, {}).get(label, label)
    return rows


def plant_an_intercept_difference(organisation, item_id, group="Health"):
    """Health raters answer one item a point higher (as far as the scale goes)."""
    for response in Response.objects.filter(cycle__organisation=organisation, profession=group):
        value = response.answers.get(item_id)
        if value is not None and value < 5:
            response.answers[item_id] = value + 1
            response.save(update_fields=["answers"])


def run_the_tests(client, researcher, version="vaggers-anderson:1"):
    """Ask for the model's tests on the page, as the researcher does; the worker runs them.
    Returns the stored run."""
    from django.urls import reverse

    from flourish.jobs.testing import run_pending_jobs
    from flourish.research.models import ModelTestRun

    response = client.post(reverse("research:model"), {"version": version})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    run_pending_jobs()
    return ModelTestRun.objects.get(researcher=researcher)
