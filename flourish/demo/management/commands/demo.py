"""flourish demo — an idempotent demo organisation to explore Flourish with."""

from django.core.management.base import BaseCommand
from django.db import transaction

from flourish.demo import organisation as demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisation, its people and example data."

    def handle(self, *args, **options):
        with transaction.atomic():
            summary = demo.create()
        self.stdout.write(summary)
