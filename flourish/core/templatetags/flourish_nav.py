"""The service navigation: each menu item, marked as the current one where the page belongs
to its section (GOV.UK's active item, with aria-current for screen readers)."""

from django import template
from django.urls import reverse

register = template.Library()

# A page's section, from its URL namespace; the journal is a section of its own within
# development, coding projects belong to research, audit and rights to the organisation.
SECTIONS = {"qualitative": "research", "audit": "orgadmin", "rights": "account"}


def section_of(match) -> str:
    if match is None:
        return ""
    namespace = match.namespace.split(":")[0]
    if namespace == "development" and (match.url_name or "").startswith(("journal", "new_entry", "entry",
                                                                         "edit_entry", "delete_entry")):
        return "journal"
    if not namespace:
        return "account" if (match.url_name or "").startswith(("account", "password")) else ""
    return SECTIONS.get(namespace, namespace)


@register.inclusion_tag("core/nav_item.html", takes_context=True)
def nav_item(context, section: str, url_name: str, label: str):
    request = context.get("request")
    return {"href": reverse(url_name), "label": label,
            "current": section_of(getattr(request, "resolver_match", None)) == section}
