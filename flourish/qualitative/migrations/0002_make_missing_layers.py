"""Every project gets its consensus and assistant layers, and every member their own layer,
now that pages only read layers (they used to make them on first view)."""

from django.db import migrations


def make_missing_layers(apps, schema_editor):
    Project = apps.get_model("qualitative", "Project")
    Coder = apps.get_model("qualitative", "Coder")
    ProjectMember = apps.get_model("qualitative", "ProjectMember")
    for project in Project.objects.all():
        for kind, name in (("consensus", "Consensus"), ("assistant", "Assistant")):
            if not Coder.objects.filter(project=project, kind=kind).exists():
                Coder.objects.create(project=project, kind=kind, name=name)
    for member in ProjectMember.objects.select_related("user"):
        if not Coder.objects.filter(project_id=member.project_id, user_id=member.user_id).exists():
            user = member.user
            name = f"{user.first_name} {user.last_name}".strip() or user.email
            Coder.objects.create(project_id=member.project_id, user_id=member.user_id, kind="person", name=name)


class Migration(migrations.Migration):
    dependencies = [("qualitative", "0001_initial")]
    operations = [migrations.RunPython(make_missing_layers, migrations.RunPython.noop)]
