"""Each guide page costs a fixed number of SQL queries, whatever the size of the flow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiry.cards.models import Procedure
from inquiry.faq.models import Article
from inquiry.guide.models import Flow, Outcome, OutcomeProcedure
from inquiry.law.models import LawArticle, Source

from .flows import make_flow

pytestmark = pytest.mark.usefixtures("shipped_content")

# page → (address in a flow "budget-<size>", the most queries it may make). A rendered page also lists
# the regions for the footer's "Your city" form (one query); a regional page gets them with its region.
BUDGETS = {
    "index": ("/zh-hans/guide/", 2),
    "start": ("/zh-hans/guide/{flow}/", 2),
    "question": ("/zh-hans/guide/{flow}/q1/", 5),
    "later question": ("/zh-hans/guide/{flow}/q2/?q1=c0", 5),
    "answer (redirect)": ("/zh-hans/guide/{flow}/q1/answer/?q1=c0", 4),
    "answer (error)": ("/zh-hans/guide/{flow}/q2/answer/?q1=c0", 5),
    "outcome": ("/zh-hans/guide/{flow}/result/o0/?q1=c0&q2=c0", 11),  # 9, its sources, the regions
    "outcome without answers (redirect)": ("/zh-hans/guide/{flow}/result/o0/", 4),
    "outcome (Beijing)": ("/zh-hans/beijing/guide/{flow}/result/o0/?q1=c0&q2=c0", 11),
    "question (Guangzhou)": ("/en/guangzhou/guide/{flow}/q2/?q1=c0", 5),
}


def build(size):
    """A published flow: q1 → q2..q(size) → `size` outcomes, each outcome rich in related content."""
    questions = {"q1": [(f"c{i}", f"q{i + 2}") for i in range(size)]}
    for i in range(size):
        questions[f"q{i + 2}"] = [(f"c{j}", f"@o{(i + j) % size}") for j in range(max(size, 2))]
    flow = make_flow(f"budget-{size}", questions, [f"o{i}" for i in range(size)], "q1")
    procedures = list(Procedure.objects.all()[: min(size, 10)])
    citations = list(LawArticle.objects.all()[: size * 2])
    articles = list(Article.objects.all()[:size])
    sources = list(Source.objects.all()[:size])
    for outcome in Outcome.objects.filter(flow=flow):
        OutcomeProcedure.objects.bulk_create(
            OutcomeProcedure(outcome=outcome, procedure=procedure, order=n) for n, procedure in enumerate(procedures)
        )
        outcome.citations.set(citations)
        outcome.faq_articles.set(articles)
        outcome.sources.set(sources)
    return flow


@pytest.fixture(scope="module")
def flows(shipped_content, django_db_blocker):
    """The small and the large flow, built once for all the pages (the 30 × 30 one takes a while), and
    removed again afterwards: the database is the session's, shared with other modules."""
    with django_db_blocker.unblock():
        built = build(2), build(30)
    yield built
    with django_db_blocker.unblock():
        Flow.objects.filter(pk__in=[flow.pk for flow in built]).delete()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 302, 400), url
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(BUDGETS))
def test_query_budget_is_the_same_for_a_small_and_a_large_flow(client, page, no_page_cache, flows):
    url, budget = BUDGETS[page]
    small, large = flows
    with_small = count_queries(client, url.format(flow=small.slug))
    with_large = count_queries(client, url.format(flow=large.slug))
    assert with_small == with_large, f"{page}: {with_small} queries for a small flow, {with_large} for a large one"
    assert with_large <= budget, f"{page}: {with_large} queries, budget {budget}"


@pytest.mark.django_db
def test_query_budget_of_the_shipped_outcome_page(client, no_page_cache):
    answers = "money-source=card-lost-or-damaged&card-problem=lost&lost-reported=formal"
    url = f"/en/guide/what-happened-to-my-money/result/lost-get-new-card/?{answers}"
    assert count_queries(client, url) <= BUDGETS["outcome"][1]


@pytest.mark.django_db
def test_the_shipped_outcome_page_under_a_region_costs_what_the_national_one_does(client, no_page_cache):
    answers = "money-source=card-lost-or-damaged&card-problem=lost&lost-reported=formal"
    national = count_queries(client, f"/en/guide/what-happened-to-my-money/result/lost-get-new-card/?{answers}")
    regional = count_queries(
        client, f"/en/guangzhou/guide/what-happened-to-my-money/result/lost-get-new-card/?{answers}"
    )
    assert regional <= national + 1, (national, regional)
