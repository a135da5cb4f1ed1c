from django.db import migrations, models

# On PostgreSQL the database itself keeps the log append-only: no UPDATE ever, and DELETE
# only in a transaction that set flourish.audit_purge (retention's purge_before()).
# TRUNCATE is left alone: it is not row-level, and the test runner's flush uses it.
FORBID = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('flourish.audit_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_entry is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
UNFORBID = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""
# SQLite has no session settings for the purge to set, so there only UPDATE is refused by
# a trigger; deletes are refused by the model's guard.
SQLITE_FORBID = """
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only (UPDATE refused)'); END;
"""
SQLITE_UNFORBID = "DROP TRIGGER IF EXISTS audit_entry_no_update;"


def forbid(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(FORBID, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORBID)


def unforbid(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(UNFORBID, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UNFORBID)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Entry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("organisation_id", models.BigIntegerField(db_index=True, null=True)),
                ("actor_id", models.BigIntegerField(db_index=True, null=True)),
                ("actor_email", models.CharField(blank=True, max_length=254)),
                ("verb", models.CharField(db_index=True, max_length=40)),
                ("object_type", models.CharField(blank=True, max_length=60)),
                ("object_id", models.CharField(blank=True, max_length=40)),
                ("object_label", models.CharField(blank=True, max_length=200)),
                ("address", models.GenericIPAddressField(null=True)),
                ("details", models.JSONField(default=dict)),
            ],
            options={"ordering": ["-at", "-pk"], "verbose_name_plural": "audit entries"},
        ),
        migrations.RunPython(forbid, unforbid),
    ]
