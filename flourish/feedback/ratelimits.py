"""One per-address budget for every page reached from a rater's personal link (the
questionnaire and the research-consent page). Tokens cannot be guessed; the limit stops
anyone from trying. The rates are settings, so a deployment (and the tests) can tune them."""

from django.conf import settings
from django_ratelimit.decorators import ratelimit


def read_rate(group, request) -> str:
    return settings.RATER_LINK_READ_RATE


def write_rate(group, request) -> str:
    return settings.RATER_LINK_WRITE_RATE


def limit_rater_links(view):
    view = ratelimit(group="feedback.rater-links.write", key="ip", rate=write_rate, method="POST", block=True)(view)
    return ratelimit(group="feedback.rater-links.read", key="ip", rate=read_rate, method=["GET", "HEAD"], block=True)(view)
