"""Searches that no page answers in full: word weights, the rarer words first, the tail cut; and the
word forms, letter case and traditional characters that must match. Small worlds built here, with
made-up words, so the shipped content (loaded or not) does not change what is found."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiry.search.backends import Frequencies
from inquiry.search.models import Document
from inquiry.search.questions import features
from inquiry.search.selectors import MIN_FINDING_IDF, idf, search, weigh
from inquiry.search.text import fold, query_terms, stem
from tests.support import builders

pytestmark = pytest.mark.django_db


def urls(query, language="en"):
    return [result.url for result in search(query=query, language=language).results]


def english_page(slug, title, text):
    article = builders.article(slug, topic_=builders.topic(f"topic-{slug}"), title_en=title, short_answer_en=text)
    return f"/en/faq/{article.slug}/"


# --- Weights ------------------------------------------------------------------------------------------


def test_a_word_on_every_page_weighs_almost_nothing_and_a_rare_one_much():
    assert idf(1000, 1000) < 0.001
    assert idf(1000, 900) < 0.15 < MIN_FINDING_IDF
    assert idf(1000, 5) > 5


def test_only_telling_words_of_two_or_more_characters_make_a_page_a_result():
    terms = query_terms("社保卡 激活 0 鸸鹋")
    weighted = weigh(terms, Frequencies(documents=100, terms=(90, 20, 3, 0)))
    assert [item.finds for item in weighted] == [False, True, False, False]  # common, telling, 1 char, absent
    assert weighted[2].weight > weighted[1].weight > weighted[0].weight
    # A single character finds when no longer word of the query does.
    alone = weigh(query_terms("社保卡 存"), Frequencies(documents=100, terms=(90, 20)))
    assert [item.finds for item in alone] == [False, True]


def test_a_place_name_weighs_little_and_makes_no_page_a_result():
    terms = query_terms("深圳 鸸鹋")
    weighted = weigh(terms, Frequencies(documents=100, terms=(3, 3)))
    assert [item.finds for item in weighted] == [False, True]
    assert weighted[0].weight < weighted[1].weight / 2


# --- Relaxed ranking, on the real database ---------------------------------------------------------


def test_pages_with_some_words_join_when_those_with_every_word_do_not_fill_the_re_ranked_pages():
    # Twelve pages hold both words by chance: more than a page of results, fewer than the three pages
    # re-ranked by questions (RELAX_AT_MOST). The page that has the rarer word alone still joins them.
    both = [english_page(f"both-{n}", f"Zorblat and quindle {n}", "Both words.") for n in range(12)]
    alone = english_page("alone", "How does the zorblat work?", "The rarer word only.")
    for n in range(8):
        english_page(f"common-{n}", f"Quindle {n}", "Only the commoner word.")
    for n in range(15):
        english_page(f"other-{n}", f"Something else {n}", "Neither word.")
    results = search(query="zorblat quindle", language="en")
    assert results.relaxed and (results.complete, results.partial) == (12, 1)
    found = [result.url for result in results.results + search(query="zorblat quindle", language="en", page=2).results]
    assert set(found) == {*both, alone}


def test_the_rarer_words_decide_the_order_and_the_tail_is_cut():
    both = english_page("both", "Zorblat and quindle", "Both words.")
    rare = english_page("rare", "About the zorblat", "Only the rare word.")
    commons = [english_page(f"common-{n}", f"Quindle {n}", "Only the common word.") for n in range(6)]
    found = urls("zorblat quindle nosuchwordever")
    # No page has the third word. The page with both others first, then the one with the rarer;
    # pages holding only the commoner word weigh less than half of the best: not shown.
    assert found == [both, rare]
    assert not set(found) & set(commons)
    results = search(query="zorblat quindle nosuchwordever", language="en")
    assert results.relaxed and (results.complete, results.partial) == (0, 2)


def test_among_pages_holding_the_same_words_the_one_about_them_comes_first():
    """The first page of a relaxed search is re-ranked by how often and where each page says the words
    (BM25 over the page's pages, selectors.rerank): the index only knows which words each holds."""
    passing = english_page("passing", "Another subject", "It says zorblat once, and quindle once.")
    about = builders.article(
        "about",
        topic_=builders.topic("topic-about"),
        title_en="Something else",
        short_answer_en="Zorblat and quindle.",
        body_en="The zorblat here, the zorblat there; the quindle with it.",
        also_asked_en="Where is my zorblat?\nZorblat and quindle together\nWhat does a quindle do?",
    )
    for number in range(6):
        english_page(f"other-{number}", f"Other {number}", "Neither word.")
    found = urls("zorblat quindle nosuchwordever")
    # Both hold both words, in their text only: the index ranks them alike, the older first.
    assert found == [f"/en/faq/{about.slug}/", passing]


def test_a_law_article_is_shown_when_it_holds_the_words_no_answer_holds():
    law = builders.law("zorblat-law", articles=1)
    article = law.articles.get()
    article.text_en = "The zorblat and the quindle are both covered here."
    article.save()
    answer = english_page("answer", "Quindle questions", "Only the quindle.")
    law_url = Document.objects.get(kind="law", object_id=article.pk, language="en").url
    # It holds both words, the answer only one: it comes first.
    found = urls("zorblat quindle nosuchwordever")
    assert found[0] == law_url
    assert answer not in found[:1]


def test_a_rare_word_in_the_title_outweighs_a_common_word_in_the_text():
    # No page has the third word. One page holds both others in its text; one holds the rarer word
    # only, in its title: a page titled with the rare word is about it, and comes first.
    in_text = english_page("in-text", "Something else", "Zorblat and quindle are here.")
    in_title = english_page("in-title", "The zorblat", "A page about it.")
    for n in range(3):
        english_page(f"quindle-{n}", f"Page {n}", "A quindle.")
    for n in range(3):
        english_page(f"other-{n}", f"Other {n}", "Nothing of the kind.")
    assert urls("zorblat quindle nosuchwordever")[:2] == [in_title, in_text]


def test_with_every_word_on_one_page_only_that_page_is_shown_above_the_tail():
    one = english_page("one", "Zorblat quindle frobnitz", "All three.")
    english_page("two", "Quindle", "One word.")
    results = search(query="zorblat quindle frobnitz", language="en")
    assert [result.url for result in results.results][0] == one
    assert results.total == 1


def test_a_search_with_some_words_costs_a_fixed_number_of_queries():
    english_page("both", "Zorblat and quindle", "Both words.")
    english_page("rare", "About the zorblat", "Only the rare word.")
    # The synonym table, spelling words, picks and the pages' questions, read once.
    search(query="qzxqzv zqxqzv", language="en")
    with CaptureQueriesContext(connection) as first:
        search(query="zorblat quindle nosuchwordever", language="en")
    with CaptureQueriesContext(connection) as again:
        search(query="zorblat quindle nosuchwordever", language="en")
    # The counts with every word, the word frequencies (kept until content changes), the page.
    assert len(first) == 3
    assert len(again) == 2


# --- The questions pages answer ----------------------------------------------------------------------


def test_question_features_leave_out_question_words_and_fold_what_was_typed():
    assert features("如何办理電子社保卡呢？") == ["办理", "理电", "电子", "子社", "社保", "保卡"]
    assert features("社保卡怎么挂失") == ["社保", "保卡", "挂失"]
    assert features("How do I renew my cards?") == ["renew", "card", "renew card"]


def test_a_page_whose_question_is_the_one_typed_comes_first():
    """A question of several words re-ranks the first pages by how close it is to each page's nearest
    question (its title, its other phrasings): the index alone puts the page with every word in its
    title first."""
    in_title = english_page("in-title", "Zorblat, quindle and renew: fees for the frobnitz", "A page.")
    asked = builders.article(
        "asked",
        topic_=builders.topic("topic-asked"),
        title_en="Something else",
        short_answer_en="Zorblat and quindle: renew them here.",
        also_asked_en="How do I renew my zorblat quindle?",
    )
    for number in range(3):
        english_page(f"other-{number}", f"Other {number}", "Zorblat, quindle, renew.")
    assert urls("How do I renew my zorblat quindle?")[:2] == [f"/en/faq/{asked.slug}/", in_title]
    # One word is not a question: the title tier keeps its place.
    assert urls("zorblat")[0] == in_title


def test_a_question_with_one_search_word_is_re_ranked_by_the_questions_pages_answer():
    """没了 and 办理 carry no subject, so 鸸鹋没了怎么办理 searches 鸸鹋 alone; the page whose question is
    the one typed still comes first. 鸸鹋 typed alone keeps the index's order."""
    often = chinese_page("often", "鸸鹋、鸸鹋和鸸鹋的饲料")
    asked = builders.article(
        "asked-zh",
        topic_=builders.topic("topic-asked-zh"),
        title_zh_hans="鸸鹋丢失后的手续",
        also_asked_zh_hans="鸸鹋没了怎么办",
    )
    for number in range(3):
        chinese_page(f"filler-{number}", f"别的问题{number}")
    assert urls("鸸鹋", "zh-hans")[0] == often
    assert urls("鸸鹋没了怎么办理", "zh-hans")[0] == f"/zh-hans/faq/{asked.slug}/"


def test_paging_through_the_re_ranked_pages_shows_each_page_once():
    pages = [
        builders.article(
            f"page-{number}",
            topic_=builders.topic(f"topic-page-{number}"),
            title_en=f"Zorblat quindle {number}",
            short_answer_en="Zorblat and quindle; renew them.",
            also_asked_en="Where do I renew my zorblat quindle?" if number % 3 == 0 else "",
        )
        for number in range(35)
    ]
    # The first three pages are re-ranked together; the fourth goes on in the index's order.
    seen = []
    for page in (1, 2, 3, 4):
        seen += urls_on_page("Where do I renew my zorblat quindle?", page)
    assert len(seen) == len(set(seen)) == len(pages)


def test_a_page_past_the_end_of_a_re_ranked_search_shows_the_last_page():
    both = english_page("both", "Zorblat and quindle", "Both words.")
    rare = english_page("rare", "About the zorblat", "Only the rare word.")
    for number in range(6):
        english_page(f"common-{number}", f"Quindle {number}", "Only the common word.")
    assert urls("zorblat quindle nosuchwordever") == [both, rare]
    for page in (2, 3, 7):
        results = search(query="zorblat quindle nosuchwordever", language="en", page=page)
        assert results.page == 1 and [result.url for result in results.results] == [both, rare]


def urls_on_page(query, page, language="en"):
    return [result.url for result in search(query=query, language=language, page=page).results]


# --- What must match --------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["APP挂失斑马卡", "app 挂失 斑马卡", "ＡＰＰ挂失斑马卡", "App挂失斑马卡"])
def test_latin_letters_match_whatever_their_case_next_to_chinese(query):
    topic = builders.topic("app-topic")
    article = builders.article("app-loss", topic_=topic, title_zh_hans="在手机App挂失斑马卡", title_en="Zebra card")
    found = urls(query, "zh-hans")
    assert f"/zh-hans/faq/{article.slug}/" in found


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("withdraw", "withdrawn"),
        ("withdrawing", "withdrew"),
        ("withdrawal", "withdraw"),
        ("benefits", "benefit"),
        ("activate", "activation"),
        ("lost", "losing"),
        ("paid", "payment"),
        ("apply", "application"),
    ],
)
def test_english_word_forms_match(typed, written):
    assert stem(typed) == stem(written)
    page = english_page("forms", f"Zorblat {written}", "Text.")
    assert page in urls(f"zorblat {typed}")


