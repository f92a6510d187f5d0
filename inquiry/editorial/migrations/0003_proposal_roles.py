"""Publishers approve proposals; Editors and Publishers both see them."""

from django.db import migrations

from inquiry.editorial.roles import EDITOR, PUBLISHER


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("editorial")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    publisher, _ = Group.objects.get_or_create(name=PUBLISHER)
    view = Permission.objects.get(content_type__app_label="editorial", codename="view_proposal")
    approve = Permission.objects.get(content_type__app_label="editorial", codename="approve_proposal")
    editor.permissions.add(view)
    publisher.permissions.add(view, approve)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(
        content_type__app_label="editorial", codename__in=["view_proposal", "approve_proposal"]
    ):
        permission.group_set.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_proposal"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
