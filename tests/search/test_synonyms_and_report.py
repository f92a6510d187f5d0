"""The synonym table (shipped, edited in the admin, applied to queries), the ranking of answers above
law articles, the spelling suggestion, and the report of what visitors did not find."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from inquiry.core.generation import current_generation
from inquiry.faq.models import Article
from inquiry.feedback.models import Feedback
from inquiry.search.models import LOG_KEEP_DAYS, Document, SynonymGroup, UnansweredSearch
from inquiry.search.selectors import search, thesaurus
from inquiry.search.services import prune_unanswered_searches, record_unanswered_search
from inquiry.search.text import Thesaurus, query_terms

from .test_search import pages_containing, result_links

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]


def urls(query, language):
    return [result.url for result in search(query=query, language=language).results]


def all_urls(query, language):
    found, page = [], 1
    while True:
        results = search(query=query, language=language, page=page)
        found += [result.url for result in results.results]
        if not results.has_next:
            return found
        page += 1


# --- Synonyms ------------------------------------------------------------------------------------


def test_the_shipped_synonyms_are_loaded():
    groups = {group.terms for group in SynonymGroup.objects.all()}
    assert any("公交" in terms and "地铁" in terms for terms in groups)
    assert any("退休金" in terms and "养老金" in terms for terms in groups)
    assert any("bus" in terms and "metro" in terms for terms in groups)


@pytest.mark.parametrize(
    ("language", "typed", "written"),
    [("zh-hans", "退休金", "养老金"), ("zh-hans", "医保卡", "社保卡"), ("en", "retirement", "pension")],
)
def test_a_synonym_finds_the_pages_with_the_other_word(language, typed, written):
    found = set(all_urls(typed, language))
    assert pages_containing(written, language) <= found
    assert pages_containing(written, language) - pages_containing(typed, language), "test needs pages only with one"


def test_synonyms_inside_a_question_typed_without_spaces():
    terms = query_terms("我的社保卡丢了怎么办", thesaurus("zh-hans"))
    assert [term.text for term in terms] == ["社保卡", "丢了"]
    assert "挂失" in {synonym.text for synonym in terms[1].synonyms}
    # Among pages with every word in the title, BM25 (SQLite) and ts_rank (PostgreSQL) may differ.
    assert "/zh-hans/faq/lost-card-what-to-do/" in urls("我的社保卡丢了怎么办", "zh-hans")[:3]


def test_an_english_phrase_is_one_synonym():
    terms = query_terms("card on public transport", thesaurus("en"))
    assert [term.text for term in terms] == ["card", "public transport"]
    assert {"bus", "metro"} <= {synonym.text for synonym in terms[1].synonyms}


def test_a_group_for_one_language_does_not_apply_to_the_other():
    SynonymGroup.objects.create(terms="zebrafinch, seed", language="en")
    assert query_terms("zebrafinch", thesaurus("en"))[0].synonyms
    assert not query_terms("zebrafinch", thesaurus("zh-hans"))[0].synonyms


def test_editing_a_synonym_applies_at_once_and_retires_cached_pages(client):
    assert client.get("/en/search/", {"q": "zebrafinch"}).context["results"].total == 0
    before = current_generation()["id"]
    SynonymGroup.objects.create(terms="zebrafinch, activation")
    assert current_generation()["id"] != before
    response = client.get("/en/search/", {"q": "zebrafinch"})
    assert "/en/faq/how-to-activate-financial-account/" in result_links(response)


def test_synonym_admin_saves_and_keeps_history(admin_client):
    response = admin_client.post(
        reverse("admin:search_synonymgroup_add"), {"terms": "乘车码, 公交码", "language": "", "note": ""}
    )
    assert response.status_code == 302
    group = SynonymGroup.objects.get(terms="乘车码, 公交码")
    assert group.history.count() == 1
    assert admin_client.get(reverse("admin:search_synonymgroup_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:search_synonymgroup_change", args=[group.pk])).status_code == 200


@pytest.mark.parametrize("terms", ["only-one", "!!!, ???", "card, cards"])
def test_synonym_admin_refuses_a_group_that_means_nothing(admin_client, terms):
    response = admin_client.post(reverse("admin:search_synonymgroup_add"), {"terms": terms, "language": ""})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not SynonymGroup.objects.filter(terms=terms).exists()


def test_thesaurus_ignores_groups_of_one_word():
    assert not Thesaurus([["alone"]])
    assert Thesaurus([["bus", "metro"]]).expand(query_terms("bus")[0]).synonyms


# --- Ranking --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "query"), [("en", "pension"), ("zh-hans", "养老保险"), ("en", "card")])
def test_answers_rank_above_law_articles(language, query):
    from django.db import connection

    from inquiry.search.backends import index_for

    terms = query_terms(query, thesaurus(language))
    page = index_for(connection).search(language=language, terms=terms, now=timezone.now(), offset=0, limit=1000)
    assert page.total == len(page.hits)
    # Answers with the words in their title, law articles with them in theirs, the other answers,
    # the other law articles.
    tiers = [(0 if hit.in_title else 2) + (hit.kind == "law") for hit in page.hits]
    assert tiers == sorted(tiers)
    assert {hit.kind for hit in page.hits} >= {"law", "faq"}
    assert 2 in tiers and 3 in tiers


def test_answers_come_first_on_the_first_page():
    first_page = urls("pension", "en")
    assert all("/law/" not in url for url in first_page[:5])


# --- Did you mean -----------------------------------------------------------------------------------


def test_a_misspelt_word_shows_the_results_for_the_closest_spelling(client):
    response = client.get("/en/search/", {"q": "activaton"})
    results = response.context["results"]
    assert results.corrected in ("activate", "activation", "activating")  # the closest word in the titles
    assert results.total
    html = response.content.decode()
    assert results.corrected in html and "activaton" in html
    assert "Showing results for" in html


def test_nothing_found_still_suggests_the_guides(client):
    html = client.get("/en/search/", {"q": "qzxqzv"}).content.decode()
    assert "No page found" in html
    assert 'href="/en/guide/' in html


# --- What visitors did not find ---------------------------------------------------------------------


def test_a_search_with_no_results_is_counted_even_when_the_page_comes_from_the_cache(client):
    for _ in range(3):
        response = client.get("/zh-hans/search/", {"q": "  鸸鹋   鸵鸟 "})
        assert response.status_code == 200
        assert response.get("X-Page-Cache") != "hit"
    row = UnansweredSearch.objects.get()
    assert (row.query, row.language, row.results, row.searches) == ("鸸鹋 鸵鸟", "zh-hans", 0, 3)
    assert row.day == timezone.localdate()


def test_a_search_with_many_results_is_cached_and_not_counted(client):
    client.get("/en/search/", {"q": "card"})
    assert client.get("/en/search/", {"q": "card"})["X-Page-Cache"] == "hit"
    assert not UnansweredSearch.objects.exists()


def test_only_the_words_are_kept_and_capped(client):
    client.get(
        "/en/search/",
        {"q": "qzx " * 200},
        HTTP_USER_AGENT="Secret/1.0",
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    row = UnansweredSearch.objects.get()
    assert len(row.query) <= 100
    stored = " ".join(str(value) for value in UnansweredSearch.objects.values_list().get())
    assert "203.0.113" not in stored and "198.51" not in stored and "Secret" not in stored
    assert {field.name for field in UnansweredSearch._meta.get_fields()} == {
        "id",
        "day",
        "language",
        "query",
        "results",
        "searches",
    }


def test_rows_older_than_90_days_are_dropped_by_the_command_and_on_the_first_search_of_a_day():
    today = timezone.localdate()
    old = today - datetime.timedelta(days=LOG_KEEP_DAYS + 1)
    edge = today - datetime.timedelta(days=LOG_KEEP_DAYS)
    UnansweredSearch.objects.create(day=old, language="en", query="old", results=0)
    UnansweredSearch.objects.create(day=edge, language="en", query="edge", results=0)
    call_command("prune_search_log", verbosity=0)
    assert set(UnansweredSearch.objects.values_list("query", flat=True)) == {"edge"}
    UnansweredSearch.objects.create(day=old, language="en", query="old again", results=0)
    record_unanswered_search(query="today", language="en", results=0)  # the day's first search prunes
    assert set(UnansweredSearch.objects.values_list("query", flat=True)) == {"edge", "today"}
    assert prune_unanswered_searches(today=today + datetime.timedelta(days=1)) == 1  # edge is now too old


def test_report_counts_per_day_and_week_and_lists_the_queries(admin_client):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    for _ in range(3):
        record_unanswered_search(query="鸸鹋", language="zh-hans", results=0)
    record_unanswered_search(query="emu", language="en", results=1)
    record_unanswered_search(query="emu", language="en", results=1, today=yesterday)
    article = Article.objects.get(slug="lost-card-what-to-do")
    for helpful in (False, False, True):
        Feedback.objects.create(page_kind="faq", object_id=article.pk, language="en", helpful=helpful)
    response = admin_client.get(reverse("admin:search_unansweredsearch_changelist"))
    assert response.status_code == 200
    context = response.context
    day = {period.start: period for period in context["days"]}
    assert (day[today].no_results, day[today].few_results, day[today].not_helpful) == (3, 1, 2)
    assert (day[yesterday].no_results, day[yesterday].few_results) == (0, 1)
    assert sum(period.few_results for period in context["weeks"]) == 2
    assert sum(period.not_helpful for period in context["weeks"]) == 2
    kept = {(row.query, row.language): row.searches for row in context["queries_kept"]}
    assert kept == {("鸸鹋", "zh-hans"): 3, ("emu", "en"): 2}
    assert context["unhelpful_pages"][0].page == article and context["unhelpful_pages"][0].not_helpful == 2
    html = response.content.decode()
    assert "鸸鹋" in html and article.get_absolute_url() in html


def test_report_in_chinese(admin_client):
    record_unanswered_search(query="鸸鹋", language="zh-hans", results=0)
    response = admin_client.get(reverse("admin:search_unansweredsearch_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "访客没有找到什么" in response.content.decode()


def test_report_is_linked_from_the_admin_index(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:search_unansweredsearch_changelist") in html


def test_report_is_for_staff_only(client, django_user_model):
    url = reverse("admin:search_unansweredsearch_changelist")
    assert client.get(url).status_code == 302  # to the sign-in page
    user = django_user_model.objects.create_user("visitor", password="a long enough password", is_staff=True)
    client.force_login(user)
    assert client.get(url).status_code == 403


def test_editors_can_read_the_report(client, django_user_model):
    from django.contrib.auth.models import Group

    from inquiry.editorial.roles import EDITOR

    user = django_user_model.objects.create_user("editor", password="a long enough password", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(user)
    assert client.get(reverse("admin:search_unansweredsearch_changelist")).status_code == 200
    assert client.get(reverse("admin:search_synonymgroup_changelist")).status_code == 200


# --- Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_10_kb_query_gives_a_normal_page(client, language):
    response = client.get(f"/{language}/search/", {"q": "社保卡 activation " * 600})
    assert response.status_code == 200
    for row in UnansweredSearch.objects.all():
        assert len(row.query) <= 100


def test_a_question_with_a_word_no_page_has_still_finds_answers(client):
    # No page has every word: the pages with the rarer ones are shown, the caption says so, and a page
    # holding only the commonest word (社保卡) is not among them.
    response = client.get("/zh-hans/search/", {"q": "社保卡 激活 鸸鹋"})
    results = response.context["results"]
    assert results.relaxed and results.complete == 0 and results.results
    html = response.content.decode()
    assert f"没有页面包含您输入的全部词语；{results.total} 个页面包含其中一部分。" in html
    activate = [phrasing.text for phrasing in results.terms[1].phrasings]
    assert activate[0] == "激活"
    for result in results.results:
        document = Document.objects.get(url=result.url)
        assert any(word in document.title + document.body for word in activate), document.title
    # One page gets the rare word too: it comes first, alone (the others hold far less of the query).
    article = Article.objects.get(slug="how-to-activate-financial-account")
    article.title_zh_hans += "（鸸鹋）"
    article.save()
    response = client.get("/zh-hans/search/", {"q": "社保卡 激活 鸸鹋"})
    results = response.context["results"]
    assert result_links(response) == ["/zh-hans/faq/how-to-activate-financial-account/"]
    assert results.total == 1 and not results.relaxed
    # Counted for the editors as a search with one page that has every word.
    assert UnansweredSearch.objects.get(query="社保卡 激活 鸸鹋").results == 1


def test_the_caption_says_how_many_have_all_the_words_and_how_many_some(client):
    # Two pages hold all three (made-up) words, two hold the first two, one only the third.
    holding = {
        "how-to-activate-financial-account": "鸸鹋 犰狳 蝾螈",
        "why-balance-shows-zero": "鸸鹋 犰狳 蝾螈",
        "lost-card-what-to-do": "鸸鹋 犰狳",
        "expired-card": "鸸鹋 犰狳",
        "electronic-card-only": "蝾螈",
    }
    for slug, words in holding.items():
        article = Article.objects.get(slug=slug)
        article.short_answer_zh_hans += f" {words}"
        article.save()
    response = client.get("/zh-hans/search/", {"q": "鸸鹋 犰狳 蝾螈"})
    results = response.context["results"]
    assert [term.text for term in results.terms] == ["鸸鹋", "犰狳", "蝾螈"]
    assert results.relaxed and (results.complete, results.partial) == (2, 2)
    links = result_links(response)
    assert set(links[:2]) == {f"/zh-hans/faq/{slug}/" for slug in list(holding)[:2]}
    # The page with only one of the three words is the tail, left out.
    assert set(links[2:]) == {f"/zh-hans/faq/{slug}/" for slug in list(holding)[2:4]}
    assert "2 个页面包含您输入的全部词语； 另有 2 个页面包含其中一部分。" in response.content.decode()


def test_the_log_stops_growing_past_a_days_bound(monkeypatch):
    from inquiry.search import services

    monkeypatch.setattr(services, "MAX_LOGGED_PER_DAY", 3)
    for index in range(5):
        record_unanswered_search(query=f"random {index}", language="en", results=0)
    assert UnansweredSearch.objects.count() == 3
    # The next day starts afresh.
    record_unanswered_search(
        query="next day", language="en", results=0, today=timezone.localdate() + datetime.timedelta(days=1)
    )
    assert UnansweredSearch.objects.filter(query="next day").exists()


def test_the_feedback_report_links_to_it(admin_client):
    html = admin_client.get(reverse("admin:feedback_feedback_report")).content.decode()
    assert reverse("admin:search_unansweredsearch_changelist") in html


def test_an_editors_new_synonym_waits_for_a_publisher(client, django_user_model):
    from django.contrib.auth.models import Group

    from inquiry.editorial.models import Proposal
    from inquiry.editorial.roles import EDITOR

    editor = django_user_model.objects.create_user("eddie", password="a long enough password", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    response = client.post(reverse("admin:search_synonymgroup_add"), {"terms": "乘车码, 公交码", "language": ""})
    assert response.status_code == 302
    assert not SynonymGroup.objects.filter(terms="乘车码, 公交码").exists()
    assert Proposal.objects.filter(status=Proposal.Status.PENDING, content_type__model="synonymgroup").exists()


def test_without_a_usable_cache_the_synonyms_are_not_read_on_every_search(settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert current_generation() is None
    search(query="卡", language="zh-hans")  # may read the table once
    with CaptureQueriesContext(connection) as queries:
        results = search(query="退休金", language="zh-hans")
    assert not any("search_synonymgroup" in query["sql"] for query in queries.captured_queries)
    assert any("养老金" in str(result.title) for result in results.results)


def test_a_further_page_of_a_logged_search_is_not_counted_again(client):
    query = "社保卡 激活 鸸鹋"  # no page has every word; many have some
    assert client.get("/zh-hans/search/", {"q": query}).context["results"].num_pages > 1
    client.get("/zh-hans/search/", {"q": query, "page": "2"})
    assert UnansweredSearch.objects.get(query=query).searches == 1
