"""The search page over the shipped content (FAQ and law articles) in both languages."""

import re
from html import unescape

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from inquiry.faq.models import Article
from inquiry.law.models import LawArticle
from inquiry.search.models import Document
from inquiry.search.providers import all_providers
from inquiry.search.selectors import PER_PAGE, RELAX_AT_MOST, search

SEED = "accidentally-put-money-on-card"
RESULT_LINK = re.compile(r'<h2 class="search-result-title"><a href="([^"]+)">(.*?)</a></h2>', re.S)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]


def result_links(response):
    assert response.status_code == 200
    return [href for href, _title in RESULT_LINK.findall(response.content.decode())]


def all_result_urls(query, language):
    """Every result of a query with all of its words, through every page of the selector (when at
    most FEW_RESULTS pages have them all, the pages with some of them that follow are left out)."""
    urls, page = [], 1
    while True:
        results = search(query=query, language=language, page=page)
        if results.relaxed:
            return [result.url for result in results.results[: results.complete]]
        urls += [result.url for result in results.results]
        if not results.has_next:
            return urls
        page += 1


def pages_containing(text, language):
    """The URLs of public pages whose text (as a visitor reads it, or an article's other phrasings of
    its question) contains `text`: a plain scan of the content, independent of the index. An English
    word counts as a whole word (pension is not in "suspension"); Chinese text anywhere."""
    found = set()
    now = timezone.now()
    pattern = re.compile(rf"(?<![a-z]){re.escape(text)}" if text.isascii() else re.escape(text), re.IGNORECASE)
    for provider in all_providers():
        for obj in provider.queryset():
            for page in provider.pages(obj):
                if (
                    page.language == language
                    and page.visible_from <= now
                    and pattern.search(f"{page.title}\n{page.body}\n{page.also_asked}")
                ):
                    found.add(page.url)
    return found


@pytest.mark.parametrize(("language", "query"), [("en", "activation"), ("zh-hans", "激活")])
def test_the_seed_article_comes_first(client, language, query):
    links = result_links(client.get(f"/{language}/search/", {"q": query}))
    assert links[0] == f"/{language}/faq/{SEED}/"


@pytest.mark.parametrize("query", ["余额", "激活", "挂失", "卡", "养老保险", "社保卡"])
@pytest.mark.usefixtures("no_synonyms")
def test_chinese_queries_find_every_page_that_contains_them(query):
    found = all_result_urls(query, "zh-hans")
    assert len(found) == len(set(found)), "a page appears twice"
    assert found
    if connection.vendor != "postgresql":
        assert set(found) == pages_containing(query, "zh-hans")
        return
    # PostgreSQL asks for a word's bigrams together rather than in a row (PostgresIndex._phrase): every
    # page holding the word, and beyond those only pages holding each of its bigrams (社保 and 保卡).
    assert set(found) >= pages_containing(query, "zh-hans")
    bigrams = [query[i : i + 2] for i in range(len(query) - 1)] or [query]
    assert all(
        set(found) - pages_containing(query, "zh-hans") <= pages_containing(bigram, "zh-hans") for bigram in bigrams
    )


@pytest.mark.usefixtures("no_synonyms")
def test_two_character_query_page_shows_the_count_and_marks_the_word(client):
    expected = pages_containing("余额", "zh-hans")
    html = client.get("/zh-hans/search/", {"q": "余额"}).content.decode()
    assert f"{len(expected)} " in html
    assert "<mark>余额</mark>" in html


@pytest.mark.parametrize(
    ("query", "form"), [("activated", "activation"), ("activation", "activate"), ("cards", "card")]
)
def test_english_word_forms_match(query, form):
    found = set(all_result_urls(query, "en"))
    assert found
    assert pages_containing(form, "en") <= found


def test_case_and_punctuation_do_not_matter():
    assert all_result_urls("ACTIVATION!!!", "en") == all_result_urls("activation", "en")
    assert all_result_urls("“lost”, card.", "en") == all_result_urls("lost card", "en")


@pytest.mark.usefixtures("no_synonyms")
def test_several_words_must_all_be_there():
    both = set(all_result_urls("社保卡 取钱", "zh-hans"))
    assert both
    assert both <= pages_containing("社保卡", "zh-hans") & pages_containing("取钱", "zh-hans")


@pytest.mark.usefixtures("no_synonyms")
def test_mixed_chinese_and_digits():
    found = set(all_result_urls("激活 12333", "zh-hans"))
    assert found
    assert found <= pages_containing("激活", "zh-hans") & pages_containing("12333", "zh-hans")


