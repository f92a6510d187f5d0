"""The one write path: every editorial save is one transaction, one version and one change of the page cache.

The page-cache generation announces each change (`inquiry.core.generation.content_change`); these tests
count the announcements, and the history records, of real saves through the admin and the services.
"""

import contextlib

import pytest
from django.test import Client

from inquiry.cards.models import Procedure
from inquiry.core.generation import content_change
from inquiry.editorial.models import Proposal
from inquiry.editorial.services import change_rows, content_save, revert_to_version
from inquiry.faq.models import Article
from inquiry.law.models import LawArticle

from .conftest import SEED, form_data, in_english
from .test_publishing import action, make_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]


@contextlib.contextmanager
def counted_changes():
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs.get("using"))

    content_change.connect(receiver, dispatch_uid="test-counted-changes")
    try:
        yield seen
    finally:
        content_change.disconnect(dispatch_uid="test-counted-changes")


def test_one_admin_save_of_an_article_with_its_citations_is_one_change_and_one_version(publisher_client):
    article = Article.objects.get(slug=SEED)
    versions = article.history.count()
    url = f"/admin/faq/article/{article.pk}/change/"
    form = form_data(publisher_client.get(url))
    other_citations = LawArticle.objects.exclude(pk__in=article.citations.all()).values_list("pk", flat=True)[:2]
    form["citations"] = [str(pk) for pk in [*article.citations.values_list("pk", flat=True), *other_citations]]
    form["title_en"] = "One save, one change?"
    with counted_changes() as changes:
        assert publisher_client.post(url, form).status_code == 302
    assert len(changes) == 1
    article.refresh_from_db()
    assert article.title_en == "One save, one change?"
    assert article.history.count() == versions + 1
    assert set(other_citations) <= set(article.citations.values_list("pk", flat=True))


def test_one_admin_save_of_a_procedure_and_three_steps_is_one_change(publisher_client):
    procedure = Procedure.objects.filter(steps__isnull=False).first()
    steps = list(procedure.steps.all()[:3])
    url = f"/admin/cards/procedure/{procedure.pk}/change/"
    form = form_data(publisher_client.get(url))
    prefixes = {value: key[:-3] for key, value in form.items() if key.endswith("-id") and value}
    for number, step in enumerate(steps):
        form[f"{prefixes[str(step.pk)]}-title_en"] = f"Step title {number} in one save"
    form["title_en"] = "A procedure saved with its steps"
    with counted_changes() as changes:
        assert publisher_client.post(url, form).status_code == 302
    assert len(changes) == 1
    for number, step in enumerate(steps):
        step.refresh_from_db()
        assert step.title_en == f"Step title {number} in one save"
        assert step.history.first().history_user.username == "pat-publisher"
    assert procedure.history.first().title_en == "A procedure saved with its steps"


def test_a_bulk_publish_of_three_drafts_is_one_change(publisher_client):
    drafts = [make_draft(slug=f"bulk-draft-{number}") for number in range(3)]
    with counted_changes() as changes:
        action(publisher_client, "publish_selected", drafts)
    assert len(changes) == 1
    assert all(Article.objects.get(pk=draft.pk).status == Article.Status.PUBLISHED for draft in drafts)


def test_a_revert_is_one_change_and_one_version(publisher):
    article = make_draft(slug="revert-me")
    content_save(obj=article, user=publisher, reason="first")
    first = article.history.first()
    article.title_en = "Changed later"
    content_save(obj=article, user=publisher, reason="second")
    versions = article.history.count()
    with counted_changes() as changes:
        result = revert_to_version(
            model=Article, pk=article.pk, record=first, seen_version=article.version, user=publisher
        )
    assert len(changes) == 1 and article.history.count() == versions + 1
    assert result.obj.title_en == "A draft question?"


