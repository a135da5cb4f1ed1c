from django.core.management.base import BaseCommand

from flourish.jobs import worker


class Command(BaseCommand):
    help = ("Run queued jobs (emails, reports, PDFs, imports) until stopped. "
            "TASKS_BACKEND=database (default) or rq decides where the queue is.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run every job that is due now, then exit.")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds to wait when the queue is empty (default 1).")
        parser.add_argument("--recover-every", type=float, default=15.0,
                            help="Seconds between checks for jobs abandoned by a dead worker (default 15).")

    def handle(self, *, batch, interval, recover_every, verbosity, **options):
        import logging

        logging.getLogger("flourish.jobs").setLevel(logging.INFO if verbosity else logging.WARNING)
        if verbosity:
            self.stdout.write(f"Worker started (queue: {'database' if worker.is_database_backend() else 'rq'}).")
            self.stdout.flush()
        worker.run(batch=batch, **({"interval": interval, "recover_every": recover_every}
                                   if worker.is_database_backend() else {}))
