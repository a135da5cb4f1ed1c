"""Read-only queries other apps use to show where their emails and jobs are."""

from dataclasses import dataclass

from .models import Delivery, DeliveryStatus, Job


def latest_deliveries(purposes: list[str], object_keys: list[str]) -> dict[str, Delivery]:
    """The newest delivery for each object key, among the given purposes."""
    latest: dict[str, Delivery] = {}
    for delivery in Delivery.objects.filter(purpose__in=purposes, object_key__in=object_keys).order_by("created", "pk"):
        latest[delivery.object_key] = delivery
    return latest


def undelivered(purposes: list[str], object_keys: list[str]) -> list[Delivery]:
    """Each object's newest message that the mail server has not accepted yet."""
    return [d for d in latest_deliveries(purposes, object_keys).values() if d.status != DeliveryStatus.SENT]


@dataclass(frozen=True)
class DeliveryProblem:
    count: int
    failed: int
    last_error: str
    only_invitations: bool = False

    @property
    def sentence(self) -> str:
        noun = ("invitation" if self.only_invitations else "email") + ("" if self.count == 1 else "s")
        if not self.last_error:
            state = "waiting to be sent"
        elif self.failed < self.count:
            state = "retrying"
        else:
            state = "no more automatic retries, resend them when the mail server is back"
        text = f"{self.count} {noun} not yet delivered: {state}"
        return text + (f"; last error: {self.last_error}" if self.last_error else "")


def delivery_problem(purposes: list[str], object_keys: list[str]) -> DeliveryProblem | None:
    pending = undelivered(purposes, object_keys)
    if not pending:
        return None
    errors = [d for d in pending if d.last_error]
    return DeliveryProblem(
        count=len(pending), failed=sum(d.status == DeliveryStatus.FAILED for d in pending),
        last_error=max(errors, key=lambda d: d.pk).last_error if errors else "",
        only_invitations=all(d.purpose.endswith(".invitation") for d in pending),
    )


def job_for_key(key: str) -> Job | None:
    return Job.objects.filter(key=key).first()


def with_delivery(objects, purposes: list[str], key) -> list:
    """`objects` as a list, each with `.delivery`: the newest delivery for it (or None).
    `key(obj)` gives its object key ("rater:12")."""
    objects = list(objects)
    latest = latest_deliveries(purposes, [key(o) for o in objects])
    for obj in objects:
        obj.delivery = latest.get(key(obj))
    return objects


def output_of(job: Job):
    """The job's output file, or None while there is none."""
    from .models import JobFile

    return JobFile.objects.filter(job=job).first()