def test_traditional_characters_fold_with_opencc_and_the_sites_own_choices():
    assert fold("社會保障卡遺失") == "社会保障卡遗失"
    assert fold("臺灣鐘錶") == "台湾钟表"  # not in the old hand-made table
    assert fold("帳戶") == fold("帐户") == "账户"  # OpenCC says 帐; the pages write 账


def test_an_edit_changes_the_word_frequencies_at_once():
    english_page("rare", "About the zorblat", "Only the rare word.")
    for number in range(4):
        english_page(f"other-{number}", f"Other page {number}", "Nothing of the kind.")
    assert urls("zorblat quindle nosuchwordever") == ["/en/faq/rare/"]
    builders.article("more", topic_=builders.topic("more"), title_en="Zorblat quindle", short_answer_en="Both.")
    assert urls("zorblat quindle nosuchwordever")[0] == "/en/faq/more/"


def test_a_scheduled_page_is_not_among_the_pages_with_some_words():
    later = timezone.now() + timezone.timedelta(days=1)
    builders.article("soon", topic_=builders.topic("soon"), title_en="Zorblat soon", published_at=later)
    assert urls("zorblat quindle nosuchwordever") == []


def chinese_page(slug, title):
    article = builders.article(slug, topic_=builders.topic(f"topic-{slug}"), title_zh_hans=title)
    return f"/zh-hans/faq/{article.slug}/"


