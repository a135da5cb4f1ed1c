"""`JournalEntry.shared_set_id` (an integer) becomes `shared_set`, a foreign key to the sets
app's LearningSet. Entries keep their sharing; an id of a set that no longer exists becomes
"not shared" (there is no set left to read it)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_sharing(apps, schema_editor):
    JournalEntry = apps.get_model("development", "JournalEntry")
    LearningSet = apps.get_model("sets", "LearningSet")
    existing = set(LearningSet.objects.values_list("pk", flat=True))
    for entry in JournalEntry.objects.filter(shared_set_old__isnull=False):
        entry.shared_set_id = entry.shared_set_old if entry.shared_set_old in existing else None
        entry.save(update_fields=["shared_set"])


def copy_sharing_back(apps, schema_editor):
    JournalEntry = apps.get_model("development", "JournalEntry")
    for entry in JournalEntry.objects.filter(shared_set__isnull=False):
        entry.shared_set_old = entry.shared_set_id
        entry.save(update_fields=["shared_set_old"])


class Migration(migrations.Migration):
    dependencies = [
        ("development", "0001_initial"),
        ("sets", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("journalentry", "shared_set_id", "shared_set_old"),
        migrations.AddField(
            model_name="journalentry",
            name="shared_set",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="shared_journal_entries", to="sets.learningset"),
        ),
        migrations.RunPython(copy_sharing, copy_sharing_back),
        migrations.RemoveField("journalentry", "shared_set_old"),
    ]
