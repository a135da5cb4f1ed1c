"""flourish feedback tick — what a scheduler runs (e.g. hourly from cron or a systemd
timer): closes cycles whose closing date has passed (releasing their reports) and sends
the automatic reminders a week and two days before a closing date."""

from django.core.management.base import BaseCommand

from flourish.feedback import actions


class Command(BaseCommand):
    help = "Scheduled work for 360° feedback: close due cycles, send due reminders."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        verbs.add_parser("tick", help="close due cycles, then send due reminders (run hourly or daily)")
        verbs.add_parser("close-due", help="close cycles whose closing date has passed")
        verbs.add_parser("remind-due", help="send reminders that are due")

    def handle(self, *args, verb, **options):
        if verb in ("tick", "close-due"):
            closed = actions.close_due_cycles()
            released = sum(1 for c in closed if c.is_released)
            self.stdout.write(f"closed {len(closed)} cycle(s), {released} report(s) released")
        if verb in ("tick", "remind-due"):
            self.stdout.write(f"sent {actions.send_due_reminders()} reminder(s)")
