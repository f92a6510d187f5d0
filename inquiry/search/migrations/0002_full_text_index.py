"""The full-text index over search_document: an FTS5 table per language with triggers on SQLite, a
generated tsvector column with a GIN index on PostgreSQL. Not expressible as Django fields, so it is
written by the backend classes; `rebuild_search_index` creates whatever is missing as well.

On SQLite, a later migration that alters search_document remakes the table and drops its triggers:
such a migration must call `SqliteIndex().install()` again (or run rebuild_search_index)."""

from django.db import migrations


def install(apps, schema_editor):
    from inquiry.search.backends import index_for

    with schema_editor.connection.cursor() as cursor:
        index_for(schema_editor.connection).install(cursor)


def uninstall(apps, schema_editor):
    from inquiry.search.backends import index_for

    with schema_editor.connection.cursor() as cursor:
        index_for(schema_editor.connection).uninstall(cursor)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