def test_content_save_without_a_form_sets_relations_and_writes_one_version(publisher):
    article = make_draft(slug="saved-by-a-service")
    before = article.history.count()
    citations = list(LawArticle.objects.all()[:3])
    article.title_en = "Saved by the service"
    with counted_changes() as changes:
        content_save(obj=article, user=publisher, reason="loader", relations={"citations": citations})
    assert len(changes) == 1
    assert article.history.count() == before + 1
    latest = article.history.first()
    assert latest.history_change_reason == "loader" and latest.history_user == publisher
    assert set(article.citations.all()) == set(citations)
    assert article.updated_by == publisher


def test_a_refused_change_rows_writes_nothing_and_announces_nothing(publisher):
    drafts = [make_draft(slug=f"refused-{number}") for number in range(2)]

    def refuse(obj):
        raise ValueError("no")

    with counted_changes() as changes, pytest.raises(ValueError):
        change_rows(
            model=Article, seen_versions={d.pk: d.version for d in drafts}, user=publisher, change=refuse, reason="x"
        )
    assert changes == []


def test_publishing_steps_are_model_methods(publisher):
    draft = make_draft(slug="methods")
    assert draft.publish() is True and draft.status == Article.Status.PUBLISHED and draft.published_at
    assert draft.publish() is False
    assert draft.unpublish() is True and draft.status == Article.Status.DRAFT and draft.published_at
    assert draft.unpublish() is False
    draft.mark_reviewed(publisher)
    assert draft.reviewed_by == publisher and draft.last_reviewed_on is not None


def test_a_proposal_keeps_the_cleaned_values_not_the_request(editor, publisher):
    editor_client = in_english(Client())
    editor_client.force_login(editor)
    article = Article.objects.get(slug=SEED)
    url = f"/admin/faq/article/{article.pk}/change/"
    form = form_data(editor_client.get(url))
    form["short_answer_en"] = "Proposed\r\nin two lines."
    assert editor_client.post(url, form).status_code == 302
    data = Proposal.objects.get().data
    assert data["format"] == 2
    assert data["fields"]["short_answer_en"] == "Proposed\nin two lines."  # cleaned: line breaks as stored
    assert sorted(data["fields"]["citations"]) == sorted(article.citations.values_list("pk", flat=True))
    assert "csrfmiddlewaretoken" not in data["fields"] and "_save" not in data["fields"]
    assert "seen_version" not in data["fields"]
    assert "status" not in data["fields"]  # an Editor's form has no publishing fields
    # Only the rows the Editor changed are kept (an article has no inline rows).
    assert all(rows == [] for rows in data["inlines"].values())


def test_a_proposed_step_change_keeps_only_that_row(editor, publisher):
    editor_client = in_english(Client())
    editor_client.force_login(editor)
    procedure = Procedure.objects.filter(steps__isnull=False).first()
    step = procedure.steps.first()
    url = f"/admin/cards/procedure/{procedure.pk}/change/"
    form = form_data(editor_client.get(url))
    prefix = next(key[:-3] for key, value in form.items() if key.endswith("-id") and value == str(step.pk))
    form[f"{prefix}-title_en"] = "Only this row"
    assert editor_client.post(url, form).status_code == 302
    (rows,) = [rows for rows in Proposal.objects.get().data["inlines"].values() if rows]
    assert rows == [
        {"id": step.pk, "seen_version": step.version, "fields": rows[0]["fields"]},
    ]
    assert rows[0]["fields"]["title_en"] == "Only this row"


def test_the_shipped_content_loader_writes_one_version_per_object():
    # The test database holds what `manage.py load_content` wrote: the object's first record holds its
    # relations already (a plain save would write it before them, then one record per relation set).
    # (Not the seed: its original page is a version of its own before the shipped text.)
    article = Article.objects.get(slug="how-to-activate-financial-account")
    assert {record.version for record in article.history.all()} == {1}
    record = article.history.get(history_type="+")
    recorded = record.citations.values_list("lawarticle_id", flat=True)
    assert set(recorded) == set(article.citations.values_list("pk", flat=True)) != set()
