"""Draft and published, publish dates, preview of drafts, review dates; who may publish."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from inquiry.faq.models import Article

from .conftest import SEED, form_data

pytestmark = pytest.mark.usefixtures("shipped_content")

CHANGELIST = "/admin/faq/article/"


def action(client, name, articles, *, versions=None):
    """Run a changelist action the way the page does: the checked rows and every row's version."""
    page = client.get(CHANGELIST, {"q": ""})
    data = {key: value for key, value in form_data_changelist(page).items() if key.startswith("_seen_version_")}
    if versions:
        data.update({f"_seen_version_{pk}": str(version) for pk, version in versions.items()})
    data.update({"action": name, "_selected_action": [a.pk for a in articles], "index": 0})
    return client.post(CHANGELIST, data)


def form_data_changelist(response):
    return dict(
        re.findall(r'<input type="hidden" name="(_seen_version_\d+)" value="(\d+)">', response.content.decode())
    )


def make_draft(slug="draft-question", **extra):
    seed = Article.objects.get(slug=SEED)
    return Article.objects.create(
        slug=slug,
        topic=seed.topic,
        title_zh_hans="草稿问题？",
        title_en="A draft question?",
        short_answer_zh_hans="草稿回答。",
        short_answer_en="Draft answer.",
        body_en="Draft **detail**.",
        **extra,
    )


@pytest.mark.django_db
def test_an_editor_cannot_publish(editor_client):
    draft = make_draft()
    url = f"/admin/faq/article/{draft.pk}/change/"
    page = editor_client.get(url)
    form = form_data(page)
    assert "status" not in form and "published_at_0" not in form  # shown, not editable
    form.update({"status": "published", "published_at_0": "2020-01-01", "published_at_1": "00:00"})
    assert editor_client.post(url, form).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.published_at is None

    # The publish actions are not offered, and posting one anyway does nothing.
    assert "publish_selected" not in editor_client.get(CHANGELIST).content.decode()
    action(editor_client, "publish_selected", [draft])
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert Client().get(f"/en/faq/{draft.slug}/").status_code == 404


@pytest.mark.django_db
def test_an_editor_cannot_publish_by_reverting(editor_client):
    article = Article.objects.get(slug=SEED)  # published
    published_record = article.history.first()
    article.status = Article.Status.DRAFT
    article.save()
    response = editor_client.post(
        f"/admin/faq/article/{article.pk}/history/{published_record.history_id}/", {"seen_version": article.version}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_a_publisher_publishes_and_unpublishes_with_actions(publisher_client, publisher):
    draft = make_draft()
    response = action(publisher_client, "publish_selected", [draft])
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and draft.published_at is not None
    assert draft.updated_by == publisher
    assert draft.history.first().history_change_reason == "Published"
    assert Client().get(f"/en/faq/{draft.slug}/").status_code == 200

    action(publisher_client, "unpublish_selected", [draft])
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert Client().get(f"/en/faq/{draft.slug}/").status_code == 404


@pytest.mark.django_db
def test_a_bulk_action_over_a_newer_version_changes_nothing(publisher_client):
    first, second = make_draft("draft-one"), make_draft("draft-two")
    seen = {first.pk: first.version, second.pk: second.version}
    second.body_en = "Edited by someone after the list was shown."
    second.save()
    response = action(publisher_client, "publish_selected", [first, second], versions=seen)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Article.Status.DRAFT  # all or nothing
    messages = publisher_client.get(CHANGELIST).content.decode()
    assert "Nothing was changed" in messages
    assert f"/admin/faq/article/{second.pk}/history/" in messages  # where to see what changed


@pytest.mark.django_db
def test_a_bulk_action_needs_the_versions(publisher_client):
    draft = make_draft()
    response = publisher_client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [draft.pk], "index": 0}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_a_future_publish_date_keeps_the_article_hidden_until_then(publisher_client):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    draft = make_draft(published_at=tomorrow)
    action(publisher_client, "publish_selected", [draft])
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and draft.published_at == tomorrow
    assert Client().get(f"/en/faq/{draft.slug}/").status_code == 404
    assert not Article.objects.published().filter(pk=draft.pk).exists()
    assert Article.objects.published(now=tomorrow + datetime.timedelta(minutes=1)).filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_publishing_from_the_form_without_a_date_publishes_now(publisher_client):
    draft = make_draft()
    url = f"/admin/faq/article/{draft.pk}/change/"
    form = form_data(publisher_client.get(url))
    form["status"] = "published"
    assert publisher_client.post(url, form).status_code == 302
    draft.refresh_from_db()
    assert draft.is_public


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.robots = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name") == "robots":
            self.robots = attrs.get("content")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_staff_preview_a_draft_at_its_public_url(editor_client, lang):
    draft = make_draft(body_zh_hans="Draft **detail**.")
    assert Client().get(f"/{lang}/faq/{draft.slug}/").status_code == 404

    response = editor_client.get(f"/{lang}/faq/{draft.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="preview-banner"' in html
    assert "Draft <strong>detail</strong>" in html  # the English falls back to nothing in Chinese: shown in en
    parser = PageParser()
    parser.feed(html)
    assert parser.robots == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.django_db
def test_published_pages_are_not_marked_as_previews(editor_client):
    response = editor_client.get(f"/en/faq/{SEED}/")
    assert 'class="preview-banner"' not in response.content.decode()
    assert "X-Robots-Tag" not in response


@pytest.mark.django_db
def test_users_who_may_not_see_articles_get_no_preview(client, django_user_model):
    draft = make_draft()
    outsider = django_user_model.objects.create_user("outsider", password="x-long-password-1", is_staff=True)
    client.force_login(outsider)
    assert client.get(f"/en/faq/{draft.slug}/").status_code == 404


@pytest.mark.django_db
@override_settings(SOCSEC_REVIEW_AFTER_MONTHS=6)
def test_overdue_for_review_list_and_mark_reviewed(editor, editor_client):
    today = timezone.localdate()
    fresh = make_draft("fresh", last_reviewed_on=today - datetime.timedelta(days=30))
    stale = make_draft("stale", last_reviewed_on=today - datetime.timedelta(days=200))
    never = make_draft("never")
    page = editor_client.get(CHANGELIST, {"review": "due"}).content.decode()
    assert f"/admin/faq/article/{stale.pk}/change/" in page
    assert f"/admin/faq/article/{never.pk}/change/" in page
    assert f"/admin/faq/article/{fresh.pk}/change/" not in page

    assert "mark_reviewed" in editor_client.get(CHANGELIST).content.decode()
    action(editor_client, "mark_reviewed", [stale, never])
    for article in (stale, never):
        article.refresh_from_db()
        assert article.last_reviewed_on == today and article.reviewed_by == editor
    page = editor_client.get(CHANGELIST, {"review": "due"}).content.decode()
    assert f"/admin/faq/article/{stale.pk}/change/" not in page


def test_months_before_clamps_to_the_end_of_a_short_month():
    from inquiry.editorial.admin import months_before

    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 12) == datetime.date(2025, 1, 15)
    assert months_before(datetime.date(2024, 5, 31), 3) == datetime.date(2024, 2, 29)