@pytest.mark.usefixtures("no_synonyms")
def test_a_question_typed_as_a_sentence_finds_the_answer():
    found = all_result_urls("社保卡怎么取钱", "zh-hans")
    assert set(found) == pages_containing("社保卡", "zh-hans") & pages_containing("取钱", "zh-hans")


def test_title_matches_rank_before_body_matches():
    # 医保 has no editors' pick, so the order is the ranking's own.
    # With 200 articles the title matches fill the first pages: read the pages until the body matches start.
    in_title = []
    for page in range(1, 30):
        results = search(query="医保", language="zh-hans", page=page).results
        in_title += ["医保" in unescape(re.sub("<[^>]+>", "", str(result.title))) for result in results]
        if not results or False in in_title:
            break
    assert True in in_title and False in in_title
    assert in_title == sorted(in_title, reverse=True), in_title


def test_each_result_shows_its_kind_and_a_highlighted_snippet(client):
    html = client.get("/en/search/", {"q": "pension"}).content.decode()
    assert "Question and answer" in html and "Guided answer" in html
    last = client.get("/en/search/", {"q": "pension", "page": "99"}).content.decode()
    assert "Law article" in last
    assert re.search(r'<p class="search-result-snippet">[^<]*(?:<[^m/][^>]*>[^<]*)*<mark>pension', html, re.I)


def test_highlighting_escapes_html(client):
    article = Article.objects.get(slug=SEED)
    article.title_en = 'Zebrafinch <b>bold</b> <script>alert("x")</script>'
    article.short_answer_en = "Zebrafinch <img src=x onerror=alert(1)> & more"
    article.save()
    html = client.get("/en/search/", {"q": "zebrafinch"}).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "<script>alert" not in main and "<img src=x" not in main and "<b>bold" not in main
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in main
    assert "<mark>Zebrafinch</mark> &lt;img src=x onerror=alert(1)&gt; &amp; more" in main


def test_the_query_is_shown_escaped(client):
    html = client.get("/en/search/", {"q": '<script>alert("q")</script>'}).content.decode()
    assert '<script>alert("q")' not in html
    assert "&lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt;" in html


def test_pagination(client):
    results = search(query="卡", language="zh-hans")
    assert results.total > 2 * PER_PAGE
    first = result_links(client.get("/zh-hans/search/", {"q": "卡"}))
    second = result_links(client.get("/zh-hans/search/", {"q": "卡", "page": "2"}))
    assert len(first) == PER_PAGE and second
    assert not set(first) & set(second)
    html = client.get("/zh-hans/search/", {"q": "卡"}).content.decode()
    assert 'rel="next" href="?q=%E5%8D%A1&amp;page=2"' in html
    # A page number past the end shows the last page.
    last = client.get("/zh-hans/search/", {"q": "卡", "page": "99"})
    assert result_links(last) and 'aria-current="page"' in last.content.decode()


