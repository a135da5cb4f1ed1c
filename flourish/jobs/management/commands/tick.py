from django.core.management.base import BaseCommand

from flourish.jobs import actions, scheduling


class Command(BaseCommand):
    help = ("Queue the periodic work that is due (closing due feedback rounds, reminders, plan-review "
            "reminders, housekeeping) and recover abandoned jobs. Run it from cron every 5-15 minutes.")

    def add_arguments(self, parser):
        parser.add_argument("--run", action="store_true",
                            help="Also run the due periodic jobs in this process (when no worker is running).")

    def handle(self, *, run, **options):
        for job in scheduling.tick():
            if run:
                actions.execute(job.pk)
                job.refresh_from_db()
            self.stdout.write(f"{job.kind}: {job.get_status_display().lower()}")
