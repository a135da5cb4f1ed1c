"""The audit log: who did what to which object, when, and from where.

Append-only. Entries hold plain ids and labels, no foreign keys, so that deleting a
person, a cycle or an organisation never has to touch (update or cascade into) the log.
The model refuses updates and deletes through its API; on PostgreSQL a trigger refuses
them in the database too, except a delete that `flourish retention apply` makes inside a
transaction that says so (SET LOCAL flourish.audit_purge = 'on').
"""

from django.db import models


class AppendOnly(Exception):
    pass


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnly("Audit entries cannot be deleted (retention purges them with purge_before()).")

    def _raw_delete(self, using):  # Django's fast-delete path
        raise AppendOnly("Audit entries cannot be deleted.")


class Entry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    organisation_id = models.BigIntegerField(null=True, db_index=True)
    actor_id = models.BigIntegerField(null=True, db_index=True)
    # The actor's email when the entry was made ("" for the command line or nobody signed in).
    actor_email = models.CharField(max_length=254, blank=True)
    verb = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    address = models.GenericIPAddressField(null=True)
    details = models.JSONField(default=dict)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email or 'system'} {self.verb} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit entries cannot be deleted.")
