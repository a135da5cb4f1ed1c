from django import template

register = template.Library()


@register.filter
def num(value, digits=3):
    """A number to `digits` decimals; "not available" for a missing one."""
    if value is None or value == "":
        return "n/a"
    try:
        return f"{float(value):.{int(digits)}f}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def lookup(mapping, key):
    return (mapping or {}).get(key, key)


@register.filter
def pvalue(value):
    """A p-value to four decimals, or "< 0.0001" rather than a row of zeros."""
    if value is None or value == "":
        return "n/a"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    return "< 0.0001" if value < 0.0001 else f"{value:.4f}"
