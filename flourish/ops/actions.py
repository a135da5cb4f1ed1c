"""Writes of the ops app (only the benchmark floor)."""

from django.db import transaction

from .models import FloorRow


@transaction.atomic
def write_floor_row() -> FloorRow:
    return FloorRow.objects.create()
