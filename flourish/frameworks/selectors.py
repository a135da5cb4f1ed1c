"""Queries about frameworks that other apps' pages and the API share."""

from django.db.models import OuterRef, QuerySet, Subquery

from .models import Framework, FrameworkVersion


def latest_versions(frameworks: QuerySet[Framework]) -> QuerySet[FrameworkVersion]:
    """The latest version of each of ``frameworks`` (those with none are left out), with its
    framework, in one query however many frameworks there are."""
    newest = FrameworkVersion.objects.filter(framework=OuterRef("framework")).order_by("-version")
    return (FrameworkVersion.objects.filter(framework__in=frameworks, version=Subquery(newest.values("version")[:1]))
            .select_related("framework"))


def default_version() -> FrameworkVersion | None:
    """The latest version of the default framework (the model), or None if it is not loaded."""
    from .actions import default_framework_slug

    framework = Framework.objects.filter(slug=default_framework_slug()).first()
    return framework.latest() if framework is not None else None
