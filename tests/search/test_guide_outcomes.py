"""The guide's outcomes in the search: found in both languages at their shareable address, and in
step with the guide's publishing and every edit of its outcomes, questions and answers."""

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiry.guide.engine import canonical_answers
from inquiry.guide.models import Choice, Flow, Outcome, Question
from inquiry.guide.selectors import flow_graph
from inquiry.search.models import Document
from inquiry.search.selectors import search
from tests.guide.flows import MAIN, make_flow

from .test_search import all_result_urls, pages_containing, result_links

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]

LANGUAGES = ["zh-hans", "en"]


def shareable_url(outcome, language):
    """The outcome's address with the shortest answers, built here from the engine's answers."""
    answers = canonical_answers(flow_graph(outcome.flow))[outcome.slug]
    query = "&".join(f"{question}={choice}" for question, choice in answers)
    return f"/{language}/guide/{outcome.flow.slug}/result/{outcome.slug}/?{query}"


def found(word, language="en", **kwargs):
    return [result.url for result in search(query=word, language=language, **kwargs).results]


def guide_urls(urls):
    return {url for url in urls if "/guide/" in url}


# --- Shipped outcomes, found by what people type ----------------------------------------------------


@pytest.mark.usefixtures("no_synonyms")
@pytest.mark.parametrize("query", ["卡", "钱", "激活", "挂失", "余额", "养老金"])
def test_chinese_one_and_two_character_queries_find_every_outcome_containing_them(query):
    results = all_result_urls(query, "zh-hans")
    expected = guide_urls(pages_containing(query, "zh-hans"))
    assert expected, f"no shipped outcome contains {query}"
    assert guide_urls(results) == expected


def test_the_unactivated_deposit_outcome_is_found_in_chinese_and_english():
    outcome = Outcome.objects.select_related("flow").get(flow__slug=MAIN, slug="deposit-not-activated")
    assert shareable_url(outcome, "zh-hans") in all_result_urls("激活", "zh-hans")
    assert shareable_url(outcome, "zh-hans") in all_result_urls("没激活", "zh-hans")
    assert shareable_url(outcome, "zh-hans") in all_result_urls("存 激活", "zh-hans")
    for form in ("activate", "activated", "activation", "ACTIVATING", "activated account"):
        assert shareable_url(outcome, "en") in all_result_urls(form, "en"), form


