"""Each page costs a fixed number of SQL queries, whatever the amount of content; a cached page costs none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiry.cards.models import AccountState, Procedure
from inquiry.faq.models import Article
from inquiry.law.models import LawArticle, Source

pytestmark = pytest.mark.usefixtures("shipped_content")

SEED = "accidentally-put-money-on-card"

# page → (url, the most queries it may make). Every page lists the regions for the footer's "Your city"
# form (one query); a regional page gets that list with its region and values in the same one query,
# so it costs what the national page does.
BUDGETS = {
    "home": ("/zh-hans/", 4),
    "faq index": ("/zh-hans/faq/", 3),
    "faq topic": ("/zh-hans/faq/topic/{topic}/", 3),
    "faq article": (f"/zh-hans/faq/{SEED}/", 8),  # 6, one for its sources, one for the regions
    "law index": ("/zh-hans/law/", 2),
    "law": ("/zh-hans/law/social-insurance-law/", 5),
    "law article": ("/zh-hans/law/social-insurance-law/14/", 6),  # 4, the procedures citing it, the regions
    "sources": ("/zh-hans/law/sources/", 2),
    "card": ("/zh-hans/card/", 6),  # 4, the states' sources, the regions
    "procedure": ("/zh-hans/card/procedures/activate-financial-account/", 6),  # 4, the steps' sources, the regions
    "home (Beijing)": ("/zh-hans/beijing/", 4),
    "faq article (Beijing)": (f"/zh-hans/beijing/faq/{SEED}/", 8),
    "faq article (Guangzhou, with its province)": (f"/en/guangzhou/faq/{SEED}/", 8),
    "procedure (Shanghai)": ("/zh-hans/shanghai/card/procedures/activate-financial-account/", 6),
}


def add_articles(count, prefix="extra"):
    """`count` more published articles in the seed's topic, each citing and relating like the seed."""
    seed = Article.objects.get(slug=SEED)
    now = timezone.now()
    created = Article.objects.bulk_create(
        Article(
            slug=f"{prefix}-{index}",
            topic=seed.topic,
            title_zh_hans=f"额外的问题 {index}",
            title_en=f"Extra question {index}",
            short_answer_zh_hans="简短回答。",
            short_answer_en="Short answer.",
            status=Article.Status.PUBLISHED,
            published_at=now,
        )
        for index in range(count)
    )
    citations = list(LawArticle.objects.filter(law__slug="social-insurance-law", number__in=[4, 5, 14]))
    through = Article.citations.through
    through.objects.bulk_create(
        through(article_id=article.pk, lawarticle_id=cited.pk) for article in created for cited in citations
    )
    Article.sources.through.objects.bulk_create(
        Article.sources.through(article_id=article.pk, source_id=source.pk)
        for article in created
        for source in Source.objects.all()[:3]
    )
    Article.related.through.objects.bulk_create(
        Article.related.through(from_article_id=seed.pk, to_article_id=article.pk) for article in created
    )
    Article.procedures.through.objects.bulk_create(
        Article.procedures.through(article_id=article.pk, procedure_id=procedure.pk)
        for article in created
        for procedure in Procedure.objects.all()[:2]
    )
    Article.states.through.objects.bulk_create(
        Article.states.through(article_id=article.pk, accountstate_id=state.pk)
        for article in created
        for state in AccountState.objects.all()[:2]
    )
    return seed.topic


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(BUDGETS))
def test_query_budget_is_the_same_with_10_and_500_articles(client, page, no_page_cache):
    # The page cache is off: this measures rendering (bulk_create sends no signal, so a cached page
    # would otherwise be served unchanged, at no cost, after the 490 new articles).
    url, budget = BUDGETS[page]
    topic = add_articles(10)
    url = url.format(topic=topic.slug)
    with_10 = count_queries(client, url)
    before = Article.objects.count()
    add_articles(490, prefix="more")
    assert Article.objects.count() == before + 490
    with_500 = count_queries(client, url)
    assert with_10 == with_500, f"{page}: {with_10} queries with 10 articles, {with_500} with 500"
    assert with_500 <= budget, f"{page}: {with_500} queries, budget {budget}"


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(BUDGETS))
def test_a_cached_page_costs_no_query(client, page):
    url, _ = BUDGETS[page]
    url = url.format(topic=Article.objects.get(slug=SEED).topic.slug)
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.status_code == 200
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert len(queries) == 0, [query["sql"] for query in queries.captured_queries]
