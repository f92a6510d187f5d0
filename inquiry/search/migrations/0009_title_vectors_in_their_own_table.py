"""PostgreSQL: the title vectors also get a table of their own, kept in the row, from which the title
tier is ranked (see PostgresIndex). Existing documents get theirs here; `rebuild_search_index` once
afterwards also groups each language's rows together. On SQLite, installing again is harmless (every
step is idempotent)."""

from django.db import migrations


def install(apps, schema_editor):
    from inquiry.search.backends import index_for

    index = index_for(schema_editor.connection)
    with schema_editor.connection.cursor() as cursor:
        index.install(cursor)
        if schema_editor.connection.vendor == "postgresql":
            index.fill_titles(cursor)
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [f"{index.TITLES}_vector"])
            cursor.execute(f"ANALYZE {index.TITLES}")


class Migration(migrations.Migration):
    dependencies = [("search", "0008_narrow_index_rows")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop, elidable=False)]
