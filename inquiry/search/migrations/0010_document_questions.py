"""Each document keeps the questions its page answers (its title and, for an FAQ article, the other
phrasings of its question), from which the first pages of results are re-ranked. Existing documents
get theirs here, from the same fields the index is written from.

On SQLite, adding this column remakes the documents table, which drops the triggers that keep the
full-text index in step: they are installed again after it is added, and after it is removed when the
migration is reversed (SQLite before 3.35 has no DROP COLUMN: the table is remade then too). Every step
of `install` is idempotent."""

from django.db import migrations, models


def install_index(apps, schema_editor):
    from inquiry.search.backends import index_for

    with schema_editor.connection.cursor() as cursor:
        index_for(schema_editor.connection).install(cursor)


def fill(apps, schema_editor):
    install_index(apps, schema_editor)
    Document = apps.get_model("search", "Document")
    Article = apps.get_model("faq", "Article")
    also_asked = {}
    for article in Article.objects.all():
        for language, field in (("zh-hans", "also_asked_zh_hans"), ("en", "also_asked_en")):
            also_asked[(article.pk, language)] = getattr(article, field, "") or ""
    documents = list(Document.objects.only("id", "kind", "object_id", "language", "title"))
    for document in documents:
        extra = also_asked.get((document.object_id, document.language), "") if document.kind == "faq" else ""
        document.questions = "\n".join(part for part in (document.title, extra) if part)
    Document.objects.bulk_update(documents, ["questions"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0009_title_vectors_in_their_own_table"),
        ("faq", "0004_article_also_asked"),
    ]

    operations = [
        # Reversed last: the triggers again, after the column is removed.
        migrations.RunPython(migrations.RunPython.noop, install_index, elidable=False),
        migrations.AddField(
            model_name="document",
            name="questions",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
