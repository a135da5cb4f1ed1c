"""`flourish worker`: runs queued jobs until stopped.

With the database backend it drives django-tasks-db's own worker in batches and, between
batches, recovers abandoned jobs: django-tasks-db marks a task RUNNING when a worker takes
it and never looks at it again, so a worker killed mid-job (SIGKILL, OOM, power cut)
would strand it. Our Job row has a lease instead (renewed by each progress report), and
`recover_abandoned` queues again every job whose lease ran out.

With RQ it runs django-rq's `rqworker` (with its scheduler, for retries at a later time);
`flourish tick` (cron) does the recovery there."""

import logging
import time

from django.core.management import call_command
from django.db import close_old_connections
from django.utils.crypto import get_random_string

from . import actions
from .backend import is_database_backend

logger = logging.getLogger("flourish.jobs")


def run_database_worker(*, interval: float = 1.0, batch: bool = False, recover_every: float = 15.0,
                        max_batches: int | None = None) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id=get_random_string(32), excluded_queue_names=[],
    )
    worker.configure_signals()
    last_recovery = 0.0
    batches = 0
    while worker.running:
        close_old_connections()
        if time.monotonic() - last_recovery >= recover_every:
            recovered = actions.recover_abandoned()
            if recovered:
                logger.warning("Queued %d abandoned job(s) again", recovered)
            last_recovery = time.monotonic()
        worker.run()  # every task that is due, then back here
        batches += 1
        if batch or (max_batches is not None and batches >= max_batches):
            return
        time.sleep(interval)


def run_rq_worker(*, batch: bool = False) -> None:
    actions.recover_abandoned()
    # django-tasks-rq's Job class runs the django-tasks Task the queue holds.
    call_command("rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.backend.Job",
                 *(["--burst"] if batch else []))


def run(*, batch: bool = False, **options) -> None:
    if is_database_backend():
        run_database_worker(batch=batch, **options)
    else:
        run_rq_worker(batch=batch)


