"""A job is seen only by the person who asked for it (404 for anyone else, so a job's id
tells an outsider nothing); its output also passes the kind's own reader check."""

from collections.abc import Callable

from django.http import Http404

from flourish.core.lookups import get_or_404

from . import registry
from .models import Job


def get_job_for_user(user, job_id) -> Job:
    if not user.is_authenticated:
        raise Http404("No such job.")
    return get_or_404(Job.objects.filter(owner=user).select_related("owner"), "job", pk=job_id)


def while_allowed(lookup: Callable, *args: str) -> Callable:
    """A kind's ``may_read``: the output is readable while ``lookup(user, job.args[arg], …)``
    (an app's ``permissions.get_<thing>_for_user``, given the named arguments in order) still
    finds the thing, so whoever has lost access to it (a plan's owner, a report's reader
    whose sharing was withdrawn, a set's member who left) cannot fetch it from an older job
    either."""
    if not args:
        raise TypeError("while_allowed needs the name of at least one job argument")

    def may_read(user, job) -> bool:
        try:
            lookup(user, *(job.args[arg] for arg in args))
        except Http404:
            return False
        return True

    return may_read


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
