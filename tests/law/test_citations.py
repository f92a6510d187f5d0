"""A law article's page lists the pages citing it, found from the models' relations (inquiry.law.citations)."""

import pytest
from django.utils import timezone, translation

from inquiry.cards.models import Procedure, ProcedureStep
from inquiry.faq.models import Article, Topic
from inquiry.guide.models import Outcome
from inquiry.law.citations import citing_kinds, citing_pages
from inquiry.law.models import Law, LawArticle


@pytest.fixture
def law_article(db):
    law = Law.objects.create(slug="citation-test-law", title_zh_hans="引用测试法", title_en="Citation Test Law")
    return LawArticle.objects.create(law=law, number=1, label_zh_hans="第一条", label_en="Article 1")


def test_every_model_citing_law_is_found_in_the_order_the_page_lists_them():
    assert [kind.model for kind in citing_kinds()] == [Article, Outcome, Procedure]
    with translation.override("en"):
        labels = [str(kind.label) for kind in citing_kinds()]
    assert labels == [
        "Questions and answers",
        "Guided answers",
        "Step-by-step procedures",
    ]


def test_a_procedure_is_listed_as_a_page_and_its_steps_are_not_citing_kinds():
    # The steps are parts of the procedure's page: they carry sources, the procedure carries the law.
    assert not any(field.many_to_many and field.related_model is LawArticle for field in ProcedureStep._meta.fields)
    assert ProcedureStep not in {kind.model for kind in citing_kinds()}


def test_a_law_article_lists_the_procedure_and_the_faq_article_citing_it(client, law_article):
    procedure = Procedure.objects.create(slug="citing-procedure", title_zh_hans="办理", title_en="Do it")
    ProcedureStep.objects.create(procedure=procedure, title_zh_hans="第一步", title_en="First step")
    procedure.citations.add(law_article)
    article = Article.objects.create(
        slug="citing-article",
        topic=Topic.objects.create(slug="citing-topic", title_zh_hans="主题", title_en="Topic"),
        title_zh_hans="问题",
        title_en="A citing question",
        short_answer_zh_hans="回答。",
        short_answer_en="Answer.",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    article.citations.add(law_article)
    draft = Article.objects.create(
        slug="citing-draft", topic=article.topic, title_en="A draft", short_answer_en="Not yet."
    )
    draft.citations.add(law_article)

    with translation.override("en"):
        pages = [(str(label), objects) for label, objects in citing_pages(law_article)]
    assert pages == [("Questions and answers", [article]), ("Step-by-step procedures", [procedure])]

    html = client.get("/en/law/citation-test-law/1/").content.decode()
    cited_by = html[html.index('class="cited-by"') :]
    assert 'href="/en/faq/citing-article/"' in cited_by
    assert 'href="/en/card/procedures/citing-procedure/"' in cited_by
    assert "citing-draft" not in cited_by
