"""The Editor and Publisher groups, with their permissions on the content that exists so far."""

from django.db import migrations

from inquiry.editorial.roles import EDITOR, PUBLISHER, grant_editorial_permissions

CONTENT = [
    {"app_label": "law", "models": ["law", "chapter", "lawarticle"], "inline_models": ["chapter"]},
    {
        "app_label": "cards",
        "models": ["procedure", "procedurestep", "account", "accountstate", "statetransition"],
        "inline_models": ["procedurestep", "accountstate", "statetransition"],
    },
    {"app_label": "faq", "models": ["topic", "article"], "publish_codenames": ["publish_article"]},
]


def create_roles(apps, schema_editor):
    for content in CONTENT:
        grant_editorial_permissions(apps, **content)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, PUBLISHER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("law", "0002_chapter_stamps_and_history"),
        ("cards", "0002_history"),
        ("faq", "0002_history_and_publish_permission"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
