"""flourish audit export --organisation NAME [--since DATE] [--until DATE] --output FILE

The organisation's audit log as CSV, as its admins download it (formula-escaped cells)."""

from datetime import date

from django.core.management.base import BaseCommand

from flourish.accounts.models import Organisation
from flourish.audit import selectors
from flourish.audit.actions import record
from flourish.core.management_utils import fail, write_output


def a_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{text!r} is not a date: give it as YYYY-MM-DD")


class Command(BaseCommand):
    help = "Export an organisation's audit log as CSV."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        export = verbs.add_parser("export", help="write the audit log as CSV")
        export.add_argument("--organisation", required=True, help="the organisation's exact name")
        export.add_argument("--since", help="first day to include (YYYY-MM-DD)")
        export.add_argument("--until", help="last day to include (YYYY-MM-DD)")
        export.add_argument("--person", default="", help="only entries by people whose email contains this")
        export.add_argument("--output", help="the CSV file to write (default: standard output)")

    def handle(self, *args, verb, **options):
        getattr(self, f"handle_{verb}")(**options)

    def handle_export(self, organisation, since, until, person, output, **options):
        found = Organisation.objects.filter(name=organisation).first()
        if found is None:
            fail(f"No organisation is called {organisation!r} (flourish organisation list shows them).")
        entries = selectors.entries_for(found, person=person, since=since and a_date(since),
                                        until=until and a_date(until))
        count = entries.count()
        write_output(selectors.as_csv(entries), output, self.stdout)
        record(None, "audit-exported", found, since=since or "", until=until or "", rows=count)
        if output:
            self.stdout.write(f"Wrote {count} entr{'y' if count == 1 else 'ies'} to {output}")
