"""flourish jobs probe|recover|failed — looking after the job queue from the shell."""

import json
import time
import uuid

from django.core.management.base import BaseCommand, CommandError

from flourish.jobs import actions
from flourish.jobs.models import Job, JobStatus
from flourish.jobs.probe import PROBE


class Command(BaseCommand):
    help = "Look after the job queue: probe a worker, recover abandoned jobs, list failures."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        probe = verbs.add_parser("probe", help="queue a probe job; with --wait, wait for a worker to finish it")
        probe.add_argument("--seconds", type=float, default=0, help="how long the probe works (default 0)")
        probe.add_argument("--wait", type=float, default=0, help="wait up to this many seconds for it to finish")
        verbs.add_parser("recover", help="queue again the jobs whose worker died (the worker does this itself)")
        verbs.add_parser("failed", help="list failed jobs with their errors, as JSON lines")

    def handle(self, *args, verb, **options):
        if verb == "probe":
            marker = uuid.uuid4().hex
            job = actions.enqueue(PROBE, key=f"probe:{marker}", label="Worker probe",
                                  args={"seconds": options["seconds"], "marker": marker})
            self.stdout.write(str(job.pk))
            deadline = time.monotonic() + options["wait"]
            while options["wait"] and time.monotonic() < deadline:
                job.refresh_from_db()
                if job.status == JobStatus.DONE:
                    self.stdout.write(job.result["message"])
                    return
                if job.status == JobStatus.FAILED:
                    raise CommandError(f"The probe failed: {job.last_error}")
                time.sleep(0.5)
            if options["wait"]:
                raise CommandError(
                    f"No worker finished the probe within {options['wait']:g} s: is `flourish worker` running?"
                )
        elif verb == "recover":
            self.stdout.write(f"{actions.recover_abandoned()} job(s) queued again")
        elif verb == "failed":
            for job in Job.objects.filter(status=JobStatus.FAILED).order_by("-finished_at"):
                self.stdout.write(json.dumps({"id": str(job.pk), "kind": job.kind, "label": job.label,
                                              "attempts": job.attempts, "error": job.last_error}))
