"""Query helpers for the self-assessment pages (and the feedback form that shares the
single-choice idiom), so views and templates run no ORM queries of their own."""

from flourish.frameworks.models import FrameworkVersion
from flourish.frameworks.permissions import frameworks_for


def latest_versions_for(user):
    """The newest version of each framework the user may use."""
    latest = [f.latest().pk for f in frameworks_for(user) if f.latest()]
    return FrameworkVersion.objects.filter(pk__in=latest).select_related("framework")


def only_choices(form, names) -> dict[str, int]:
    """For each named choice field with exactly one choice, that choice's pk: the page
    sends it as a hidden input instead of asking."""
    out = {}
    for name in names:
        choices = list(form.fields[name].queryset[:2])
        if len(choices) == 1:
            out[name] = choices[0].pk
    return out
