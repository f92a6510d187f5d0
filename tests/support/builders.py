"""Small worlds for tests that do not need the whole shipped content (see `shipped_content` in
tests/conftest.py): a topic with an article citing a law article, a law with articles, a procedure with
steps, and the shipped guides as plain graphs (no database). Flows as database rows: tests/guide/flows.py.

Every builder takes keyword overrides and fills the rest with plain bilingual text.
"""

from django.utils import timezone

from inquiry.cards.models import Procedure, ProcedureStep
from inquiry.core.shipped import content_dir, read_content
from inquiry.faq.models import Article, Topic
from inquiry.guide import content_loader
from inquiry.guide.content_loader import graph_from_yaml
from inquiry.law.models import Law, LawArticle


def shipped_flows_yaml():
    """The guides in inquiry/guide/content/flows/, as read by the content loader."""
    return read_content(content_dir(content_loader.__file__), "flows").get("flows", [])


def shipped_graph(slug):
    """A shipped guide's graph straight from its YAML, for the engine's tests: no database needed.
    (tests/guide/test_engine.py checks that the loaded guide has exactly this graph.)"""
    return next(graph_from_yaml(item) for item in shipped_flows_yaml() if item["slug"] == slug)


def law(slug="test-law", *, articles=3, **fields):
    """A law with `articles` numbered articles (1..n), each with a text in both languages."""
    law = Law.objects.create(
        slug=slug, title_zh_hans=f"测试法 {slug}", title_en=f"Test law {slug}", **{"order": 0, **fields}
    )
    for number in range(1, articles + 1):
        LawArticle.objects.create(
            law=law,
            number=number,
            label_zh_hans=f"第{number}条",
            label_en=f"Article {number}",
            text_zh_hans=f"第{number}条的文字。",
            text_en=f"The text of article {number}.",
        )
    return law


def topic(slug="test-topic", **fields):
    return Topic.objects.create(slug=slug, title_zh_hans=f"话题 {slug}", title_en=f"Topic {slug}", **fields)


def article(slug="test-article", *, topic_=None, cites=(), published=True, **fields):
    """A FAQ article in `topic_` (a new topic if None) citing the law articles in `cites`."""
    values = {
        "title_zh_hans": f"问题 {slug}?",
        "title_en": f"Question {slug}?",
        "short_answer_zh_hans": "简短的回答。",
        "short_answer_en": "A short answer.",
        "body_zh_hans": "详细说明。",
        "body_en": "The detail.",
        **fields,
    }
    if published:
        values.setdefault("status", Article.Status.PUBLISHED)
        values.setdefault("published_at", timezone.now() - timezone.timedelta(days=1))
    made = Article.objects.create(slug=slug, topic=topic_ or topic(f"{slug}-topic"), **values)
    made.citations.set(cites)
    return made


def procedure(slug="test-procedure", *, steps=2, cites=(), **fields):
    """A procedure with `steps` steps in order, citing the law articles in `cites`."""
    made = Procedure.objects.create(
        slug=slug, title_zh_hans=f"办理 {slug}", title_en=f"Procedure {slug}", summary_en="What it does.", **fields
    )
    for order in range(1, steps + 1):
        ProcedureStep.objects.create(
            procedure=made, order=order, title_zh_hans=f"第{order}步", title_en=f"Step {order}", where_en="A counter."
        )
    made.citations.set(cites)
    return made
