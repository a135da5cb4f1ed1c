from django import template

from flourish.research.permissions import is_researcher as _is_researcher

register = template.Library()


@register.simple_tag
def is_researcher(user) -> bool:
    """{% is_researcher user as show_research %}: whether to offer the Research pages."""
    return bool(user and user.is_authenticated and _is_researcher(user))
