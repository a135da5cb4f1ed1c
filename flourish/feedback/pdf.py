"""The released report as a printable HTML document and as an A4 PDF (WeasyPrint).

Both come from `feedback/report_print.html`, which includes the same partials as the
report page (bar charts and tables only), with its own print stylesheet and system
fonts (DejaVu Sans, then Arial): no web fonts and nothing fetched from the network.
"""

from django.template.loader import render_to_string

from .presenters import branding, report_context


def render_print_html(cycle) -> str:
    """A standalone HTML document of the released report (`flourish report --format html`)."""
    return render_to_string("feedback/report_print.html",
                            {**report_context(cycle), "cycle": cycle, "branding": branding(cycle)})


def _inline_only():
    """A WeasyPrint URL fetcher that fetches nothing from the network or the disk: only the
    organisation's logo, which the document carries inline as a PNG or JPEG data: URI.
    Anything else is refused (WeasyPrint then leaves it out with a warning)."""
    from weasyprint.urls import URLFetcher

    class InlineImagesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(("data:image/png;base64,", "data:image/jpeg;base64,")):
                raise ValueError(f"the report PDF fetches nothing ({url[:60]})")
            return super().fetch(url, headers)

    return InlineImagesOnly(allowed_protocols=("data",))


def render_document(cycle):
    """The laid-out WeasyPrint document (pages and boxes) of the report."""
    from weasyprint import HTML

    return HTML(string=render_print_html(cycle), url_fetcher=_inline_only()).render()


def render_pdf(cycle) -> bytes:
    return render_document(cycle).write_pdf()