@pytest.mark.parametrize(("query", "form"), [("activation", "activated"), ("cards", "card"), ("reported", "report")])
def test_english_word_forms_find_the_outcomes(query, form):
    assert guide_urls(pages_containing(form, "en")) <= guide_urls(all_result_urls(query, "en"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_results_link_to_the_shareable_address_which_renders_without_a_redirect(client, language):
    for outcome in Outcome.objects.filter(flow__status=Flow.Status.PUBLISHED).select_related("flow"):
        documents = Document.objects.filter(kind="guide", object_id=outcome.pk, language=language)
        assert [document.url for document in documents] == [shareable_url(outcome, language)]
    url = Document.objects.filter(kind="guide", language=language).first().url
    response = client.get(url)
    assert response.status_code == 200, url


@pytest.mark.parametrize(("language", "label"), [("en", "Guided answer"), ("zh-hans", "引导式解答")])
def test_the_result_says_it_is_a_guided_answer(client, language, label):
    outcome = Outcome.objects.select_related("flow").get(flow__slug=MAIN, slug="deposit-not-activated")
    word = "unactivatedzebra" if language == "en" else "斑马雀"
    setattr(outcome, f"heading_{language.replace('-', '_')}", f"{word} {outcome.heading}")
    outcome.save()
    response = client.get(f"/{language}/search/", {"q": word})
    html = response.content.decode()
    # The address is escaped in the page like any other (& as &amp;).
    assert [unescape(link) for link in result_links(response)] == [shareable_url(outcome, language)]
    assert re.search(rf'<p class="search-result-kind">{label}</p>', html)
    assert f"<mark>{word}</mark>" in html


# --- The index follows the guide -----------------------------------------------------------------


def new_flow(**kwargs):
    """q1 → (a: @o1 | b: q2), q2 → (a: @o1 | b: @o2): o1 is reached by one answer at the shortest."""
    flow = make_flow(
        "search-follows",
        {"q1": [("a", "@o1"), ("b", "q2")], "q2": [("a", "@o1"), ("b", "@o2")]},
        ["o1", "o2"],
        "q1",
        **kwargs,
    )
    outcome = Outcome.objects.get(flow=flow, slug="o1")
    outcome.heading_zh_hans = "关于斑马雀的结果"
    outcome.heading_en = "About the quokkaword"
    outcome.what_happened_zh_hans = "你的钱在袋鼬账户里。"
    outcome.what_happened_en = "Your money waited for activating."
    outcome.save()
    return flow, outcome


def test_index_follows_create_edit_reroute_unpublish_and_delete():
    flow, outcome = new_flow()
    assert found("quokkaword") == ["/en/guide/search-follows/result/o1/?q1=a"]
    assert found("斑马雀", "zh-hans") == ["/zh-hans/guide/search-follows/result/o1/?q1=a"]
    assert found("袋鼬", "zh-hans") == found("斑马雀", "zh-hans")
    assert "/en/guide/search-follows/result/o1/?q1=a" in all_result_urls("activated", "en")

    # The outcome's own text.
    outcome.heading_en = "About the wombatword"
    outcome.save()
    assert found("quokkaword") == []
    assert found("wombatword") == ["/en/guide/search-follows/result/o1/?q1=a"]

    # An answer renamed or rerouted changes the shortest answers, hence the address.
    choice = Choice.objects.get(question__flow=flow, question__slug="q1", slug="a")
    choice.slug = "yes"
    choice.save()
    assert found("wombatword") == ["/en/guide/search-follows/result/o1/?q1=yes"]
    choice.outcome = Outcome.objects.get(flow=flow, slug="o2")
    choice.save()
    assert found("wombatword") == ["/en/guide/search-follows/result/o1/?q1=b&q2=a"]
    question = Question.objects.get(flow=flow, slug="q2")
    question.slug = "second"
    question.save()
    assert found("wombatword") == ["/en/guide/search-follows/result/o1/?q1=b&second=a"]

    # Deleting the answer that led to it leaves no path: nothing to find (a published guide's checks
    # refuse this in the admin; the index does not rely on them).
    Choice.objects.get(question=question, slug="a").delete()
    assert found("wombatword") == []
    Choice.objects.create(question=question, slug="a", label_zh_hans="甲", label_en="A", outcome=outcome)
    assert found("wombatword") == ["/en/guide/search-follows/result/o1/?q1=b&second=a"]

    # The flow's slug is part of the address.
    flow.slug = "search-follows-renamed"
    flow.save()
    assert found("wombatword") == ["/en/guide/search-follows-renamed/result/o1/?q1=b&second=a"]

    # Publishing.
    flow.status = Flow.Status.DRAFT
    flow.save()
    assert found("wombatword") == []
    assert not Document.objects.filter(kind="guide", object_id=outcome.pk).exists()

    flow.status = Flow.Status.PUBLISHED
    flow.published_at = timezone.now() + timezone.timedelta(days=1)
    flow.save()
    assert found("wombatword") == [], "a scheduled guide stays hidden until its publish date"
    assert found("wombatword", now=timezone.now() + timezone.timedelta(days=2)) != []

    flow.published_at = timezone.now()
    flow.save()
    assert found("wombatword") == ["/en/guide/search-follows-renamed/result/o1/?q1=b&second=a"]

    # Deleting the outcome (after the answers that lead to it), then the whole flow.
    Choice.objects.filter(outcome=outcome).delete()
    outcome.delete()
    assert found("wombatword") == []
    assert not Document.objects.filter(kind="guide", object_id=outcome.pk).exists()
    other = Outcome.objects.get(flow=flow, slug="o2")
    assert Document.objects.filter(kind="guide", object_id=other.pk).exists()
    flow.delete()
    assert not Document.objects.filter(kind="guide", object_id=other.pk).exists()


def test_a_draft_guide_is_never_found():
    new_flow(published=False)
    assert found("quokkaword") == []
    assert found("quokkaword", now=timezone.now() + timezone.timedelta(days=3650)) == []


def test_a_guide_edit_rolled_back_leaves_the_index_as_it_was():
    flow, outcome = new_flow()
    before = list(Document.objects.filter(kind="guide").order_by("id").values_list("object_id", "language", "url"))
    with pytest.raises(RuntimeError), transaction.atomic():
        outcome.heading_en = "About the capybaraword"
        outcome.save()
        flow.slug = "rolled-back"
        flow.save()
        assert found("capybaraword") == ["/en/guide/rolled-back/result/o1/?q1=a"]
        raise RuntimeError("the edit fails after the save")
    after = list(Document.objects.filter(kind="guide").order_by("id").values_list("object_id", "language", "url"))
    assert after == before
    assert found("capybaraword") == []
    assert found("quokkaword") == ["/en/guide/search-follows/result/o1/?q1=a"]


def test_rebuild_command_indexes_the_outcomes(capsys):
    outcome = Outcome.objects.select_related("flow").get(flow__slug=MAIN, slug="deposit-not-activated")
    expected = all_result_urls("激活", "zh-hans")
    Outcome.objects.filter(pk=outcome.pk).update(heading_en="Bulk-edited okapiword heading")  # sends no signal
    Document.objects.filter(kind="guide").delete()
    assert guide_urls(all_result_urls("激活", "zh-hans")) == set()
    call_command("rebuild_search_index")
    # The same pages (equally ranked ones may swap places: see test_rebuild_command_recreates_the_index).
    assert sorted(all_result_urls("激活", "zh-hans")) == sorted(expected)
    assert found("okapiword") == [shareable_url(outcome, "en")]
    published = Outcome.objects.filter(flow__status=Flow.Status.PUBLISHED).count()
    assert f"guide: {2 * published}" in capsys.readouterr().out


# --- A fixed number of queries ---------------------------------------------------------------------


def outcomes_flow(slug, count):
    """A published flow whose `count` outcomes all contain the word 鸸鹋 / emuword once the index is
    rebuilt (the text is written in bulk, which the index does not see)."""
    questions = {"q1": [(f"c{i}", f"@o{i}") for i in range(count)]}
    flow = make_flow(slug, questions, [f"o{i}" for i in range(count)], "q1")
    Outcome.objects.filter(flow=flow).update(
        what_happened_zh_hans="鸸鹋的钱。",
        what_happened_html_zh_hans="<p>鸸鹋的钱。</p>",
        what_happened_en="The emuword money.",
        what_happened_html_en="<p>The emuword money.</p>",
    )
    return flow


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("language", "query"), [("zh-hans", "鸸鹋"), ("en", "emuword"), ("en", "qzxqzv")])
def test_search_query_budget_does_not_grow_with_outcomes_or_guides(client, no_page_cache, warm_search, language, query):
    from .test_search import NO_RESULTS_EXTRA, SEARCH_BUDGET

    outcomes_flow("budget-few", 3)  # more than FEW_RESULTS: a search counted for the editors costs one more
    call_command("rebuild_search_index", verbosity=0)
    warm_search(language)
    few = count_queries(client, f"/{language}/search/", {"q": query})
    for index in range(3):
        outcomes_flow(f"budget-many-{index}", 15)
    call_command("rebuild_search_index", verbosity=0)
    warm_search(language)
    many = count_queries(client, f"/{language}/search/", {"q": query, "page": "2"})
    assert few == many
    if query != "qzxqzv":
        assert search(query=query, language=language).total == 48
    assert many <= SEARCH_BUDGET + (NO_RESULTS_EXTRA if query == "qzxqzv" else 0)


def test_indexing_a_guide_edit_costs_the_same_for_a_small_and_a_large_guide():
    """An answer's edit rewrites the documents of every outcome of its guide in a fixed number of queries."""
    small, large = outcomes_flow("cost-small", 2), outcomes_flow("cost-large", 40)

    def edit_cost(flow):
        choice = Choice.objects.filter(question__flow=flow).first()
        choice.label_en = "Changed"
        with CaptureQueriesContext(connection) as queries:
            choice.save()
        return len(queries)

    assert edit_cost(small) == edit_cost(large)
    assert Document.objects.filter(kind="guide", url__contains="/cost-large/").count() == 80


# --- No results: the guides are the way on --------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_results_page_suggests_the_published_guides(client, language):
    from tests.guide.flows import SECOND

    Flow.objects.filter(slug=SECOND).update(status=Flow.Status.DRAFT)
    html = client.get(f"/{language}/search/", {"q": "qzxqzv"}).content.decode()
    empty = html[html.index('<section class="search-empty"') : html.index("</section>", html.index("search-empty"))]
    main = Flow.objects.get(slug=MAIN)
    title = main.title_en if language == "en" else main.title_zh_hans
    assert f'<a href="/{language}/guide/{MAIN}/">{title}</a>' in empty
    assert f"/guide/{SECOND}/" not in empty
    # With results, the page lists them instead.
    assert 'class="search-guides"' not in client.get(f"/{language}/search/", {"q": "激活"}).content.decode()
