"""Deployment checks (`flourish check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def email_is_sent_in_production(app_configs, **kwargs):
    """Without EMAIL_HOST, mail goes to the console backend: password-reset links and
    rater invitations would be written to the process log for anyone who reads it."""
    if settings.DEBUG or settings.EMAIL_HOST:
        return []
    return [Error(
        "EMAIL_HOST is not set, so mail (password-reset links, rater invitations) would be "
        "printed to the log instead of sent.",
        hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to your mail "
             "server. See docs/deploy.md.",
        id="flourish.E001",
    )]


@register(Tags.security, deploy=True)
def no_benchmark_view_in_production(app_configs, **kwargs):
    if settings.DEBUG or not settings.BENCH_FLOOR:
        return []
    return [Error(
        "FLOURISH_BENCH_FLOOR is on: the load benchmark's unauthenticated write view is routed.",
        hint="Unset FLOURISH_BENCH_FLOOR outside bench/bench_load.py.",
        id="flourish.E002",
    )]
