"""search.0010 adds the questions column to the documents of a site that already has content: on
SQLite that remakes the table, which drops the full-text index's triggers. Forward and back, the index
must still follow edits, and the existing documents get their questions. In a database of its own."""

import pytest

from tests.support.shell import run_in_shell

pytestmark = pytest.mark.slow

SCRIPT = """
from django.core.management import call_command
from django.db import connection

URL = "/en/faq/lost-card-what-to-do/"

def triggers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_fts_%'")
        return cursor.fetchone()[0]

def raw_edit_is_indexed(word):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE search_document SET title_tokens = %s WHERE url = %s", [word, URL])
        cursor.execute("SELECT count(*) FROM search_fts_en WHERE search_fts_en MATCH %s", [word])
        return cursor.fetchone()[0] == 1

call_command("migrate", verbosity=0)
call_command("load_content", verbosity=0)
at_head = triggers()
assert at_head > 0

# Back to 0009 (a rollback): the column is removed, the triggers are there again.
call_command("migrate", "search", "0009", verbosity=0)
assert triggers() == at_head, (triggers(), at_head)
assert raw_edit_is_indexed("zorblatwombat"), "0009: the index follows edits"

# Forward again, with documents in the table: they get their questions, the index still follows edits.
call_command("migrate", "search", verbosity=0)
assert triggers() == at_head, (triggers(), at_head)
from inquiry.faq.models import Article
from inquiry.search.models import Document
from inquiry.search.selectors import search
article = Article.objects.get(slug="lost-card-what-to-do")
questions = Document.objects.get(url=URL).questions.splitlines()
assert questions[0] == Document.objects.get(url=URL).title and questions[1:] == article.also_asked_en.splitlines()
assert not Document.objects.filter(questions="").exists()
article.title_en = "Quokkawombat lost card"
article.save()
assert URL in [result.url for result in search(query="quokkawombat", language="en").results]
print("questions migration ok")
"""


def test_the_questions_column_keeps_the_index_in_step_forward_and_back(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'questions.sqlite3'}"
    assert "questions migration ok" in run_in_shell(SCRIPT, database_url=database_url, tmp_path=tmp_path)
