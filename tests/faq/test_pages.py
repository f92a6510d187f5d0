"""FAQ pages in both languages, on the shipped content: the seed article with its legal basis, every
published article, the index and the topics; drafts and future articles hidden."""

import pytest
from django.utils import timezone
from django.utils.html import escape

from inquiry.faq.models import Article, Topic
from tests.support.html import get_ok, main_of, parse

pytestmark = pytest.mark.usefixtures("shipped_content")

LANGUAGES = ["zh-hans", "en"]
SEED = "accidentally-put-money-on-card"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_seed_article_with_legal_basis(client, lang):
    html = get_ok(client, f"/{lang}/faq/{SEED}/")
    article = Article.objects.get(slug=SEED)
    title = article.title_zh_hans if lang == "zh-hans" else article.title_en
    assert f"<h1>{escape(title)}</h1>" in html
    page = parse(html)
    page.link(f"/{lang}/law/social-insurance-law/4/")
    page.link(f"/{lang}/law/social-insurance-law/5/")
    page.link(f"/{lang}/law/social-insurance-law/14/")
    # The short answer comes before the detail.
    assert page.find(class_="short-answer").position < page.find(class_="article-body").position


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_published_article_renders(client, lang):
    for article in Article.objects.published():
        html = get_ok(client, f"/{lang}/faq/{article.slug}/")
        assert 'class="legal-basis"' in html, article.slug


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_faq_index_and_topics(client, lang):
    html = get_ok(client, f"/{lang}/faq/")
    for topic in Topic.objects.all():
        assert f"/{lang}/faq/topic/{topic.slug}/" in html
        topic_html = get_ok(client, f"/{lang}/faq/topic/{topic.slug}/")
        for article in topic.articles.published():
            assert f"/{lang}/faq/{article.slug}/" in topic_html


@pytest.mark.django_db
def test_drafts_and_future_articles_are_hidden(client):
    article = Article.objects.get(slug=SEED)
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(f"/en/faq/{SEED}/").status_code == 404
    assert f"/en/faq/{SEED}/" not in main_of(client.get("/en/faq/")).links()

    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now() + timezone.timedelta(days=1)
    article.save()
    assert client.get(f"/en/faq/{SEED}/").status_code == 404
    # Not listed as citing its law article either.
    assert f"/en/faq/{SEED}/" not in main_of(client.get("/en/law/social-insurance-law/4/")).links()


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_switcher_keeps_the_page(client, lang):
    other = "en" if lang == "zh-hans" else "zh-hans"
    html = get_ok(client, f"/{lang}/faq/{SEED}/")
    parse(html).link(f"/{other}/faq/{SEED}/")
