"""Editors and Publishers may edit guides; only Publishers may publish one (see inquiry.editorial.roles)."""

from django.db import migrations

from inquiry.editorial.roles import EDITOR, PUBLISHER, grant_editorial_permissions


def grant(apps, schema_editor):
    grant_editorial_permissions(
        apps,
        app_label="guide",
        models=["flow", "question", "choice", "outcome", "outcomeprocedure"],
        # Answers and an outcome's procedures are rows edited on their question's or outcome's page.
        inline_models=["choice", "outcomeprocedure"],
        publish_codenames=["publish_flow"],
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    guide = Permission.objects.filter(content_type__app_label="guide")
    for group in Group.objects.filter(name__in=[EDITOR, PUBLISHER]):
        group.permissions.remove(*guide)


class Migration(migrations.Migration):
    dependencies = [
        ("guide", "0002_history_review_and_publish_permission"),
        ("editorial", "0001_editorial_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
