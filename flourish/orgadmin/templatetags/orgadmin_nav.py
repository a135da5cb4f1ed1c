from django import template

from flourish.accounts.models import Organisation, Role
from flourish.accounts.permissions import organisations_for

register = template.Library()


@register.simple_tag
def is_first_run() -> bool:
    """An empty install: no organisation yet, so the home page says how to begin."""
    return not Organisation.objects.exists()


@register.simple_tag
def is_org_admin(user) -> bool:
    return organisations_for(user, Role.ADMIN).exists()
