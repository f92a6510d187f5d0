"""backup_content / restore_content: a round trip through a file finds every row again.

Runs on whichever database the suite runs on (SQLite, and PostgreSQL in CI's second pass).
"""

import gzip
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import connection

from inquiry.core.generation import current_generation
from inquiry.faq.models import Article
from inquiry.feedback.models import Feedback
from inquiry.feedback.services import record_feedback
from inquiry.guide.models import Flow, Outcome
from inquiry.operations.backup import backed_up_models
from inquiry.search.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]


def snapshot():
    """Every backed-up row, as the serializer sees it: primary key, every field, every link."""
    rows = {}
    for model in backed_up_models():
        data = serializers.serialize("python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True)
        rows[model._meta.label] = data
    return rows


def wipe():
    """Empty every table, as a new database would be (flush, then migrate's own rows come back)."""
    if connection.vendor == "postgresql":
        # PostgreSQL will not TRUNCATE tables with foreign-key checks still pending in this (test's)
        # transaction: run them now, and go back to checking at commit afterwards.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def made_by_people():
    """What the shipped content does not have: an account, an edit of theirs in history, feedback."""
    editor = get_user_model().objects.create_user("backup-editor", password="a-long-enough-password-7")
    article = Article.objects.order_by("pk").first()
    article.title_en = f"{article.title_en} (edited)"
    article._history_user = editor
    article.save()
    outcome = Outcome.objects.order_by("pk").first()
    record_feedback(page_kind="article", object_id=article.pk, language="en", helpful=True, comment="清楚 clear")
    record_feedback(page_kind="outcome", object_id=outcome.pk, language="zh-hans", helpful=False, comment="")
    return article


@pytest.fixture
def forget_content_types():
    """flush gives content types new ids, rolled back after the test: the process's cache must forget them."""
    yield
    ContentType.objects.clear_cache()


def test_backup_wipe_restore_finds_everything_again(tmp_path, made_by_people, client, capsys, forget_content_types):
    before = snapshot()
    assert Article.history.filter(history_user__username="backup-editor").count() == 1
    backup = tmp_path / "site.json.gz"
    call_command("backup_content", str(backup), verbosity=0)

    wipe()
    assert not Article.objects.exists() and not Feedback.objects.exists() and not Document.objects.exists()
    generation_before = current_generation()["id"]

    call_command("restore_content", str(backup))
    assert "search index rebuilt" in capsys.readouterr().out

    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], f"{label} differs after the round trip"

    # What people made, found through the site itself.
    article = made_by_people
    assert client.get(f"/en/faq/{article.slug}/").content.decode().count("(edited)") >= 1
    assert Article.history.filter(history_user__username="backup-editor").count() == 1
    assert Feedback.objects.filter(comment="清楚 clear", helpful=True).count() == 1
    assert Feedback.objects.count() == 2
    flow = Flow.objects.order_by("pk").first()
    assert client.get(f"/en/guide/{flow.slug}/").status_code == 200
    # The search index was rebuilt and every cached page retired.
    assert Document.objects.exists()
    assert client.get("/en/search/", {"q": "(edited)"}).status_code == 200
    assert current_generation()["id"] != generation_before
    # Sequences go on after the restored rows: a new row does not collide with an old one.
    record_feedback(page_kind="article", object_id=article.pk, language="en", helpful=True)
    assert Feedback.objects.count() == 3


def test_rows_may_come_in_any_order(tmp_path, made_by_people):
    """A row naming another by natural key (a history record's user, a user's groups) before that row
    appears in the file is linked once it does: the file's order is a convenience, not a requirement."""
    editor = get_user_model().objects.get(username="backup-editor")
    editor.groups.add(Group.objects.order_by("pk").first())
    before = snapshot()
    backup = tmp_path / "site.json"
    call_command("backup_content", str(backup), verbosity=0)
    document = json.loads(backup.read_text())
    document["objects"].reverse()
    backup.write_text(json.dumps(document))

    call_command("restore_content", str(backup), "--replace", verbosity=0)
    assert snapshot() == before
    assert get_user_model().objects.get(username="backup-editor").groups.count() == 1


def test_restore_refuses_a_database_with_data_unless_replace(tmp_path, made_by_people):
    backup = tmp_path / "site.json"
    call_command("backup_content", str(backup), verbosity=0)
    record_feedback(page_kind="article", object_id=made_by_people.pk, language="en", helpful=False)

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_content", str(backup), verbosity=0)
    assert Feedback.objects.count() == 3  # nothing changed

    call_command("restore_content", str(backup), "--replace", verbosity=0)
    assert Feedback.objects.count() == 2  # exactly what the backup holds


def test_check_prints_the_counts_and_refuses_a_damaged_file(tmp_path, made_by_people, capsys):
    backup = tmp_path / "site.json"
    call_command("backup_content", str(backup), verbosity=0)
    call_command("backup_content", str(backup), "--check")
    out = capsys.readouterr().out
    assert re.search(rf"^\s+faq\.Article\s+{Article.objects.count()}$", out, re.MULTILINE)
    assert re.search(r"^\s+feedback\.Feedback\s+2$", out, re.MULTILINE)
    assert "feedback.Feedback" in out and "complete" in out

    document = json.loads(backup.read_text())
    document["objects"] = [row for row in document["objects"] if row["model"] != "feedback.feedback"]
    damaged = tmp_path / "damaged.json.gz"
    with gzip.open(damaged, "wt", encoding="utf-8") as stream:
        json.dump(document, stream)
    with pytest.raises(CommandError, match="damaged"):
        call_command("backup_content", str(damaged), "--check")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore_content", str(damaged), "--replace", verbosity=0)

    (tmp_path / "other.json").write_text('[{"model": "faq.article"}]')
    with pytest.raises(CommandError, match="not a socsec backup"):
        call_command("restore_content", str(tmp_path / "other.json"), verbosity=0)
    (tmp_path / "cut.json.gz").write_bytes(gzip.compress(backup.read_bytes())[:500])
    with pytest.raises(CommandError, match="not a readable backup"):
        call_command("restore_content", str(tmp_path / "cut.json.gz"), verbosity=0)
    assert Feedback.objects.count() == 2  # no failed restore changed anything


def test_restore_refuses_a_backup_from_a_newer_release(tmp_path, made_by_people):
    backup = tmp_path / "site.json"
    call_command("backup_content", str(backup), verbosity=0)
    document = json.loads(backup.read_text())
    document["migrations"].append("faq.9999_from_the_future")
    backup.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="9999_from_the_future"):
        call_command("restore_content", str(backup), "--replace", verbosity=0)
    assert Feedback.objects.count() == 2


def test_every_model_is_backed_up_except_derived_and_short_lived_ones():
    labels = {model._meta.label_lower for model in backed_up_models()}
    for kept in (
        "faq.article",
        "faq.historicalarticle",
        "guide.flow",
        "feedback.feedback",
        "auth.user",
        "auth.group",
        "editorial.proposal",
        "admin.logentry",
        "law.lawarticle",
        "core.slugredirect",
    ):
        assert kept in labels
    for left_out in ("search.document", "sessions.session", "contenttypes.contenttype", "auth.permission"):
        assert left_out not in labels
    # Every row comes after the rows its foreign keys point to.
    order = [model._meta.label_lower for model in backed_up_models()]
    assert order.index("auth.user") < order.index("faq.historicalarticle")
    assert order.index("faq.topic") < order.index("faq.article")
