"""flourish development remind — what a scheduler runs once a day (cron or a systemd
timer, e.g. `15 7 * * * /path/to/.venv/bin/flourish development remind`): emails each
leader whose development-plan review is due within two days. Each review is reminded
once, so running it more often does no harm."""

from django.core.management.base import BaseCommand

from flourish.development import actions


class Command(BaseCommand):
    help = "Scheduled work for development plans: send review reminders that are due."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        verbs.add_parser("remind", help="email leaders whose plan review is due within two days (run daily)")

    def handle(self, *args, verb, **options):
        if verb == "remind":
            self.stdout.write(f"sent {actions.send_due_review_reminders()} review reminder(s)")
