from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404

from inquiry.cards.models import AccountState, Procedure, ProcedureStep
from inquiry.law.models import LawArticle, Source

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


def topics_in_use():
    """Topics that have published articles, without the articles (the home page, an empty search): one
    query, where building every published article to find out would cost a model per article."""
    published = Article.objects.published().filter(topic=OuterRef("pk"))
    return list(Topic.objects.filter(Exists(published)))


def topic(slug):
    return get_object_or_404(
        Topic.objects.prefetch_related(
            Prefetch("articles", queryset=Article.objects.published().only(*LIST_FIELDS), to_attr="published_articles")
        ),
        slug=slug,
    )


def translated(*names):
    """Every language's column of each translated field (what `.only()` must name: modeltranslation
    would otherwise narrow a field's name to the current language's column, and lose the fallback)."""
    return tuple(f"{name}_{suffix}" for name in names for suffix in ("zh_hans", "en"))


# Only what the article page shows: markdown sources, full law texts and editorial columns stay in the
# database (building a model instance costs time per column, and law texts are long).
ARTICLE_FIELDS = (
    "id",
    "slug",
    "status",
    "published_at",
    "updated_at",
    "last_reviewed_on",
    "topic_id",
    "topic__id",
    "topic__slug",
    *translated("title", "short_answer", "body_html", "topic__title"),
)
CITATION_FIELDS = (
    "id",
    "law_id",
    "number",
    "law__id",
    "law__slug",
    *translated("label", "summary_html", "law__title", "law__short_title"),
)
PROCEDURE_FIELDS = ("id", "slug", "order", *translated("title", "summary_html"))
STEP_FIELDS = ("id", "procedure_id", "order", *translated("title", "where", "bring_html", "outcome"))
STATE_FIELDS = ("id", "slug", "order", "account_id", "account__id", *translated("name", "account__name"))


def article_for_page(slug, *, include_drafts=False):
    """An article with everything its page shows, in seven queries whatever the amount of content:
    the article and its topic, then its legal basis, sources, procedures, their steps, account states
    (with their accounts) and related questions."""
    base = Article.objects.all() if include_drafts else Article.objects.published()
    # Steps come grouped by procedure from the prefetch: their own order is enough (no join).
    steps = ProcedureStep.objects.only(*STEP_FIELDS).order_by("order", "id")
    queryset = (
        base.select_related("topic")
        .only(*ARTICLE_FIELDS)
        .prefetch_related(
            Prefetch("citations", queryset=LawArticle.objects.select_related("law").only(*CITATION_FIELDS)),
            Prefetch("sources", queryset=Source.objects.all()),
            Prefetch(
                "procedures",
                queryset=Procedure.objects.only(*PROCEDURE_FIELDS).prefetch_related(Prefetch("steps", queryset=steps)),
            ),
            Prefetch("states", queryset=AccountState.objects.select_related("account").only(*STATE_FIELDS)),
            Prefetch("related", queryset=Article.objects.published().only(*LIST_FIELDS)),
        )
    )
    return get_object_or_404(queryset, slug=slug)
