"""The worker's self-check: `flourish worker --probe` queues a probe and waits for a
worker to finish it, so an operator (or a test) sees the whole path work: queue, claim,
progress, result. It takes `seconds` to finish, in steps, and writes its result once at
the end, so a worker killed half-way leaves nothing but progress behind."""

import time

from django.utils import timezone

from .registry import handler

PROBE = "jobs.probe"


@handler(PROBE, max_attempts=3)
def probe(context, seconds: float = 0, steps: int = 10, marker: str = "") -> dict:
    for step in range(steps):
        context.progress(100 * step // steps, f"Step {step + 1} of {steps}")
        time.sleep(seconds / steps)
    return {"message": f"The worker finished the probe at {timezone.now():%H:%M:%S}.", "marker": marker,
            "attempt": context.job.attempts}