def test_no_results_page_suggests_the_way_on(client):
    response = client.get("/en/search/", {"q": "qzxqzv"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No page found for “qzxqzv”." in html
    assert 'href="/en/faq/"' in html
    assert 'href="/en/faq/topic/' in html


def test_empty_search_page_offers_the_form_and_topics(client):
    html = client.get("/zh-hans/search/").content.decode()
    assert 'name="q"' in html and 'href="/zh-hans/faq/topic/' in html
    assert "search-results" not in html


BAD_QUERIES = [
    "",
    "   ",
    "卡" * 10_000,
    "x" * 10_000,
    '" * ( ) : ^ NEAR AND OR NOT -',
    '"',
    "NEAR(a b, 2)",
    "a AND",
    "OR",
    "title_tokens: 卡",
    "{title_tokens body_tokens}: 卡",
    "-卡",
    "^卡",
    "卡*",
    "\x00\x01\x1b[31m",
    "'; DROP TABLE search_document; --",
    "\ufffd",
    "🙂",
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("query", BAD_QUERIES, ids=range(len(BAD_QUERIES)))
def test_bad_input_gives_a_normal_page(client, language, query):
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    assert b'name="q"' in response.content


@pytest.mark.parametrize(
    "raw", ["q=%ff%fe", "q=%E5%8D", "q=%ff&page=%ff", "q=卡&page=-1", "q=卡&page=1e9", "q=卡&page=abc", "q=a&q=b"]
)
def test_malformed_query_strings(client, raw):
    response = client.get(f"/zh-hans/search/?{raw}")
    assert response.status_code == 200


def test_search_box_on_every_page(client):
    for url in ["/zh-hans/", "/en/faq/", f"/en/faq/{SEED}/", "/zh-hans/law/", "/en/card/"]:
        html = client.get(url).content.decode()
        assert '<form class="site-search" role="search" method="get" action="/' in html, url
        assert '<label for="site-search-q"' in html and 'id="site-search-q" name="q"' in html, url


# --- The index follows the content -----------------------------------------------------------


def found(word, language="en"):
    return [result.url for result in search(query=word, language=language).results]


def new_article(**fields):
    seed = Article.objects.get(slug=SEED)
    values = {
        "slug": "index-follows",
        "topic": seed.topic,
        "title_zh_hans": "关于斑马雀的问题",
        "title_en": "A question about the quokkaword",
        "short_answer_zh_hans": "简短回答。",
        "short_answer_en": "A short answer.",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now(),
    }
    values.update(fields)
    return Article.objects.create(**values)


def test_index_follows_create_edit_unpublish_and_delete():
    article = new_article()
    with translation.override("zh-hans"):
        url = article.get_absolute_url()
    with translation.override("en"):
        url_en = article.get_absolute_url()
    assert found("quokkaword") == [url_en]
    assert found("斑马雀", "zh-hans") == [url]

    article.title_en = "A question about the wombatword"
    article.save()
    assert found("quokkaword") == []
    assert found("wombatword") == [url_en]

    article.status = Article.Status.DRAFT
    article.save()
    assert found("wombatword") == []

    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now() + timezone.timedelta(days=1)
    article.save()
    assert found("wombatword") == [], "a scheduled article stays hidden until its publish date"
    assert search(query="wombatword", language="en", now=timezone.now() + timezone.timedelta(days=2)).total == 1

    article.published_at = timezone.now()
    article.save()
    assert found("wombatword") == [url_en]

    article.delete()
    assert found("wombatword") == []
    assert not Document.objects.filter(kind="faq", object_id=article.pk).exists()


def test_an_article_is_found_by_its_other_phrasings_in_their_own_language_only():
    article = new_article(
        also_asked_zh_hans="斑马雀卡丢了找谁\n袋鼠词怎么办",
        also_asked_en="Who do I ask about the wallabyword?",
    )
    with translation.override("zh-hans"):
        url = article.get_absolute_url()
    with translation.override("en"):
        url_en = article.get_absolute_url()
    assert found("袋鼠词", "zh-hans") == [url]
    assert found("wallabyword") == [url_en]
    assert found("袋鼠词") == [], "no fallback: the English page is not found by a Chinese phrasing"
    search_page = search(query="wallabyword", language="en").results[0]
    assert "wallabyword" not in search_page.title, "the phrasings are found, never shown as the title"

    article.also_asked_en = ""
    article.save()
    assert found("wallabyword") == []


def test_index_follows_law_articles_and_their_law():
    article = LawArticle.objects.select_related("law").get(law__slug="social-insurance-law", number=14)
    article.summary_en = "About the platypusword."
    article.save()
    assert found("platypusword") == ["/en/law/social-insurance-law/14/"]

    law = article.law
    law.short_title_en = "Echidnaword Law"
    law.save()
    # The law's title is part of each of its articles' titles.
    results = search(query="echidnaword", language="en")
    assert results.total == LawArticle.objects.filter(law=law).count()


def test_an_edit_rolled_back_leaves_the_index_as_it_was():
    before = Document.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        new_article()
        assert found("quokkaword")
        raise RuntimeError("the edit fails after the save")
    assert Document.objects.count() == before
    assert found("quokkaword") == []


def test_rebuild_command_recreates_the_index(client):
    from django.core.management import call_command

    expected = all_result_urls("余额", "zh-hans")
    Document.objects.all().delete()
    assert all_result_urls("余额", "zh-hans") == []
    seed = Article.objects.get(slug=SEED)
    Article.objects.filter(pk=seed.pk).update(title_en="Bulk-edited capybaraword title")  # sends no signal
    call_command("rebuild_search_index", verbosity=0)
    # The same pages; pages ranked equal (frequent on PostgreSQL) may swap places, as they are ordered
    # by their document rows' ids, which a rebuild renumbers.
    assert sorted(all_result_urls("余额", "zh-hans")) == sorted(expected)
    assert found("capybaraword") == [f"/en/faq/{SEED}/"]


def test_after_a_rebuild_edits_reach_the_index_again():
    from django.core.management import call_command

    call_command("rebuild_search_index", verbosity=0)
    seed = Article.objects.get(slug=SEED)
    seed.title_en = "Edited wombatword title"
    seed.save()
    assert found("wombatword") == [f"/en/faq/{SEED}/"]
    if connection.vendor == "postgresql":
        # The title vectors are kept twice (narrow rows to match, whole rows to rank): always the same.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_document_vector AS v FULL JOIN search_document_title AS t "
                "USING (document_id) WHERE v.title_vector IS DISTINCT FROM t.title_vector"
            )
            assert cursor.fetchone()[0] == 0


# --- Editors' recommended results ----------------------------------------------------------------


def test_recommended_result_is_marked_and_not_repeated(client):
    html = client.get("/zh-hans/search/", {"q": "激活"}).content.decode()
    html = html[html.index("<main") :]
    links = result_links(client.get("/zh-hans/search/", {"q": "激活"}))
    assert links.count(f"/zh-hans/faq/{SEED}/") == 1
    assert html.index("search-result-recommended") < html.index(f"/zh-hans/faq/{SEED}/")


def test_recommendation_matches_word_forms_and_question_words():
    assert found("activate")[0] == f"/en/faq/{SEED}/"
    assert found("怎么激活", "zh-hans")[0] == f"/zh-hans/faq/{SEED}/"


def test_recommendation_admin_refuses_an_unknown_page(admin_client):
    response = admin_client.post(
        "/admin/search/recommendation/add/", {"words": "test", "page": "/zh-hans/faq/no-such-page/", "order": 0}
    )
    assert response.status_code == 200
    assert "page" in response.context["adminform"].form.errors
    response = admin_client.post(
        "/admin/search/recommendation/add/",
        {"words": "test", "page": "https://example.org/en/faq/lost-card-what-to-do/?x=1", "order": 0},
    )
    assert response.status_code == 302
    assert found("test")[0] == "/en/faq/lost-card-what-to-do/"


# --- A fixed number of queries ---------------------------------------------------------------------


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


# editors' picks (read once per content generation; +1 when one matches) + match counts + the ranked
# page + the regions ("Your city")
SEARCH_BUDGET = 5
# The no-results page also lists the topics (one query) and the guides (one), and counts the
# search for the editors' report (one upsert).
NO_RESULTS_EXTRA = 4


@pytest.mark.parametrize("query", ["额外", "extra", "激活", "qzxqzv"])
def test_search_query_budget_does_not_grow_with_content(client, warm_search, query):
    from django.core.management import call_command

    from tests.core.test_query_budget import add_articles

    add_articles(10)
    call_command("rebuild_search_index", verbosity=0)
    language = "en" if query.isascii() else "zh-hans"
    # The synonym table and spelling vocabulary are read once per content generation (each added
    # article starts a new one); a busy site has them ready.
    warm_search(language)
    with_10 = count_queries(client, f"/{language}/search/", {"q": query})
    add_articles(490, prefix="more")
    call_command("rebuild_search_index", verbosity=0)
    warm_search(language)
    with_500 = count_queries(client, f"/{language}/search/", {"q": query, "page": "2"})
    assert with_10 == with_500
    assert with_500 <= SEARCH_BUDGET + (NO_RESULTS_EXTRA if query == "qzxqzv" else 0)


@pytest.mark.usefixtures("no_synonyms")
def test_mixed_chinese_and_english_words_in_one_query():
    # The English page about a card status quotes the Chinese word shown on the card.
    found = search(query="封存 sealed", language="en")
    results = [result.url for result in found.results]
    assert "/en/faq/card-status-sealed/" in results[:3]
    both = pages_containing("封存", "en") & pages_containing("sealed", "en")
    if found.relaxed:  # fewer than the re-ranked pages hold both words: pages with one of them join them
        assert found.complete == len(both) <= RELAX_AT_MOST
        assert set(results) <= pages_containing("封存", "en") | pages_containing("sealed", "en")
    else:  # an editors' pick answers the words, or enough pages hold them all to fill the re-ranked pages
        assert {result.url for result in found.results if not result.recommended} <= both


def test_an_edited_recommendation_applies_to_the_next_search(admin_client):
    # The picks are kept per content generation: changing one's words is seen at once.
    from inquiry.search.models import Recommendation

    response = admin_client.post(
        "/admin/search/recommendation/add/",
        {"words": "wombatpick", "page": "/en/faq/lost-card-what-to-do/", "order": 0},
    )
    assert response.status_code == 302
    assert found("wombatpick")[0] == "/en/faq/lost-card-what-to-do/"
    pick = Recommendation.objects.get(words="wombatpick")
    pick.words = "quokkapick"  # a text edit: a precise change, which leaves the generation as it was
    pick.save()
    assert found("quokkapick")[0] == "/en/faq/lost-card-what-to-do/"
    assert "/en/faq/lost-card-what-to-do/" not in found("wombatpick")
