"""Every page type answers in both languages with its content; unknown things give a 404 page."""

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from inquiry.cards.models import Account, Procedure
from inquiry.faq.models import Article, Topic
from inquiry.law.models import LawArticle
from tests.support import laws
from tests.support.laws import write

LANGUAGES = ["zh-hans", "en"]
SEED = "accidentally-put-money-on-card"


def main_of(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_home(client, lang):
    html = get_ok(client, f"/{lang}/")
    tag = "zh-Hans" if lang == "zh-hans" else "en"
    assert f'<html lang="{tag}">' in html
    assert "<svg" in html and 'role="img"' in html and "<title" in html
    for topic in Topic.objects.all()[:3]:
        assert escape(topic.title_zh_hans if lang == "zh-hans" else topic.title_en) in html
    assert f"/{lang}/faq/{SEED}/" in html


HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_picture_is_named_in_the_page_language(client, lang):
    """The SVG's accessible name (the elements its aria-labelledby names) is what a screen reader
    says: in Chinese on the Chinese page, in English on the English one."""
    html = get_ok(client, f"/{lang}/")
    svg = re.search(r'<svg class="two-accounts"[^>]*aria-labelledby="([^"]+)"', html)
    assert svg, "the home page has no labelled two-accounts picture"
    parts = []
    for element_id in svg.group(1).split():
        found = re.search(rf'<(title|desc) id="{element_id}">([^<]+)</\1>', html)
        assert found, element_id
        parts.append(unescape(found.group(2)))
    name = parts[0]
    for text in parts:
        if lang == "zh-hans":
            assert len(HAN.findall(text)) > len(re.findall(r"[A-Za-z]", text)), text
        else:
            assert not HAN.search(text), text
    assert name == ("社保卡上的两个账户" if lang == "zh-hans" else "The two accounts on a social security card")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_seed_article_with_legal_basis(client, lang):
    html = get_ok(client, f"/{lang}/faq/{SEED}/")
    article = Article.objects.get(slug=SEED)
    title = article.title_zh_hans if lang == "zh-hans" else article.title_en
    assert f"<h1>{escape(title)}</h1>" in html
    assert f'href="/{lang}/law/social-insurance-law/4/"' in html
    assert f'href="/{lang}/law/social-insurance-law/5/"' in html
    assert f'href="/{lang}/law/social-insurance-law/14/"' in html
    # The short answer comes before the detail.
    assert html.index('class="short-answer"') < html.index('class="article-body"')


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
@pytest.mark.parametrize("lang", LANGUAGES)
def test_law_pages(client, lang):
    html = get_ok(client, f"/{lang}/law/")
    assert f"/{lang}/law/social-insurance-law/" in html
    html = get_ok(client, f"/{lang}/law/social-insurance-law/")
    assert f"/{lang}/law/social-insurance-law/14/" in html
    html = get_ok(client, f"/{lang}/law/social-insurance-law/14/")
    article = LawArticle.objects.get(law__slug="social-insurance-law", number=14)
    summary = article.summary_html_zh_hans if lang == "zh-hans" else article.summary_html_en
    assert summary and summary in html  # the editors' plain-language summary, in the page's language
    # Pages that cite it are listed.
    assert f"/{lang}/faq/{SEED}/" in html


@pytest.fixture
def small_law(tmp_path):
    call_command("import_law", str(write(tmp_path, laws.small_law())), verbosity=0)
    return "/law/test-law/"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_law_page_lists_its_articles_by_chapter(client, small_law, lang):
    html = get_ok(client, f"/{lang}{small_law}")
    first = "第一章 总则" if lang == "zh-hans" else "Chapter I General Provisions"
    second = "第二章 附则"  # no English title: the Chinese one stands in
    assert f'<a href="#chapter-1">{first}</a>' in html and f'<a href="#chapter-2">{second}</a>' in html
    one, two = html.index(f'<h2 id="chapter-1">{first}</h2>'), html.index(f'<h2 id="chapter-2">{second}</h2>')
    assert one < html.index(f"/{lang}{small_law}1/") < two < html.index(f"/{lang}{small_law}2/")


@pytest.mark.django_db
def test_an_english_law_article_is_labelled_as_unofficial(client, small_law):
    html = get_ok(client, f"/en{small_law}1/")
    assert "First paragraph." in html
    assert "Unofficial translation." in html
    chinese = get_ok(client, f"/zh-hans{small_law}1/")
    assert "第一段。" in chinese and "Unofficial translation." not in chinese


@pytest.mark.django_db
def test_english_law_article_without_translation_says_so(client, small_law):
    html = get_ok(client, f"/en{small_law}2/")
    assert "No English translation of this article is available" in html
    assert 'lang="zh-Hans"' in html and "只有中文。" in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_card_page_shows_both_accounts_and_their_states(client, lang):
    html = get_ok(client, f"/{lang}/card/")
    for account in Account.objects.prefetch_related("states"):
        assert f'id="{account.slug}"' in html
        assert 'class="state-diagram"' in html
        for state in account.states.all():
            assert f'id="state-{state.slug}"' in html
            assert escape(state.name_zh_hans if lang == "zh-hans" else state.name_en) in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_procedure_pages(client, lang):
    for procedure in Procedure.objects.prefetch_related("steps"):
        html = get_ok(client, f"/{lang}/card/procedures/{procedure.slug}/")
        for step in procedure.steps.all():
            assert escape(step.title_zh_hans if lang == "zh-hans" else step.title_en) in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/zh-hans/faq/no-such-question/",
        "/en/faq/topic/no-such-topic/",
        "/en/law/no-such-law/",
        "/en/law/social-insurance-law/9999/",
        "/zh-hans/card/procedures/no-such-procedure/",
        "/fr/faq/",
        "/en/nowhere/",
    ],
)
def test_unknown_things_give_a_404_page_in_the_site_look(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.django_db
def test_drafts_and_future_articles_are_hidden(client):
    article = Article.objects.get(slug=SEED)
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(f"/en/faq/{SEED}/").status_code == 404
    assert f"/en/faq/{SEED}/" not in main_of(client.get("/en/faq/"))

    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now() + timezone.timedelta(days=1)
    article.save()
    assert client.get(f"/en/faq/{SEED}/").status_code == 404
    # Not listed as citing its law article either.
    assert f"/en/faq/{SEED}/" not in main_of(client.get("/en/law/social-insurance-law/4/"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "expected"),
    [("en-US,en;q=0.9", "/en/"), ("zh-CN,zh;q=0.9", "/zh-hans/"), ("fr-FR", "/zh-hans/"), ("", "/zh-hans/")],
)
def test_root_picks_a_language_from_the_browser(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_switcher_keeps_the_page(client, lang):
    other = "en" if lang == "zh-hans" else "zh-hans"
    html = get_ok(client, f"/{lang}/faq/{SEED}/")
    assert f'href="/{other}/faq/{SEED}/"' in html


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Disallow: /admin/" in response.content.decode()
