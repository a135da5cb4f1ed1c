from django.db import models


class FloorRow(models.Model):
    """One row written per request by the load benchmark's floor view (bench/bench_load.py):
    the cheapest write a request can make, measured beside the rater's submit. Empty
    outside a benchmark; the view exists only with FLOURISH_BENCH_FLOOR=1."""

    written_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Floor row #{self.pk}"
