"""The released report as a printable HTML document and as an A4 PDF (WeasyPrint).

Both come from `feedback/report_print.html`, which includes the same partials as the
report page (bar charts and tables only), with its own print stylesheet and system
fonts (DejaVu Sans, then Arial): no web fonts and nothing fetched from the network.
"""

from django.template.loader import render_to_string

from .presenters import report_context


def render_print_html(cycle) -> str:
    """A standalone HTML document of the released report (`flourish report --format html`)."""
    return render_to_string("feedback/report_print.html", {**report_context(cycle), "cycle": cycle})


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"the report PDF fetches nothing ({url})")


def render_document(cycle):
    """The laid-out WeasyPrint document (pages and boxes) of the report."""
    from weasyprint import HTML

    return HTML(string=render_print_html(cycle), url_fetcher=_no_fetch).render()


def render_pdf(cycle) -> bytes:
    return render_document(cycle).write_pdf()
