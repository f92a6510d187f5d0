"""FAQ pages on a small world built for the test (tests/support/builders.py), no shipped content: an
article's legal basis links to the law article, whose page lists the article back; its topic lists it."""

import pytest

from inquiry.faq.models import Article
from tests.support import builders
from tests.support.html import main_of, parse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_an_article_links_its_legal_basis_and_is_listed_by_its_topic_and_the_law(client, lang):
    law = builders.law("small-law", articles=2)
    cited = law.articles.get(number=2)
    article = builders.article("small-question", cites=[cited])
    page = parse(client.get(f"/{lang}/faq/{article.slug}/"))
    page.link(f"/{lang}/law/small-law/2/")
    assert page.find(class_="short-answer").position < page.find(class_="article-body").position
    assert f"/{lang}/faq/{article.slug}/" in main_of(client.get(f"/{lang}/faq/topic/{article.topic.slug}/")).links()
    assert f"/{lang}/faq/{article.slug}/" in main_of(client.get(f"/{lang}/law/small-law/2/")).links()


def test_a_draft_article_is_not_shown(client):
    article = builders.article("small-draft", status=Article.Status.DRAFT)
    assert client.get(f"/en/faq/{article.slug}/").status_code == 404
    assert f"/en/faq/{article.slug}/" not in main_of(client.get("/en/faq/")).links()
