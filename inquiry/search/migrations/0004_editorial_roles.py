from django.db import migrations

from inquiry.editorial.roles import grant_editorial_permissions


def grant(apps, schema_editor):
    # Editors and Publishers choose recommended results like any other content.
    grant_editorial_permissions(apps, app_label="search", models=["recommendation"])


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_recommendation_history"),
        ("editorial", "0001_editorial_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
