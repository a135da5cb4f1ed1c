"""flourish report CYCLE --format json|pdf|html [--output FILE] — a released report.

Every format renders the report stored when the cycle closed (`cycle.report`), exactly
as the page and the API do. A report that is not released is an error (exit 1).
"""

from django.core.management.base import BaseCommand

from flourish import audit
from flourish.core.management_utils import check_choice, fail, object_id, write_output
from flourish.feedback.models import Cycle
from flourish.feedback.presenters import not_released_message, report_json_text

FORMATS = ("json", "pdf", "html")


class Command(BaseCommand):
    help = "Print or save a cycle's released 360° feedback report as JSON, PDF or HTML."

    def add_arguments(self, parser):
        parser.add_argument("cycle", help="the cycle's id (a whole number)")
        parser.add_argument("--format", default="json", help="json (default), pdf or html")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, cycle, format, output, **options):
        check_choice(format, FORMATS)
        pk = object_id(cycle, "CYCLE", "a cycle")
        found = Cycle.objects.select_related("framework_version__framework").filter(pk=pk).first()
        if found is None:
            fail(f"no cycle with id {pk}")
        if not found.is_released:
            fail(f"cycle {pk}: {not_released_message(found)}")
        if format == "json":
            data = report_json_text(found.report)
        else:
            from flourish.feedback import pdf

            data = pdf.render_pdf(found) if format == "pdf" else pdf.render_print_html(found)
        write_output(data, output, self.stdout)
        audit.record(None, f"report-{format}-downloaded", found, via="command line")
