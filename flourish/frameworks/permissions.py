from django.db.models import Q, QuerySet
from django.http import Http404

from flourish.accounts.permissions import organisations_for
from flourish.core.lookups import get_or_404

from .models import Framework, FrameworkVersion


def frameworks_for(user) -> QuerySet[Framework]:
    """Published frameworks, plus the user's organisations' own ones."""
    return Framework.objects.filter(
        Q(organisation__isnull=True) | Q(organisation__in=organisations_for(user))
    )


def get_framework_for_user(user, slug: str) -> Framework:
    return get_or_404(frameworks_for(user), "framework", slug=slug)


def get_version_for_user(user, slug: str, version: int | None = None) -> FrameworkVersion:
    framework = get_framework_for_user(user, slug)
    versions = framework.versions.all()
    found = versions.filter(version=version).first() if version else versions.first()
    if found is None:
        raise Http404("No such framework version.")
    return found