def test_a_city_in_the_question_does_not_outweigh_what_is_asked():
    # No page has every word. One page names the city and one asked word; another holds both asked
    # words: the city (rarer here) would put the first on top, but where the asker lives is not what
    # they ask.
    city = chinese_page("city", "深圳的鸸鹋")
    asked = chinese_page("asked", "鸸鹋和鹦鹉")
    chinese_page("other", "鹦鹉的饲养")
    for number in range(4):
        chinese_page(f"filler-{number}", f"别的问题{number}")
    found = [result.url for result in search(query="深圳 鸸鹋 鹦鹉 鸵鸟", language="zh-hans").results]
    assert found[0] == asked
    assert city in found


def test_a_page_for_foreigners_comes_after_the_general_page_unless_the_question_names_them():
    """A page whose title names a group of people (foreigners) answers for that group only: it comes
    below the general page for a question that does not name the group, though its title is closer to
    what was typed, and first for one that does."""
    for_foreigners = english_page("for-foreigners", "Can foreigners renew their zorblat quindle?", "Renew.")
    general = english_page("general", "Where do I renew my zorblat quindle, and the fee?", "Renew.")
    for number in range(3):
        english_page(f"other-{number}", f"Other {number}", "Zorblat, quindle, renew.")
    found = urls("Can I renew my zorblat quindle?")
    assert found.index(general) < found.index(for_foreigners)
    assert urls("Can foreigners renew a zorblat quindle?")[0] == for_foreigners


