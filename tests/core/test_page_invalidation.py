"""An edit retires only the stored pages that show what it changed, and they are rendered again in the
background (inquiry/core/page_tags.py, generation.py, rerender.py). Real database, real HTTP through
Django's client, the real admin."""

import pytest
from django.utils.html import escape

from inquiry.core.generation import content_changed
from inquiry.faq.models import Article
from inquiry.search.models import SynonymGroup
from tests.editorial.conftest import create_user, form_data, in_english

SEED = "accidentally-put-money-on-card"
REGION = "beijing"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]


def status(client, url):
    return client.get(url)["X-Page-Cache"]


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def pages_of(slug):
    """The stored addresses of an article: both languages, national and under a region."""
    return [f"/{lang}/{region}faq/{slug}/" for lang in ("en", "zh-hans") for region in ("", f"{REGION}/")]


def unrelated_article(client, article):
    """A published article whose page neither links to nor names `article`."""
    for other in Article.objects.published().exclude(pk=article.pk).exclude(topic=article.topic):
        page = html(client, f"/en/faq/{other.slug}/")
        if article.slug not in page and escape(article.title_en) not in page:
            return other
    pytest.fail("no article unrelated to the seed")


def admin_save(client, article, **changes):
    """Save `article` through the admin's change form, as a Publisher would."""
    url = f"/admin/faq/article/{article.pk}/change/"
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def publisher_client():
    from django.test import Client

    from inquiry.editorial.roles import PUBLISHER

    client = Client()
    client.force_login(create_user("pia-publisher", groups=[PUBLISHER]))
    return in_english(client)


@pytest.fixture
def visitor():
    from django.test import Client

    return Client()


def test_an_admin_edit_retires_that_articles_pages_and_the_lists_and_nothing_else(visitor, publisher_client, settings):
    settings.SOCSEC_RERENDER = "off"  # what a visitor gets right after the edit
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed = Article.objects.get(slug=SEED)
    other = unrelated_article(visitor, seed)
    lists = ["/en/faq/", f"/en/faq/topic/{seed.topic.slug}/", f"/en/{REGION}/faq/"]
    search = "/en/search/?q=card"
    for url in [*pages_of(SEED), *pages_of(other.slug), *lists, search]:
        html(visitor, url)
        assert status(visitor, url) == "hit", url

    admin_save(publisher_client, seed, title_en="Where did my money go? (edited)", title_zh_hans="钱去哪儿了（已改）")

    # Article B's stored pages are still served, both languages and the region.
    for url in pages_of(other.slug):
        assert status(visitor, url) == "hit", url
    # Article A's pages show the new text, in each language and under the region.
    for url in pages_of(SEED):
        page = html(visitor, url)
        assert ("(edited)" if "/en/" in url else "已改") in page, url
        assert status(visitor, url) == "hit"
    # The lists that show A, and the search pages, are retired and show it.
    for url in lists:
        assert "(edited)" in html(visitor, url), url
    assert status(visitor, search) == "miss"


def test_a_site_wide_change_retires_every_page(visitor):
    seed = Article.objects.get(slug=SEED)
    other = unrelated_article(visitor, seed)
    url = f"/en/faq/{other.slug}/"
    html(visitor, url)
    assert status(visitor, url) == "hit"
    SynonymGroup.objects.create(terms="card, 社保卡")
    assert status(visitor, url) == "miss"
    assert status(visitor, url) == "hit"
    content_changed()
    assert status(visitor, url) == "miss"


def test_a_change_of_place_in_the_lists_retires_every_page(visitor):
    seed = Article.objects.get(slug=SEED)
    other = unrelated_article(visitor, seed)
    html(visitor, f"/en/faq/{other.slug}/")
    seed.published_at = seed.published_at.replace(year=seed.published_at.year - 1)
    seed.save()
    assert status(visitor, f"/en/faq/{other.slug}/") == "miss"


def test_a_new_draft_retires_nothing(visitor):
    seed = Article.objects.get(slug=SEED)
    html(visitor, "/en/faq/")
    Article.objects.create(
        slug="a-new-draft",
        topic=seed.topic,
        title_zh_hans="草稿？",
        title_en="A draft?",
        short_answer_zh_hans="草稿。",
        short_answer_en="Draft.",
    )
    assert status(visitor, "/en/faq/") == "hit"
