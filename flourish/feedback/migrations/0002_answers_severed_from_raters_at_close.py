"""Answers carry their own group labels and cycle, so a closed cycle's answers can be
stored without their rater; submit days instead of times; the line manager's own consent
on their answers instead of the leader's tick box; rater-list approval for additions."""

import random

import django.db.models.deletion
from django.db import migrations, models


def copy_labels_and_days(apps, schema_editor):
    Response = apps.get_model("feedback", "Response")
    for response in Response.objects.select_related("rater").iterator():
        response.cycle_id = response.rater.cycle_id
        response.profession = response.rater.profession
        response.relationship = response.rater.relationship
        response.submitted_on = response.submitted_at.date() if response.submitted_at else None
        response.save(update_fields=["cycle", "profession", "relationship", "submitted_on"])


def sever_closed_cycles(apps, schema_editor):
    """What actions.close now does at closing, done once for the cycles already closed."""
    Cycle = apps.get_model("feedback", "Cycle")
    Response = apps.get_model("feedback", "Response")
    Rater = apps.get_model("feedback", "Rater")
    shuffle = random.SystemRandom().shuffle
    for cycle in Cycle.objects.filter(status="closed"):
        kept = Response.objects.filter(cycle=cycle, submitted_at__isnull=False).filter(
            models.Q(rater__isnull=True) | models.Q(rater__revoked_at__isnull=True)
        )
        rows = [
            dict(cycle_id=cycle.pk, profession=r.profession, relationship=r.relationship, answers=r.answers,
                 comments=r.comments, submitted_at=r.submitted_at, research_consent=r.research_consent)
            for r in kept
        ]
        Response.objects.filter(cycle=cycle).delete()
        shuffle(rows)
        Response.objects.bulk_create([Response(**row) for row in rows])
        Rater.objects.filter(cycle=cycle).update(reminded_at=None)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [
        migrations.AddField("cycle", "approval_comment", models.TextField(blank=True)),
        migrations.AddField("cycle", "live_milestones", models.JSONField(blank=True, default=list)),
        migrations.AddField("rater", "awaiting_approval", models.BooleanField(default=False)),
        migrations.RemoveField("rater", "line_manager_informed"),
        migrations.AddField(
            "response", "cycle",
            models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                              related_name="responses", to="feedback.cycle"),
        ),
        migrations.AddField(
            "response", "profession",
            models.CharField(default="", max_length=100, verbose_name="professional group"), preserve_default=False,
        ),
        migrations.AddField(
            "response", "relationship",
            models.CharField(default="", max_length=20, choices=[
                ("line manager", "Line manager"), ("peer", "Peer"), ("team member", "Team member"),
                ("partner agency", "Partner agency"),
            ]), preserve_default=False,
        ),
        migrations.AddField("response", "line_manager_consented", models.BooleanField(default=False)),
        migrations.AddField("response", "submitted_on", models.DateField(blank=True, null=True)),
        migrations.RunPython(copy_labels_and_days, migrations.RunPython.noop),
        migrations.RemoveField("response", "submitted_at"),
        migrations.RenameField("response", "submitted_on", "submitted_at"),
        migrations.AlterField("response", "submitted_at",
                              models.DateField(blank=True, null=True, verbose_name="submitted on")),
        migrations.RemoveField("response", "updated"),
        migrations.AlterField(
            "response", "cycle",
            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="responses",
                              to="feedback.cycle"),
        ),
        migrations.AlterField(
            "response", "rater",
            models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                 related_name="response", to="feedback.rater"),
        ),
        migrations.RunPython(sever_closed_cycles, migrations.RunPython.noop),
    ]
