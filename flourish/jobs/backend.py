"""The one place that touches the tasks framework. Django 6 ships it as `django.tasks`;
on Django 5.2 the backport `django_tasks` has the same API, so nothing else changes."""

try:  # Django >= 6.0
    from django.tasks import task, task_backends
except ImportError:  # Django 5.2: the backport
    from django_tasks import task, task_backends

__all__ = ["task", "task_backends", "is_database_backend"]


def is_database_backend() -> bool:
    """The database backend stores the queued task in our own database, so it can be
    written in the same transaction as the job; any other backend must wait for commit."""
    return type(task_backends["default"]).__module__.startswith("django_tasks_db")
