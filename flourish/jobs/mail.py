"""Email through the job queue. `queue_mail` is called inside the action's transaction:
the Delivery and its job are written with the action or not at all, so a cycle that opens
always has its invitations queued, and a mail server that is down delays them instead of
failing the request. A Delivery is "sent" only once the mail server accepted it."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from . import actions
from .models import Delivery, DeliveryStatus, Job
from .registry import handler

DELIVER = "jobs.deliver"


def _job_key(delivery: Delivery) -> str:
    return f"delivery:{delivery.pk}"


def queue_mail(purpose: str, object_key: str, to: str, subject: str, body: str, from_email: str = "") -> Delivery:
    delivery = Delivery.objects.create(purpose=purpose, object_key=object_key, to=to, subject=subject, body=body,
                                       from_email=from_email)
    # The label never names the address: job rows outlive the retention of rater contacts.
    actions.enqueue(DELIVER, key=_job_key(delivery), label=f"An email ({purpose})",
                    args={"delivery_id": delivery.pk})
    return delivery


@handler(DELIVER, max_attempts=8)
def deliver(context, delivery_id: int) -> dict:
    delivery = Delivery.objects.get(pk=delivery_id)
    if delivery.status == DeliveryStatus.SENT:
        return {"sent_at": delivery.sent_at.isoformat()}  # run twice: sent once
    connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 30)
    try:
        EmailMessage(delivery.subject, delivery.body, delivery.from_email or None, [delivery.to],
                     connection=connection).send()
    except Exception as problem:
        delivery.attempts += 1
        delivery.last_error = f"{type(problem).__name__}: {problem}"[:1000]
        if context.job.attempts >= context.job.max_attempts:
            delivery.status = DeliveryStatus.FAILED
        delivery.save(update_fields=["attempts", "last_error", "status"])
        raise
    # Accepted by the mail server: record it, and drop the body, which may hold a rater's
    # or invitee's secret link; only its hash stays, in the app's own table. A worker
    # killed between the SMTP "250 OK" and this save sends the message once more on
    # recovery (at least once, never lost).
    delivery.attempts += 1
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.last_error = ""
    delivery.body = ""
    delivery.save(update_fields=["attempts", "status", "sent_at", "last_error", "body"])
    return {"sent_at": delivery.sent_at.isoformat()}


@transaction.atomic
def resend(deliveries) -> int:
    """Try each undelivered message again now (the leader pressed "resend"). Returns how many."""
    count = 0
    for delivery in deliveries:
        if delivery.status == DeliveryStatus.SENT:
            continue
        job = Job.objects.filter(key=_job_key(delivery)).first()
        if job is None:
            continue
        if delivery.status == DeliveryStatus.FAILED:
            Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.QUEUED)
        actions.run_now(job)
        count += 1
    return count


def forget(purpose: str, object_keys: list[str]) -> int:
    """Delete the records of these messages (sent or not), for when the fact that they were
    sent is itself something to protect. Returns how many went."""
    deleted, _ = Delivery.objects.filter(purpose=purpose, object_key__in=object_keys).delete()
    return deleted
