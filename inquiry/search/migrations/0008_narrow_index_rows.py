"""PostgreSQL: the index's settings for speed (out-of-line vectors, short GIN pending lists; see
PostgresIndex.install). Installing again is harmless on either database: every step is idempotent.
Rows already indexed keep their layout until `rebuild_search_index` writes them again."""

from django.db import migrations


def install(apps, schema_editor):
    from inquiry.search.backends import index_for

    with schema_editor.connection.cursor() as cursor:
        index_for(schema_editor.connection).install(cursor)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_document_language_index")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop, elidable=False)]
