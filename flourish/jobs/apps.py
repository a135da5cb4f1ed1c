from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "flourish.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        # Each app declares its job handlers in its own `jobs.py`; importing them fills the
        # registry, so a worker knows every kind of job whichever app queued it.
        from . import mail, probe, scheduling  # noqa: F401 - the jobs app's own kinds

        autodiscover_modules("jobs")
