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
