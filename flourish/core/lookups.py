"""The one lookup behind every app's `permissions.get_<thing>_for_user()`: a row from an
already-filtered queryset, or 404 — the same answer whether the row does not exist, belongs
to someone else, or the id in the address is not a number, so an outsider learns nothing."""

from django.db.models import Model, QuerySet
from django.http import Http404


def get_or_404(queryset: QuerySet, what: str, **lookup) -> Model:
    """``queryset.get(**lookup)``, or Http404("No such <what>.")."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No such {what}.") from None
