"""Every change is kept: who and when, a field-by-field comparison of any two versions, revert to any."""

import re

import pytest
from django.test import Client

from inquiry.cards.models import Procedure, ProcedureStep
from inquiry.editorial.history import tracked_models
from inquiry.faq.models import Article
from inquiry.law.models import Chapter, LawArticle

from .conftest import SEED, form_data, in_english

pytestmark = pytest.mark.usefixtures("shipped_content")


def save_through_admin(client, obj, **changes):
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    form = form_data(client.get(url))
    form.update(changes)
    response = client.post(url, form)
    assert response.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    obj.refresh_from_db()
    return obj


def test_every_content_model_keeps_history():
    names = {model._meta.label for model in tracked_models()}
    assert names >= {
        "law.Law",
        "law.Chapter",
        "law.LawArticle",
        "cards.Procedure",
        "cards.ProcedureStep",
        "cards.Account",
        "cards.AccountState",
        "cards.StateTransition",
        "faq.Topic",
        "faq.Article",
    }
    # Both languages' fields are in the historical tables.
    fields = {field.name for field in Article.history.model._meta.fields}
    assert {"title_zh_hans", "title_en", "body_zh_hans", "body_en"} <= fields


@pytest.mark.django_db
def test_one_save_is_one_version_with_its_citations(publisher_client, publisher):
    article = Article.objects.get(slug=SEED)
    before = article.history.count()
    dropped = article.citations.order_by("pk").first()
    kept = [str(pk) for pk in article.citations.exclude(pk=dropped.pk).values_list("pk", flat=True)]
    save_through_admin(publisher_client, article, body_en="One.\nTwo.", citations=kept)
    assert article.history.count() == before + 1
    latest = article.history.first()
    assert latest.version == article.version and latest.history_user == publisher
    assert dropped.pk not in set(latest.citations.values_list("lawarticle_id", flat=True))


