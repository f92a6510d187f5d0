from django.db import migrations

from inquiry.editorial.roles import EDITOR, PUBLISHER, grant_editorial_permissions


def grant(apps, schema_editor):
    # Editors and Publishers keep the sources current like any other content.
    grant_editorial_permissions(apps, app_label="law", models=["source"])


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    source = Permission.objects.filter(content_type__app_label="law", codename__endswith="_source")
    for group in Group.objects.filter(name__in=[EDITOR, PUBLISHER]):
        group.permissions.remove(*source)


class Migration(migrations.Migration):
    dependencies = [
        ("law", "0003_source"),
        ("editorial", "0001_editorial_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
