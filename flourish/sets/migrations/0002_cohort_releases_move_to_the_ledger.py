"""Cohort releases move into the disclosure ledger (one model of what was released to
whom). Every earlier release is copied, as the equation it gave away, so the joint audit
still counts what facilitators have already seen."""

from django.db import migrations


def copy_to_ledger(apps, schema_editor):
    CohortRelease = apps.get_model("sets", "CohortRelease")
    Release = apps.get_model("disclosure", "Release")
    for old in CohortRelease.objects.order_by("released_at", "pk"):
        terms = []
        for entry in sorted(old.inputs):
            leader, _, version = str(entry).partition(":")
            terms.append([f"leader:{leader}", f"{old.key}@{version}", 1])
        new = Release.objects.create(
            audience=f"set:{old.learning_set_id}:facilitator", subject=f"set:{old.learning_set_id}",
            key=old.key, equation=terms, value=old.value,
        )
        Release.objects.filter(pk=new.pk).update(released_at=old.released_at)  # keep the date


def copy_back(apps, schema_editor):
    CohortRelease = apps.get_model("sets", "CohortRelease")
    Release = apps.get_model("disclosure", "Release")
    for new in Release.objects.filter(audience__startswith="set:", audience__endswith=":facilitator"):
        inputs = [f"{r.partition(':')[2]}:{v.partition('@')[2]}" for r, v, _ in new.equation]
        old = CohortRelease.objects.create(
            learning_set_id=int(new.subject.partition(":")[2]), key=new.key, inputs=sorted(inputs), value=new.value,
        )
        CohortRelease.objects.filter(pk=old.pk).update(released_at=new.released_at)


class Migration(migrations.Migration):
    dependencies = [
        ("sets", "0001_initial"),
        ("disclosure", "0001_release_ledger"),
    ]

    operations = [
        migrations.RunPython(copy_to_ledger, copy_back),
        migrations.DeleteModel(name="CohortRelease"),
    ]
