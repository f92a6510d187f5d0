"""The shipped FAQ articles: complete in both languages, each resting on a law article or a source,
hedged where they rest on third-party material, and the new ones reachable over HTTP."""

import re

import pytest

from inquiry.core.shipped import content_dir, read_content
from inquiry.faq import content_loader as faq_loader
from inquiry.faq.models import Article, Topic
from inquiry.law import content_loader as law_loader

pytestmark = pytest.mark.usefixtures("shipped_content")

FAQ = read_content(content_dir(faq_loader.__file__), "faq")
SOURCES = read_content(content_dir(law_loader.__file__), "sources")

# The canonical sources of the shared contract (issue 11), with their strength; the file beside laws/
# adds the ones found for the coverage articles.
CANONICAL = {
    "people-daily-card-qa": "B",
    "sz12333-card-functions": "B",
    "hrss-card-qa-2022": "C",  # a third-party copy of a provincial Q&A; no official copy found
    "mohrss-loss-report": "B",
    "mohrss-cross-province-2023": "B",
    "mohrss-qa-2024-moving": "B",
    "gxhrss-card-nationwide-2025": "B",
    "people-daily-third-generation-2024": "B",
    "nangong-third-generation-qa-2023": "B",
    "cxs-e-card-2024": "B",
    "xinhua-family-sharing-2024": "B",
    "xinhua-card-scale-2024": "B",
    "mohrss-12333-notice-2003": "B",
    "beijing-foreigners-e-card-2024": "B",
    "shanghai-foreigners-insurance-faq-2024": "B",
    "beijing-jjj-card-rules-2024": "A",
    "civil-code-inheritance": "A",
    "gov-office-2021-14-medical-accounts": "C",
    "mohrss-order-13-2011": "C",
    "chengdu-temporary-loss": "C",
    "qingyuan-minors-activation": "C",
    "changchun-card-rules": "C",
    "bank-proxy-documents": "C",
    "xian-loss-report": "C",
    "zero-balance-mixup": "C",
    "inactive-account-money-in": "C",
    "chongqing-expiry-qa": "C",
    "e-card-password": "C",
}

NEW_ARTICLES = [
    "change-service-bank",
    "child-newborn-card",
    "subsidies-paid-to-card",
    "claim-unemployment-benefit",
    "card-on-bus-and-metro",
    "use-card-in-another-city",
    "medical-treatment-other-province",
    "transfer-insurance-to-another-city",
    "activate-in-another-city",
    "bank-pin-vs-social-insurance-password",
    "renew-expiring-card",
    "elderly-cannot-travel",
    "e-card-what-it-can-do",
    "apply-for-first-card",
    "check-card-status",
    "check-contribution-records",
    "pension-fewer-than-15-years",
    "survivors-funeral-subsidy",
    "benefits-paid-to-card",
    "complain-about-social-insurance",
    "foreigners-social-security-card",
    "temporary-card",
    "apply-third-generation-card-online",
]
SHIPPED = {item["slug"]: item for item in FAQ["articles"]}


def strengths():
    found = dict(CANONICAL)
    for source in SOURCES.get("sources", []):
        assert source["strength"] in {"A", "B", "C"}, source["slug"]
        assert source["kind"] in {"law", "official_notice", "official_page", "mirror", "other"}, source["slug"]
        assert source["url"].startswith(("http://", "https://")), source["slug"]
        for field in ("title", "publisher"):
            assert source[field]["zh_hans"] and source[field]["en"], (source["slug"], field)
        found[source["slug"]] = source["strength"]
    return found


def test_new_sources_do_not_redefine_the_canonical_ones():
    slugs = [source["slug"] for source in SOURCES.get("sources", [])]
    assert len(slugs) == len(set(slugs))
    # The file is the canonical one once the branches are merged; on its own it holds only new sources.
    assert not set(slugs) & set(CANONICAL) or set(CANONICAL) <= set(slugs)


def test_every_shipped_article_is_in_both_languages_and_rests_on_law_or_a_known_source():
    known = strengths()
    for slug, item in SHIPPED.items():
        for field in ("title", "short_answer", "body"):
            assert item[field]["zh_hans"].strip() and item[field]["en"].strip(), (slug, field)
        assert item.get("citations") or item.get("sources"), f"{slug} cites nothing"
        for source in item.get("sources", []):
            assert source in known, (slug, source)


def test_every_new_article_is_listed_sourced_and_hedged_where_it_leans_on_third_parties():
    known = strengths()
    assert set(NEW_ARTICLES) <= set(SHIPPED)
    for slug in NEW_ARTICLES:
        item = SHIPPED[slug]
        zh = item["short_answer"]["zh_hans"] + item["body"]["zh_hans"]
        en = item["short_answer"]["en"] + item["body"]["en"]
        # The audit: a law article, or an [A]/[B] source, carries the answer.
        assert item.get("citations") or any(known[s] in "AB" for s in item.get("sources", [])), slug
        if any(known[s] == "C" for s in item.get("sources", [])):
            assert re.search(r"12333|当地|很多地方|一些地方|通常", zh), slug
            assert re.search(r"12333|local|many places|some places|usually", en, re.I), slug
        assert "你" not in zh + item["title"]["zh_hans"], slug  # one register: 您
        # The answer comes first, short: at most three sentences.
        assert len(re.findall(r"[。！？]", item["short_answer"]["zh_hans"])) <= 3, slug
        assert item["published_at"] == item["last_reviewed_on"]
        assert slug not in item.get("related", []), slug


@pytest.mark.django_db
def test_shipped_articles_are_published_with_their_links():
    assert {"getting-a-card", "benefits-and-subsidies", "other-places", "records-and-rights"} <= set(
        Topic.objects.values_list("slug", flat=True)
    )
    published = {article.slug: article for article in Article.objects.published()}
    assert set(NEW_ARTICLES) <= set(published)
    for slug in NEW_ARTICLES:
        article = published[slug]
        assert article.title_zh_hans and article.title_en and article.body_html_zh_hans and article.body_html_en
        assert article.citations.exists(), slug
        assert article.related.exists(), slug
        for cited in article.citations.all():
            assert cited.summary_zh_hans and cited.summary_en, (slug, cited)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_new_articles_render_with_their_legal_basis(client, lang):
    for slug in NEW_ARTICLES:
        response = client.get(f"/{lang}/faq/{slug}/")
        assert response.status_code == 200, slug
        html = response.content.decode()
        article = Article.objects.get(slug=slug)
        first = article.citations.select_related("law").first()
        assert f'href="/{lang}/law/{first.law.slug}/{first.number}/"' in html, slug
        related = article.related.first()
        assert f'href="/{lang}/faq/{related.slug}/"' in html, slug
