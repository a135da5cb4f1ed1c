"""Research's background job: the model's tests, too slow for a request."""

from django.urls import reverse

from flourish.jobs.actions import JobFailed
from flourish.jobs.registry import handler

from . import actions, dataset, modeltests
from .permissions import research_organisations


@handler(actions.MODEL_TESTS_JOB, max_attempts=2)
def model_tests(context, version: str) -> dict:
    researcher = context.job.owner
    organisations = research_organisations(researcher)  # their rights now, not when they asked
    if not organisations.exists():
        raise JobFailed("You are no longer a researcher in any organisation, so the tests were not run.")
    context.progress(5, "Gathering the consented answers")
    ds = dataset.build(organisations, reader=researcher)
    chosen = next((v for v in ds.by_version() if v["key"] == version), None)
    if chosen is None:
        raise JobFailed("There are no consented rater responses for this framework version any more.")
    context.progress(15, "Fitting the models (ML, then WLSMV for ordered answers), invariance and reliability")
    results = modeltests.run(ds, chosen["version"])
    if results["status"] != "ok":
        raise JobFailed(results["message"])
    run = actions.record_run(researcher, results)
    return {"message": "The model's tests are done.", "link_text": "Read the results",
            "url": reverse("research:run", args=[run.pk])}
