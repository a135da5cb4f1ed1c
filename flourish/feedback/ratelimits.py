"""One per-address budget for every page reached from a rater's personal link (the
questionnaire and the research-consent page). Tokens cannot be guessed; the limit stops
anyone from trying. The budget is per real client address (`flourish.ops.clientip`:
behind a trusted proxy, the forwarded one). The rates are settings, so a deployment (and
the tests) can tune them."""

from django.conf import settings
from django_ratelimit.decorators import ratelimit

from flourish.ops.clientip import ratelimit_key


def read_rate(group, request) -> str:
    return settings.RATER_LINK_READ_RATE


def write_rate(group, request) -> str:
    return settings.RATER_LINK_WRITE_RATE


def limit_rater_links(view):
    view = ratelimit(group="feedback.rater-links.write", key=ratelimit_key, rate=write_rate, method="POST",
                     block=True)(view)
    return ratelimit(group="feedback.rater-links.read", key=ratelimit_key, rate=read_rate, method=["GET", "HEAD"],
                     block=True)(view)


def personal_link_page(view, limited):
    """The outside of every page reached by a personal link (a 360° rater's, a pulse
    respondent's): never cached, kept out of search engines, and a polite 429 page saying
    when to try again once the link's budget is spent. `limited` is the rate-limited inside."""
    from functools import wraps

    from django.shortcuts import render
    from django.views.decorators.cache import never_cache
    from django_ratelimit.exceptions import Ratelimited

    @wraps(view)
    @never_cache
    def wrapper(request, token, **kwargs):
        try:
            result = limited(request, token, **kwargs)
        except Ratelimited:
            result = render(request, "feedback/rate/too_many.html", status=429)
            result["Retry-After"] = "60"
        result["X-Robots-Tag"] = "noindex, nofollow"
        return result

    return wrapper
