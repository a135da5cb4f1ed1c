from django import template

register = template.Library()


@register.filter
def score(value):
    """A score to two decimals, or a dash when there is none."""
    return "—" if value is None else f"{value:.2f}"


@register.filter
def signed(value):
    """A change with its sign (+0.25, −0.50), or a dash when there is none."""
    if value is None:
        return "—"
    return f"+{value:.2f}" if value > 0 else f"−{abs(value):.2f}" if value < 0 else "0.00"
