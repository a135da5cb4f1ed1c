"""flourish retention apply [--dry-run]

Run daily from the scheduler: de-identifies or deletes what each organisation's retention
periods say has expired (see flourish/orgadmin/retention.py). --dry-run lists it only."""

from datetime import datetime, time

from django.core.management.base import BaseCommand
from django.utils import timezone

from flourish.core.management_utils import fail
from flourish.orgadmin import retention


class Command(BaseCommand):
    help = "Delete or de-identify records whose retention period has passed."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        apply = verbs.add_parser("apply", help="apply the retention periods (--dry-run: only list)")
        apply.add_argument("--dry-run", action="store_true", help="list what would go; change nothing")
        apply.add_argument("--as-of", metavar="YYYY-MM-DD",
                           help="act as if today were this date (to check what a later run will remove)")

    def handle(self, *args, verb, **options):
        getattr(self, f"handle_{verb}")(**options)

    def handle_apply(self, dry_run, as_of, **options):
        now = timezone.now()
        if as_of:
            try:
                now = timezone.make_aware(datetime.combine(datetime.fromisoformat(as_of).date(), time.max))
            except ValueError:
                fail(f"--as-of {as_of!r} is not a date: give it as YYYY-MM-DD")
        result = retention.plan(now) if dry_run else retention.apply(now)
        lines = result.lines()
        if not lines:
            self.stdout.write("Nothing has expired.")
        for line in lines:
            self.stdout.write(("Would remove – " if dry_run else "Removed – ") + line)