def test_a_page_many_pages_point_to_comes_before_an_equally_close_page_none_point_to():
    """A page many answers send readers to (listed among their related questions) answers the broad
    question; a page about one case of it that happens to share more of the words comes after it."""
    from inquiry.faq.models import Article
    from inquiry.search.providers import _faq_links_in

    # The most linked page counts fully: point to it from more pages than point to any other page in
    # the database (which holds the shipped content once a test has committed it).
    most = max(_faq_links_in().values(), default=0)
    pointing = [
        english_page(f"pointing-{number}", f"Other {number}", "Zorblat, quindle, renew.")
        for number in range(max(3, most + 1))
    ]
    one_case = english_page("one-case", "How do I renew a zorblat quindle abroad?", "Renew.")
    broad = english_page("broad", "Renew a zorblat quindle: where to go and the fee", "Renew.")
    asked = "How do I renew a zorblat quindle?"
    found = urls(asked)
    assert found.index(one_case) < found.index(broad)  # closer to what was typed; nothing points to either
    for url in pointing:
        Article.objects.get(slug=url.split("/")[-2]).related.add(Article.objects.get(slug="broad"))
    found = urls(asked)
    assert found.index(broad) < found.index(one_case)
    # Links from pages that are not published do not count.
    Article.objects.filter(slug__startswith="pointing-").update(status=Article.Status.DRAFT)
    Article.objects.get(slug="one-case").save()  # an edit: the content generation changes
    found = urls(asked)
    assert found.index(one_case) < found.index(broad)