@pytest.mark.django_db
def test_compare_two_versions_field_by_field_in_both_languages(publisher_client):
    article = Article.objects.get(slug=SEED)
    first = article.history.first()
    old_zh_title = article.title_zh_hans
    dropped = article.citations.order_by("pk").first()
    kept = [str(pk) for pk in article.citations.exclude(pk=dropped.pk).values_list("pk", flat=True)]
    body = article.body_en.splitlines()
    body[0] = "A changed <b>first</b> line & more."
    save_through_admin(publisher_client, article, title_zh_hans="改过的问题？", body_en="\n".join(body), citations=kept)
    save_through_admin(publisher_client, article, short_answer_en=article.short_answer_en + " Added.")
    latest = article.history.first()

    response = publisher_client.get(
        f"/admin/faq/article/{article.pk}/history/compare/", {"older": first.history_id, "newer": latest.history_id}
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Each language's field is named; text is compared line by line, and escaped.
    assert "Question (Simplified Chinese)" in html or "Question (简体中文)" in html
    assert (
        f'<del class="diff-line diff-del"><span class="diff-mark" aria-hidden="true">−</span>{old_zh_title}</del>'
        in html
    )
    assert "A changed &lt;b&gt;first&lt;/b&gt; line &amp; more." in html
    assert "<b>first</b>" not in html
    assert "unchanged line" in html  # long unchanged runs fold
    assert str(dropped) in html  # the citation taken away
    # Only the changed fields are listed.
    assert "Slug" not in html

    # The history page lists each version with who and what changed, and links to compare and revert.
    history = publisher_client.get(f"/admin/faq/article/{article.pk}/history/").content.decode()
    assert history.count("pat-publisher") >= 2
    assert f"/admin/faq/article/{article.pk}/history/{first.history_id}/" in history  # revert
    assert 'name="older"' in history and 'name="newer"' in history


@pytest.mark.django_db
def test_revert_brings_back_citations_too(publisher_client):
    article = Article.objects.get(slug=SEED)
    citations = set(article.citations.values_list("pk", flat=True))
    record = article.history.first()
    save_through_admin(publisher_client, article, citations=[str(min(citations))])
    assert set(article.citations.values_list("pk", flat=True)) == {min(citations)}
    response = publisher_client.post(
        f"/admin/faq/article/{article.pk}/history/{record.history_id}/", {"seen_version": article.version}
    )
    assert response.status_code == 302
    assert set(article.citations.values_list("pk", flat=True)) == citations
    html = Client().get(f"/en/faq/{SEED}/").content.decode()
    for cited in LawArticle.objects.filter(pk__in=citations).select_related("law"):
        assert f"/en/law/{cited.law.slug}/{cited.number}/" in html


@pytest.mark.django_db
def test_inline_rows_have_their_own_history_and_revert(publisher_client):
    procedure = Procedure.objects.filter(steps__isnull=False).first()
    step = procedure.steps.first()
    old_title = step.title_en
    url = f"/admin/cards/procedure/{procedure.pk}/change/"
    form = form_data(publisher_client.get(url))
    prefix = next(key[:-3] for key, value in form.items() if key.endswith("-id") and value == str(step.pk))
    form[f"{prefix}-title_en"] = "A step title changed inline"
    assert publisher_client.post(url, form).status_code == 302
    step.refresh_from_db()
    assert step.title_en == "A step title changed inline" and step.updated_by.username == "pat-publisher"

    # The procedure's history shows the change to its step, with a link to the step's own history.
    history = publisher_client.get(f"/admin/cards/procedure/{procedure.pk}/history/").content.decode()
    assert f"/admin/cards/procedurestep/{step.pk}/history/" in history
    page = publisher_client.get(f"/admin/cards/procedurestep/{step.pk}/history/")
    assert page.status_code == 200
    older = step.history.filter(version=step.version - 1).first()
    response = publisher_client.post(
        f"/admin/cards/procedurestep/{step.pk}/history/{older.history_id}/", {"seen_version": step.version}
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.title_en == old_title
    assert old_title in Client().get(f"/en/card/procedures/{procedure.slug}/").content.decode()


@pytest.mark.django_db
def test_a_revert_that_is_no_longer_valid_is_refused_clearly(superuser, client):
    in_english(client).force_login(superuser)
    chapter, other = Chapter.objects.order_by("law", "number")[:2]
    record = chapter.history.first()
    old_number = chapter.number
    Chapter.objects.filter(pk=other.pk).update(number=500)
    chapter.number = 999
    chapter.save()
    Chapter.objects.filter(pk=other.pk).update(number=old_number)  # someone took the old number meanwhile
    response = client.post(
        f"/admin/law/chapter/{chapter.pk}/history/{record.history_id}/", {"seen_version": chapter.version}, follow=True
    )
    assert response.status_code == 200
    assert "cannot be brought back" in response.content.decode()
    chapter.refresh_from_db()
    assert chapter.number == 999


@pytest.mark.django_db
def test_tampered_history_urls_give_404_not_500(editor_client):
    article = Article.objects.get(slug=SEED)
    other = Article.objects.exclude(pk=article.pk).first()
    foreign = other.history.first()
    for url in (
        f"/admin/faq/article/{article.pk}/history/{foreign.history_id}/",
        f"/admin/faq/article/{article.pk}/history/not-a-number/",
        f"/admin/faq/article/{article.pk}/history/compare/?older=abc",
        f"/admin/faq/article/{article.pk}/history/compare/?newer={foreign.history_id}",
        "/admin/faq/article/999999/history/compare/",
        "/admin/faq/article/999999/history/",
    ):
        assert editor_client.get(url).status_code in (302, 404), url


@pytest.mark.django_db
def test_step_history_page_for_a_view_only_user_has_no_revert(client, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="x-long-password-1", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    article = Article.objects.get(slug=SEED)
    html = client.get(f"/admin/faq/article/{article.pk}/history/").content.decode()
    assert "Revert to this version" not in html
    record = article.history.last()
    assert (
        client.post(
            f"/admin/faq/article/{article.pk}/history/{record.history_id}/", {"seen_version": article.version}
        ).status_code
        == 403
    )
    assert ProcedureStep.objects.exists()


@pytest.mark.django_db
def test_browser_line_breaks_do_not_count_as_changes(publisher_client):
    article = Article.objects.get(slug=SEED)
    original_zh = article.body_zh_hans
    assert "\n" in original_zh
    # A browser sends every textarea back with CRLF line breaks.
    save_through_admin(publisher_client, article, body_zh_hans=original_zh.replace("\n", "\r\n"), body_en="Changed.")
    assert article.body_zh_hans == original_zh
    html = publisher_client.get(f"/admin/faq/article/{article.pk}/history/compare/").content.decode()
    assert "Detail (English)" in html and "Detail (Simplified Chinese)" not in html


@pytest.mark.django_db
def test_history_shows_one_row_per_version(editor_client):
    # The seed: its original page is version 1, the shipped text version 2 (the loader's first_version).
    article = Article.objects.get(slug=SEED)
    assert article.history.values("version").distinct().count() > 1
    html = editor_client.get(f"/admin/faq/article/{article.pk}/history/").content.decode()
    assert html.count('name="newer"') == article.history.values("version").distinct().count()
