"""`flourish tick`: the one entry point for periodic work. A cron line (or a systemd
timer) runs it every few minutes; it queues each periodic kind once per hour or day,
and recovers jobs abandoned by a dead worker. django-tasks has no scheduler of its own
(RQ has `rqscheduler`/`rqcron`, but one cron line works the same for both backends)."""

from datetime import datetime, timedelta

from django.utils import timezone

from . import actions, registry
from .models import Job


def slot(now: datetime, every: str) -> str:
    local = timezone.localtime(now)
    return local.strftime("%Y-%m-%d") if every == "day" else local.strftime("%Y-%m-%dT%H")


def tick(now: datetime | None = None) -> list[Job]:
    now = now or timezone.now()
    actions.recover_abandoned(now)
    return [
        actions.enqueue(kind, key=f"tick:{kind}:{slot(now, every)}", label=f"Scheduled work: {kind}")
        for kind, every in registry.periodic_kinds().items()
    ]


KEEP_FINISHED = timedelta(days=30)


@registry.periodic("jobs.prune", every="day")
def prune(context) -> dict:
    """Finished jobs (and their files) and the queue's finished task rows go after 30 days."""
    from django_tasks_db.models import DBTaskResult

    before = timezone.now() - KEEP_FINISHED
    jobs, _ = Job.objects.filter(status__in=["done", "failed"], finished_at__lt=before).delete()
    tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return {"message": f"Removed {jobs} old job record(s) and {tasks} finished queue row(s)."}
