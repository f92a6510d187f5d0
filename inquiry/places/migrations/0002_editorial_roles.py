from django.db import migrations

from inquiry.editorial.roles import EDITOR, PUBLISHER, grant_editorial_permissions

MODELS = ["region", "localvalue"]


def grant(apps, schema_editor):
    # Editors and Publishers keep regions and their values like any other content.
    grant_editorial_permissions(apps, app_label="places", models=MODELS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    granted = Permission.objects.filter(
        content_type__app_label="places",
        codename__in=[f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")],
    )
    for group in Group.objects.filter(name__in=[EDITOR, PUBLISHER]):
        group.permissions.remove(*granted)


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("editorial", "0001_editorial_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
