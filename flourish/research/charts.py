"""Simple, accessible SVG charts for the model's tests. Each chart has a title and a
description for screen readers, and the page shows the same numbers as a table."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

LABEL_W = 120
BAR_W = 400
ROW_H = 22
HEAD_H = 26
BLUE = "#1d70b8"
INK = "#0b0c0c"
GREY = "#505a5f"


def _axis(y_top, y_bottom, ticks=(0, 0.2, 0.4, 0.6, 0.8, 1.0)):
    parts = []
    for t in ticks:
        x = LABEL_W + t * BAR_W
        parts.append(f'<line x1="{x:.1f}" y1="{y_top}" x2="{x:.1f}" y2="{y_bottom}" stroke="#b1b4b6" '
                     'stroke-width="1"/>')
        parts.append(f'<text x="{x:.1f}" y="{y_bottom + 16}" font-size="13" text-anchor="middle" '
                     f'fill="{GREY}">{t:.1f}</text>')
    return parts


def _svg(chart_id, title, desc, height, body):
    width = LABEL_W + BAR_W + 70
    return mark_safe(
        f'<svg class="flourish-research-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        + "".join(body) + "</svg>"
    )


def loadings(model, var_to_item, processes):
    """Standardised loadings of one model, grouped by factor."""
    names = {p["factor"]: p["name"] for p in processes}
    groups: dict[str, list] = {}
    for ld in model["loadings"]:
        groups.setdefault(ld["factor"], []).append(ld)
    body, y = [], 10
    for factor, rows in groups.items():
        body.append(f'<text x="0" y="{y + 16}" font-size="14" font-weight="bold" fill="{INK}">'
                    f'{escape(names.get(factor, factor))}</text>')
        y += HEAD_H
        for ld in rows:
            value = ld["std_all"] or 0.0
            w = max(0.0, min(1.0, value)) * BAR_W
            item = var_to_item.get(ld["var"], ld["var"])
            body.append(f'<text x="{LABEL_W - 8}" y="{y + 15}" font-size="13" text-anchor="end" fill="{INK}">'
                        f'{escape(item)}</text>')
            body.append(f'<rect x="{LABEL_W}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 6}" fill="{BLUE}"/>')
            body.append(f'<text x="{LABEL_W + w + 6:.1f}" y="{y + 15}" font-size="13" fill="{INK}">'
                        f'{value:.2f}</text>')
            y += ROW_H
    top = 10
    body = _axis(top, y) + body
    return _svg("loadings", f"Standardised loadings: {model['name']}",
                "Horizontal bars, one per item, grouped by factor; the length is the standardised loading "
                "from 0 to 1. The table below gives the same numbers.", y + 30, body)


def reliability(rows):
    """Cronbach's alpha per process, with its 95% confidence interval and a line at .70."""
    ok = [r for r in rows if r.get("ok") and r.get("alpha") is not None]
    if not ok:
        return None
    body, y = [], 10
    for r in ok:
        a = max(0.0, min(1.0, r["alpha"]))
        lo = max(0.0, min(1.0, r["alpha_ci_lower"] or a))
        hi = max(0.0, min(1.0, r["alpha_ci_upper"] or a))
        body.append(f'<text x="{LABEL_W - 8}" y="{y + 15}" font-size="13" text-anchor="end" fill="{INK}">'
                    f'{escape(r["name"][:18])}</text>')
        body.append(f'<rect x="{LABEL_W}" y="{y + 3}" width="{a * BAR_W:.1f}" height="{ROW_H - 6}" fill="{BLUE}"/>')
        body.append(f'<line x1="{LABEL_W + lo * BAR_W:.1f}" y1="{y + 11}" x2="{LABEL_W + hi * BAR_W:.1f}" '
                    f'y2="{y + 11}" stroke="{INK}" stroke-width="2"/>')
        body.append(f'<text x="{LABEL_W + max(a, hi) * BAR_W + 6:.1f}" y="{y + 15}" font-size="13" fill="{INK}">'
                    f'{r["alpha"]:.2f}</text>')
        y += ROW_H + 4
    x70 = LABEL_W + 0.7 * BAR_W
    body = _axis(10, y) + body + [
        f'<line x1="{x70:.1f}" y1="6" x2="{x70:.1f}" y2="{y}" stroke="{INK}" stroke-width="1" '
        'stroke-dasharray="4 3"/>']
    return _svg("alpha", "Cronbach's alpha per process",
                "Horizontal bars, one per process; the length is alpha from 0 to 1, the black line across "
                "each bar its 95% confidence interval, the dashed line marks .70. The table below gives the "
                "same numbers.", y + 30, body)
