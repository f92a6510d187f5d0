from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from inquiry.cards.selectors import procedures_with_steps
from inquiry.law.models import LawArticle

from .models import Article, Topic

LIST_FIELDS = (
    "id",
    "slug",
    "topic_id",
    "title_zh_hans",
    "title_en",
    "short_answer_zh_hans",
    "short_answer_en",
    "order",
)


def topics_with_articles():
    """Topics that have published articles, each with its articles: two queries."""
    published = Article.objects.published().only(*LIST_FIELDS)
    topics = Topic.objects.prefetch_related(Prefetch("articles", queryset=published, to_attr="published_articles"))
    return [item for item in topics if item.published_articles]


def topic(slug):
    return get_object_or_404(
        Topic.objects.prefetch_related(
            Prefetch("articles", queryset=Article.objects.published().only(*LIST_FIELDS), to_attr="published_articles")
        ),
        slug=slug,
    )


def article_for_page(slug, *, include_drafts=False):
    """An article with everything its page shows, in a fixed number of queries."""
    base = Article.objects.all() if include_drafts else Article.objects.published()
    queryset = base.select_related("topic").prefetch_related(
        Prefetch("citations", queryset=LawArticle.objects.with_law()),
        Prefetch("procedures", queryset=procedures_with_steps()),
        "states__account",
        Prefetch("related", queryset=Article.objects.published().only(*LIST_FIELDS)),
    )
    return get_object_or_404(queryset, slug=slug)
