"""A job's progress page, its JSON status (polled by jobs/progress.js), its output, and
"try again" for a failed job."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from flourish import audit

from . import actions, presenters, selectors
from .permissions import get_job_for_user, may_read_output, output_audit


@login_required
def progress(request, job_id):
    job = get_job_for_user(request.user, job_id)
    return render(request, "jobs/progress.html", {"job": job, "status": presenters.job_status(job)})


@login_required
def status(request, job_id):
    job = get_job_for_user(request.user, job_id)
    response = JsonResponse(presenters.job_status(job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def download(request, job_id):
    job = get_job_for_user(request.user, job_id)
    output = selectors.output_of(job)
    if output is None or not may_read_output(request.user, job):
        raise Http404
    verb, obj = output_audit(job)
    audit.record(request, verb, obj, file=output.filename, via="job")
    response = HttpResponse(bytes(output.data), content_type=output.content_type)
    response["Content-Disposition"] = f'inline; filename="{output.filename}"'
    return response


@login_required
@require_POST
def retry(request, job_id):
    job = get_job_for_user(request.user, job_id)
    try:
        actions.retry(job)
    except actions.NotAllowed as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, "It will run again.")
    return redirect("jobs:progress", job_id=job.pk)
