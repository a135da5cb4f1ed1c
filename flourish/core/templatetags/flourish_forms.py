"""Renders a Django form widget with govuk-frontend classes and ARIA links to its hint
and error, so every form reads the same to a screen reader."""

from django import template

register = template.Library()

CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


@register.simple_tag
def govuk_widget(field):
    widget = field.field.widget
    kind = getattr(widget, "input_type", None) or (
        "textarea" if widget.__class__.__name__ == "Textarea" else "select"
    )
    css = CLASSES.get(kind, "govuk-input")
    if field.errors:
        css += {"textarea": " govuk-textarea--error", "select": " govuk-select--error"}.get(
            kind, " govuk-input--error"
        )
    attrs = {"class": css}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
