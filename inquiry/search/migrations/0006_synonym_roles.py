from django.db import migrations

from inquiry.editorial.roles import EDITOR, PUBLISHER, grant_editorial_permissions


def grant(apps, schema_editor):
    # Editors and Publishers keep the synonym table like any other content, and read what visitors
    # searched for in vain (the log itself is written by searches only, never edited).
    grant_editorial_permissions(apps, app_label="search", models=["synonymgroup"])
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="search", codename="view_unansweredsearch")
    for group in Group.objects.filter(name__in=[EDITOR, PUBLISHER]):
        group.permissions.add(view)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    granted = Permission.objects.filter(
        content_type__app_label="search",
        codename__in=["add_synonymgroup", "change_synonymgroup", "view_synonymgroup", "view_unansweredsearch"],
    )
    for group in Group.objects.filter(name__in=[EDITOR, PUBLISHER]):
        group.permissions.remove(*granted)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_synonyms_and_unanswered_searches"),
        ("editorial", "0001_editorial_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