@pytest.mark.parametrize(
    ("finds", "scored"),
    [
        ((True, True, False, False), (True, True, True, True)),  # several find, two looked up
        ((True, True, True, False), (True, True, True, False)),  # several find
        ((True, False, False, False), (True, True, True, False)),  # one finds, split by two others
        ((True, False, False, False), (True, True, True, True)),  # one finds, three others: looked up
        ((False, True, False, False), (True, True, False, False)),  # one finds, one other
    ],
)
def test_each_database_ranks_the_pages_with_some_words_as_the_generic_query_does(finds, scored):
    """The summed query (several words find: both databases) and the split one (one word finds:
    PostgreSQL) give the generic query's pages, order and counts."""
    from inquiry.search.backends import Index, WeightedTerm, index_for

    words = ["zorblat", "quindle", "fribble", "wuggle"]
    for number in range(16):  # every combination of the words, in the title or the text, ties included
        held = [word for bit, word in enumerate(words) if number >> bit & 1] or ["nothing"]
        english_page(f"t{number}", " ".join(["Title", *held[:1]]), " ".join(["Text", *held]))
        english_page(f"b{number}", "Title", " ".join(["Text", *held]))
    terms = query_terms(" ".join(words))
    index = index_for(connection)
    now = timezone.now()
    for weights in ((1.5, 1.2, 0.7, 0.3), (1.0, 1.0, 0.5, 0.5)):
        weighted = [
            WeightedTerm(term=term, weight=weight, finds=find, scored=score)
            for term, weight, find, score in zip(terms, weights, finds, scored, strict=True)
        ]
        first = Index.search_some(index, language="en", weighted=weighted, now=now, offset=0, limit=40)
        for offset, exclude in ((0, ()), (3, ()), (7, ()), (0, tuple(hit.id for hit in first.hits[:3]))):
            for keep_share, title_weight in ((0.0, 1.0), (0.5, 1.0), (0.5, 0.0)):
                arguments = {"language": "en", "weighted": weighted, "now": now, "offset": offset, "limit": 5}
                arguments.update(exclude_ids=exclude, keep_share=keep_share, title_weight=title_weight)
                assert index.search_some(**arguments) == Index.search_some(index, **arguments)


@pytest.mark.parametrize(
    ("rare_in_title", "rare_weight", "kept"),
    [
        (True, 2.0, ["rare"]),  # the best page scores 4.0: the others cannot reach 2.0, and are not read
        (False, 2.0, ["rare", "common"]),  # 2.0: the page with both common words in its title scores 1.6
        (False, 1.2, ["common", "rare"]),  # the page with only common words is the best
    ],
)
def test_pages_with_only_the_commonest_words_are_read_when_they_could_be_kept(rare_in_title, rare_weight, kept):
    """The summed query first reads the common words on the pages holding a rarer one; the pages
    holding only common words are read too when one of them could score the share kept of the best
    page found first. Each page is counted once, with all its words."""
    from inquiry.search.backends import Index, WeightedTerm, _weak_finders, index_for

    english_page("rare", "Zorblat" if rare_in_title else "Title", "Text zorblat")
    english_page("common", "Quindle fribble", "Text quindle fribble")
    english_page("one-common", "Title", "Text quindle")
    terms = query_terms("zorblat quindle fribble")
    weighted = [
        WeightedTerm(term=term, weight=weight, finds=True)
        for term, weight in zip(terms, (rare_weight, 0.4, 0.4), strict=True)
    ]
    assert [item.term.text for item in _weak_finders(weighted, 0.5, 1.0)[0]] == ["quindle", "fribble"]
    arguments = {"language": "en", "weighted": weighted, "now": timezone.now(), "offset": 0, "limit": 10}
    arguments.update(keep_share=0.5, title_weight=1.0)
    found = index_for(connection).search_some(**arguments)
    assert found == Index.search_some(index_for(connection), **arguments)
    assert [hit.url.split("/")[-2] for hit in found.hits] == kept
