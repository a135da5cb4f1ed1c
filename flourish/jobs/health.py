"""Can jobs be queued right now? For the readiness check (`flourish.core.health`): the
database backend needs its task table, RQ needs its Redis server to answer."""

from .backend import is_database_backend


def queue_ready() -> tuple[bool, str]:
    try:
        if is_database_backend():
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.exists()
            return True, "database queue"
        import django_rq

        django_rq.get_connection("default").ping()
        return True, "rq queue"
    except Exception as problem:  # noqa: BLE001 - any failure means not ready
        return False, f"job queue unavailable: {type(problem).__name__}: {problem}"
