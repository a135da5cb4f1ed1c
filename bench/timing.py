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


def cpu_ms(fn, runs: int) -> float:
    """Median CPU milliseconds (this process) of `runs` calls of `fn`."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def write_results(lines: list[str], path: str) -> None:
    """A benchmark's Markdown, printed and written to `path` (a RESULTS-*.md file)."""
    text = "\n".join(lines) + "\n"
    print(text)
    with open(path, "w") as fh:
        fh.write(text)
