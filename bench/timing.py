"""Shared by the benchmark scripts (run as `python bench/<script>.py`, so this folder is on
the import path)."""

import statistics
import time


def median_time(fn, repeat: int) -> float:
    """Median wall-clock seconds of `repeat` calls of `fn`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
