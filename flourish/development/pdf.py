"""A development plan as an A4 PDF (WeasyPrint) from `development/plan_print.html`:
system fonts, its own print stylesheet, nothing fetched from the network."""

from django.template.loader import render_to_string
from django.utils import timezone

from .presenters import plan_context


def render_print_html(plan) -> str:
    return render_to_string("development/plan_print.html", {**plan_context(plan), "printed": timezone.localdate()})


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"the plan PDF fetches nothing ({url})")


def render_pdf(plan) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_print_html(plan), url_fetcher=_no_fetch).write_pdf()
