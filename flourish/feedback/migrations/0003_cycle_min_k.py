"""A cycle's k is `Cycle.min_k`, the same name as the one anonymity minimum it may not go
below (`flourish.lib.disclosure.MIN_K`); it was `min_group_size`. A rename keeps every
cycle's value; the check constraint names the new column."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("feedback", "0002_answers_severed_from_raters_at_close"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="cycle", name="k_at_least_three"),
        migrations.RenameField(model_name="cycle", old_name="min_group_size", new_name="min_k"),
        migrations.AddConstraint(
            model_name="cycle",
            constraint=models.CheckConstraint(condition=models.Q(min_k__gte=3), name="k_at_least_three"),
        ),
    ]
