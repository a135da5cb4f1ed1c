"""Background work that outlives a request: a Job (what to do, how far it got, why it
failed) and a Delivery (one email, and whether the mail server accepted it).

The queue itself (django-tasks: the database backend by default, RQ on Redis in
production) only carries a job's id. Our rows are the truth: a job is claimed, retried,
recovered after a dead worker and shown to the person who asked for it from here, so the
behaviour is the same whichever backend carries it."""

import uuid

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=80)
    # What makes two requests the same piece of work ("feedback.close:12"): queuing it again
    # returns the existing job, so a double click or a second tick never does the work twice.
    key = models.CharField(max_length=200, unique=True)
    label = models.CharField(max_length=200, help_text="What the person is told this job is.")
    args = models.JSONField(default=dict, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="jobs")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    progress_text = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=5)
    run_after = models.DateTimeField()
    # A running job whose lease runs out belonged to a worker that died (SIGKILL, power
    # cut): `recover_abandoned` queues it again. Progress reports renew the lease.
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "run_after"])]
        ordering = ["-created"]

    def __str__(self):
        return f"{self.label} ({self.get_status_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Not yet delivered"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One outgoing email. `purpose` + `object_key` say what it is for ("feedback.invitation",
    "rater:12"), so a page can show whether that rater's invitation has gone.

    The body can hold a secret link (a rater's token): it is kept only until the mail server
    accepts the message, so that retries and "resend" can send the very same message, and
    blanked as soon as it is sent. Only the token's hash lives on in the app's own table."""

    purpose = models.CharField(max_length=60)
    object_key = models.CharField(max_length=120)
    to = models.EmailField()
    # "Name <address>" of the organisation it is sent for (its admin's sender name), or blank
    # for DEFAULT_FROM_EMAIL.
    from_email = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=250)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["purpose", "object_key"]), models.Index(fields=["status"])]
        ordering = ["created"]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.purpose} to {self.to} ({self.status})"


class JobFile(models.Model):
    """A job's output file (a PDF): kept in the database, so every web and worker process
    sees it and a backup holds it, and removed with its job."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="file")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    data = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.filename} (job #{self.job_id})"


class JobUpload(models.Model):
    """A file a job works on (a large import), held until the job has used it: deleted in
    the same transaction as the import it fed, so research data is not kept twice."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="upload")
    filename = models.CharField(max_length=200)
    data = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.filename} (upload for job #{self.job_id})"
