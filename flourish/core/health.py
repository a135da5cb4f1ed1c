"""Liveness and readiness, for load balancers and process supervisors.

`/healthz` says the process answers (touches nothing). `/readyz` says it can serve: the
database answers a query on a real table, and the task queue's backend is reachable.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def database_ready() -> Check:
    try:
        with connection.cursor() as cursor:
            # A migrated table, not only SELECT 1: an empty or unmigrated database is not ready.
            cursor.execute("SELECT COUNT(*) FROM django_migrations")
            cursor.fetchone()
    except DatabaseError as problem:
        return Check(False, f"database: {type(problem).__name__}: {problem}".strip())
    return Check(True, "database: ok")


def _task_backends():
    try:
        from django_tasks import task_backends
    except ImportError:  # older django-tasks names the registry `tasks`
        from django_tasks import tasks as task_backends
    return task_backends


def queue_ready() -> Check:
    """The configured task backends (settings.TASKS) answer. Without TASKS there is no
    queue to wait for. A database backend shares the database checked above; a
    Redis-based one (RQ) must answer a PING."""
    if not getattr(settings, "TASKS", None):
        return Check(True, "queue: none configured")
    try:
        backends = _task_backends()
        for alias in settings.TASKS:
            backend = backends[alias]
            errors = [message for message in backend.check() if message.is_serious()]
            if errors:
                return Check(False, f"queue {alias}: {errors[0].msg}")
            if "rq" in type(backend).__module__.split("."):
                import django_rq

                for queue in getattr(backend, "queues", None) or ["default"]:
                    django_rq.get_connection(queue).ping()
    except Exception as problem:  # noqa: BLE001 - any failure means "not ready", with its reason
        return Check(False, f"queue: {type(problem).__name__}: {problem}".strip())
    return Check(True, "queue: ok")


def readiness() -> tuple[bool, list[str]]:
    checks = [database_ready(), queue_ready()]
    return all(check.ok for check in checks), [check.detail for check in checks]
