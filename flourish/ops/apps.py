from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running Flourish in production: serving, the real client address behind a proxy,
    masking tokens in logs, deployment checks, backups."""

    name = "flourish.ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the deployment checks)
