"""Research pages: consent (raters and leaders), the researcher's data and exports, and
the model's own tests. Researcher pages answer 404 to anyone without the researcher
role; a researcher sees only their own organisations' consented, de-identified data."""

import csv
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from flourish import audit
from flourish.feedback.permissions import get_rater_for_token
from flourish.feedback.ratelimits import limit_rater_links
from flourish.feedback.selectors import response_of

from . import actions, charts, dataset, exports, modeltests
from .forms import ModelVersionForm
from .permissions import (
    get_own_cycle,
    get_own_self_assessment,
    get_run_for_researcher,
    own_cycles,
    own_self_assessments,
    require_researcher,
    runs_for,
)

# --- consent -----------------------------------------------------------------------


@never_cache
@limit_rater_links  # the rater pages' per-address budget
def rater_consent(request, token):
    """A rater's own choice, from their personal link, while the cycle is open (a withdrawn
    link still lets them withdraw consent). After close the answers are severed from the
    rater, so the page says so instead of offering a choice it could not carry out."""
    rater = get_rater_for_token(token)
    response = response_of(rater)
    if request.method == "POST" and response is not None:
        share = request.POST.get("share") == "yes"
        try:
            response = actions.set_rater_consent(rater, share)
        except actions.NotAllowed as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, "Thank you. Your answers may be used for research."
                             if share else "Your answers will not be used for research.")
        return redirect("research:rater_consent", token=token)
    return render(request, "research/rater_consent.html", {
        "rater": rater, "cycle": rater.cycle, "response": response, "token": token,
        "leader_name": rater.cycle.leader.display_name,
    })


@login_required
def consent(request):
    """A leader's choices: each completed self-assessment, and each 360° cycle about them."""
    if request.method == "POST":
        kind, pk, share = request.POST.get("kind"), request.POST.get("pk"), request.POST.get("share") == "yes"
        try:
            if kind == "self-assessment":
                chosen = get_own_self_assessment(request.user, pk)
                actions.set_self_assessment_consent(request.user, chosen, share)
                what = "your self-assessment"
            elif kind == "cycle":
                chosen = get_own_cycle(request.user, pk)
                actions.set_cycle_consent(request.user, chosen, share)
                what = "this 360° feedback"
            else:
                raise Http404("No such choice.")
        except actions.NotAllowed as problem:
            messages.error(request, str(problem))
        else:
            audit.record(request, "research-consent-changed", chosen, kind=kind, share=share)
            messages.success(request, f"Saved: {what} {'may now' if share else 'will no longer'} be used for "
                             "research.")
        back = request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                    require_https=request.is_secure()):
            return redirect(back)
        return redirect("research:consent")
    assessments = list(own_self_assessments(request.user))
    for assessment in assessments:
        try:
            assessment.in_cycle = assessment.cycle
        except assessment.__class__.cycle.RelatedObjectDoesNotExist:
            assessment.in_cycle = None
    return render(request, "research/consent.html", {
        "assessments": assessments, "cycles": own_cycles(request.user),
    })


# --- the researcher's data ---------------------------------------------------------


@login_required
def index(request):
    organisations = require_researcher(request.user)
    ds = dataset.build(organisations, reader=request.user)
    return render(request, "research/index.html", {
        "organisations": organisations, "ds": ds, "n_self": ds.count("self"), "n_other": ds.count("other"),
        "versions": ds.by_version(), "runs": runs_for(request.user)[:10],
        "export_formats": [("csv", "Download as CSV"),
                           ("sav", "Download for SPSS (.sav, with value labels and missing values declared)"),
                           ("parquet", "Download as Parquet")],
    })


@login_required
@require_POST
def export(request, fmt):
    """An audited release: the rows exported are recorded in the disclosure ledger."""
    organisations = require_researcher(request.user)
    if fmt not in exports.FORMATS:
        raise Http404("No such format.")
    response = HttpResponse(actions.export_dataset(organisations, request.user, fmt), content_type="application/zip")
    for organisation in organisations:
        audit.record(request, "research-exported", organisation, format=fmt)
    name = f"flourish-research-data-{timezone.localdate():%Y-%m-%d}-{fmt}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- the model's own tests ---------------------------------------------------------


def _versions_with_data(ds):
    return [v for v in ds.by_version() if v["other"]]


@login_required
def model(request):
    organisations = require_researcher(request.user)
    ds = dataset.build(organisations, reader=request.user)
    versions = _versions_with_data(ds)
    problem = ""
    if request.method == "POST":
        chosen = next((v for v in versions if v["key"] == request.POST.get("version")), None)
        if chosen is None and len(versions) == 1:
            chosen = versions[0]
        if chosen is None:
            problem = ("There are no consented rater responses to test the model on yet." if not versions
                       else "Choose the framework version to test.")
        else:
            problem = modeltests.too_little_data(ds, chosen["version"])
            if not problem:
                job = actions.start_model_tests(request.user, ds, chosen["key"])
                return redirect("jobs:progress", job_id=job.pk)
    return render(request, "research/model.html", {
        "versions": versions, "version_form": ModelVersionForm(versions=versions), "problem": problem,
        "runs": runs_for(request.user),
        "min_complete": modeltests.MIN_COMPLETE, "min_group": modeltests.MIN_GROUP,
    }, status=200)


@login_required
def run(request, pk):
    run = get_run_for_researcher(request.user, pk)
    results = run.results
    var_to_item = results.get("var_to_item", {})
    models = results["models"]
    framework_model = next((m for m in models if m["key"] == "framework"), None)
    return render(request, "research/run.html", {
        "run": run, "r": results, "models": models,
        "loadings_chart": charts.loadings(framework_model, var_to_item, results["processes"])
        if framework_model and framework_model["ok"] else None,
        "reliability_chart": charts.reliability(results["reliability"]),
        "var_to_item": var_to_item,
    })


@login_required
def run_json(request, pk):
    run = get_run_for_researcher(request.user, pk)
    payload = {"run": run.pk, "created": run.created.isoformat(), "n": run.n, **run.results}
    response = HttpResponse(json.dumps(payload, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="flourish-model-tests-{run.pk}.json"'
    return response


@login_required
def run_csv(request, pk):
    run = get_run_for_researcher(request.user, pk)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in modeltests.results_csv_rows(run.results):
        writer.writerow(["" if v is None else v for v in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="flourish-model-tests-{run.pk}.csv"'
    return response


