from django.db.models import Q, QuerySet
from django.http import Http404

from flourish.accounts.permissions import organisations_for

from .models import Framework, FrameworkVersion


def frameworks_for(user) -> QuerySet[Framework]:
    """Published frameworks, plus the user's organisations' own ones."""
    return Framework.objects.filter(
        Q(organisation__isnull=True) | Q(organisation__in=organisations_for(user))
    )


def get_framework_for_user(user, slug: str) -> Framework:
    try:
        return frameworks_for(user).get(slug=slug)
    except Framework.DoesNotExist:
        raise Http404("No such framework.") from None


def get_version_for_user(user, slug: str, version: int | None = None) -> FrameworkVersion:
    framework = get_framework_for_user(user, slug)
    versions = framework.versions.all()
    found = versions.filter(version=version).first() if version else versions.first()
    if found is None:
        raise Http404("No such framework version.")
    return found
