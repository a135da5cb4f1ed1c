"""A job is seen only by the person who asked for it (404 for anyone else, so a job's id
tells an outsider nothing); its output also passes the kind's own reader check."""

from django.http import Http404

from . import registry
from .models import Job


def get_job_for_user(user, job_id) -> Job:
    if not user.is_authenticated:
        raise Http404
    job = Job.objects.filter(pk=job_id, owner=user).select_related("owner").first()
    if job is None:
        raise Http404
    return job


def may_read_output(user, job: Job) -> bool:
    try:
        kind = registry.get(job.kind)
    except registry.UnknownKind:
        return False
    return kind.may_read is None or bool(kind.may_read(user, job))


def output_audit(job: Job) -> tuple[str, object]:
    """How a download of the job's output goes into the audit log: the kind's own verb and
    object (a report, a plan), or the job itself."""
    try:
        kind = registry.get(job.kind)
    except registry.UnknownKind:
        kind = None
    if kind is not None and kind.audit is not None:
        return kind.audit(job)
    return "job-output-downloaded", job
