"""What search engines and link previews read: sitemap, robots.txt, canonical and hreflang links,
Open Graph tags, and schema.org JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiry.faq.models import Article
from inquiry.law.models import LawArticle
from inquiry.places.models import Region

SEED = "accidentally-put-money-on-card"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def test_sitemap_lists_every_public_page_in_both_languages_with_alternates(client):
    root = sitemap(client)
    entries = {}
    for url in root.findall("s:url", NS):
        loc = url.find("s:loc", NS).text
        entries[loc] = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
    for language in ("zh-hans", "en"):
        assert f"http://testserver/{language}/faq/{SEED}/" in entries
        assert f"http://testserver/{language}/law/social-insurance-law/14/" in entries
        assert f"http://testserver/{language}/card/procedures/activate-financial-account/" in entries
    for loc, alternates in entries.items():
        assert set(alternates) == {"zh-hans", "en", "x-default"}, loc
        assert loc in alternates.values()
    assert entries[f"http://testserver/en/faq/{SEED}/"]["x-default"] == f"http://testserver/faq/{SEED}/"
    published = Article.objects.published().count()
    # Regional pages (issue 20) are listed too: count the national ones here (tests/places checks those).
    regional = tuple(f"/{slug}/" for slug in Region.objects.values_list("slug", flat=True))
    national = {loc: alternates for loc, alternates in entries.items() if not any(part in loc for part in regional)}
    assert (
        sum("/faq/" in loc and "/topic/" not in loc and not loc.endswith("/faq/") for loc in national) == 2 * published
    )
    assert sum("/law/" in loc for loc in entries) >= 2 * LawArticle.objects.count()


def test_sitemap_leaves_out_drafts_and_scheduled_articles(client):
    Article.objects.filter(slug=SEED).update(status=Article.Status.DRAFT)
    Article.objects.filter(slug="lost-card-what-to-do").update(published_at=timezone.now() + timezone.timedelta(days=3))
    locs = [element.text for element in sitemap(client).iter(f"{{{NS['s']}}}loc")]
    assert not any(SEED in loc or "lost-card-what-to-do" in loc for loc in locs)


def test_sitemap_query_count_is_fixed(client, no_page_cache):
    from tests.core.test_query_budget import add_articles

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/sitemap.xml")
        return len(captured)

    add_articles(5)
    few = queries()
    add_articles(300, prefix="more")
    assert queries() == few


def test_the_x_default_address_sends_visitors_to_their_language(client):
    response = client.get(f"/faq/{SEED}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == f"/en/faq/{SEED}/"


def test_robots_txt(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response.status_code == 200
    assert "User-agent: *\nDisallow: /admin/\n" in text
    assert "Disallow: /zh-hans/search/" in text and "Disallow: /en/feedback/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


PAGES = [
    "/zh-hans/",
    "/en/faq/",
    f"/en/faq/{SEED}/",
    "/zh-hans/faq/topic/activation/",
    "/en/law/",
    "/zh-hans/law/social-insurance-law/",
    "/en/law/social-insurance-law/14/",
    "/zh-hans/card/",
    "/en/card/procedures/activate-financial-account/",
    "/zh-hans/search/?q=%E6%BF%80%E6%B4%BB",
]


def head(html):
    return html[: html.index("</head>")]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_canonical_hreflang_and_open_graph(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = head(response.content.decode())
    path = url.split("?")[0]
    language = path.split("/")[1]
    other = "en" if language == "zh-hans" else "zh-hans"
    unprefixed = path.replace(f"/{language}/", "/", 1)
    assert f'<link rel="canonical" href="http://testserver{path}">' in html
    assert (
        f'<link rel="alternate" hreflang="zh-Hans" href="http://testserver{path.replace(language, "zh-hans", 1)}">'
        in html
    )
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{path.replace(language, "en", 1)}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{unprefixed}">' in html
    assert other in html
    for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name", "og:locale"):
        match = re.search(rf'<meta property="{prop}" content="([^"]*)">', html)
        assert match and match.group(1).strip(), prop
    assert re.search(r'<meta name="description" content="[^"]+">', html)


def test_article_open_graph_tells_the_question(client):
    html = head(client.get(f"/zh-hans/faq/{SEED}/").content.decode())
    article = Article.objects.get(slug=SEED)
    assert f'<meta property="og:title" content="{article.title_zh_hans}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:locale" content="zh_CN">' in html


def test_error_pages_are_not_indexed(client):
    html = client.get("/en/faq/no-such-question/").content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html


def test_search_and_feedback_pages_are_not_indexed(client):
    assert 'content="noindex' in client.get("/en/search/?q=card").content.decode()


# --- JSON-LD -----------------------------------------------------------------------------------------

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(client, url):
    html = client.get(url).content.decode()
    blocks = JSON_LD.findall(html)
    assert len(blocks) == 1, url
    # The only other <script> is the site's own deferred file: nothing executable inline.
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts == ['<script src="/static/js/site.js" defer>', '<script type="application/ld+json">'], scripts
    return json.loads(blocks[0])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_faq_page_json_ld(client, language):
    data = json_ld(client, f"/{language}/faq/{SEED}/")
    article = Article.objects.get(slug=SEED)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "FAQPage"
    assert data["url"] == f"http://testserver/{language}/faq/{SEED}/"
    assert isinstance(data["mainEntity"], list) and data["mainEntity"]
    for question in data["mainEntity"]:
        assert question["@type"] == "Question"
        assert question["name"] == (article.title_en if language == "en" else article.title_zh_hans)
        assert question["acceptedAnswer"]["@type"] == "Answer"
        assert question["acceptedAnswer"]["text"].startswith(
            article.short_answer_en if language == "en" else article.short_answer_zh_hans
        )
        assert "<" not in question["acceptedAnswer"]["text"], "the answer is text, not HTML"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_legislation_json_ld(client, language):
    data = json_ld(client, f"/{language}/law/social-insurance-law/14/")
    article = LawArticle.objects.select_related("law").get(law__slug="social-insurance-law", number=14)
    for field in ("@context", "@type", "name", "url", "legislationIdentifier", "legislationJurisdiction", "inLanguage"):
        assert data.get(field), field
    assert data["@type"] == "Legislation"
    assert data["legislationJurisdiction"] == "CN"
    assert data["legislationIdentifier"] == f"{article.law.title_zh_hans} {article.label_zh_hans}"
    assert data["isPartOf"]["@type"] == "Legislation"
    assert data["isPartOf"]["url"] == f"http://testserver/{language}/law/social-insurance-law/"
    if language == "en" and article.text_en:
        assert data["inLanguage"] == "en" and data["translationOfWork"]["inLanguage"] == "zh-Hans"
    else:
        assert data["inLanguage"] == "zh-Hans"


def test_json_ld_cannot_be_broken_out_of(client):
    article = Article.objects.get(slug=SEED)
    hostile = '</script><script>alert("x")</script><!-- & \u2028'
    article.title_en = f"Question {hostile}"
    article.short_answer_en = f"Answer {hostile}"
    article.save()
    html = client.get(f"/en/faq/{SEED}/").content.decode()
    start = html.index('<script type="application/ld+json">')
    block = html[start : html.index("</script>", start)]
    assert "<" not in block[len('<script type="application/ld+json">') :]
    data = json_ld(client, f"/en/faq/{SEED}/")
    assert data["mainEntity"][0]["name"] == f"Question {hostile}"
    assert data["mainEntity"][0]["acceptedAnswer"]["text"].startswith(f"Answer {hostile}")


SITE = "https://shebaoka.example.gov.cn"


def test_absolute_urls_come_from_site_url_not_the_host_header(client, settings):
    """A port (or another allowed name) in the Host header never reaches an absolute URL."""
    settings.SITE_URL = SITE
    host = {"HTTP_HOST": "testserver:8443"}

    response = client.get("/sitemap.xml", **host)
    locations = [node.text for node in ET.fromstring(response.content).iterfind("s:url/s:loc", NS)]
    assert locations and all(location.startswith(f"{SITE}/") for location in locations)
    assert "testserver" not in response.content.decode()

    assert f"Sitemap: {SITE}/sitemap.xml" in client.get("/robots.txt", **host).content.decode()

    faq = json_ld(client, f"/en/faq/{SEED}/")
    assert faq["url"] == f"{SITE}/en/faq/{SEED}/"
    html = client.get(f"/en/faq/{SEED}/", **host).content.decode()
    assert f'<link rel="canonical" href="{SITE}/en/faq/{SEED}/">' in html
    assert "testserver" not in html

    law = json_ld(client, "/en/law/social-insurance-law/14/")
    assert law["url"] == f"{SITE}/en/law/social-insurance-law/14/"
    assert law["isPartOf"]["url"] == f"{SITE}/en/law/social-insurance-law/"


def test_with_site_url_the_host_header_does_not_split_the_page_cache(client, settings):
    settings.SITE_URL = SITE
    assert client.get(f"/en/faq/{SEED}/", HTTP_HOST="testserver:1")["X-Page-Cache"] == "miss"
    assert client.get(f"/en/faq/{SEED}/", HTTP_HOST="testserver:2")["X-Page-Cache"] == "hit"


def test_site_url_must_be_a_scheme_and_a_host():
    from django.core.exceptions import ImproperlyConfigured

    from socsec.settings import _site_url

    assert _site_url("https://example.org/") == "https://example.org"
    assert _site_url("") == ""
    for wrong in ("example.org", "https://example.org/path", "ftp://example.org", "https://"):
        with pytest.raises(ImproperlyConfigured):
            _site_url(wrong)
