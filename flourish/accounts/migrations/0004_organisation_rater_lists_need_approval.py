from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_organisation_show_line_manager_separately")]

    operations = [
        # Existing organisations get the protection too: it only changes how new rounds
        # open and who sees later additions to rounds that have an approver.
        migrations.AddField(
            model_name="organisation",
            name="rater_lists_need_approval",
            field=models.BooleanField(
                default=True, verbose_name="rater lists need approval",
                help_text="Each leader's list of people to ask, and every later addition, goes to an approver first.",
            ),
        ),
    ]
