"""What the search index holds: one provider per kind of page.

A provider names the model, says which of its objects are public (or will be), and turns one object
into a document per language. The index follows a provider's model, and any model listed in
`depends_on` (an edit there changes the documents of the objects it returns), on every save and delete.

Adding a kind of page is one more provider here: search depends on the content apps, never the other
way round.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from inquiry.core.markdown import html_to_text


@dataclass(frozen=True)
class PageText:
    """What one object looks like in one language: the text people can find it by, and where it is."""

    language: str
    title: str
    body: str
    url: str
    visible_from: datetime
    # Other ways people put the page's question (one per line): found like its text, never shown.
    also_asked: str = ""


@dataclass(frozen=True)
class SearchProvider:
    kind: str  # short and stable: it is stored in every document row
    label: object  # shown next to each result, e.g. "Question and answer"
    model: type[models.Model]
    # Objects that are public or scheduled to be, with what `pages` reads already joined.
    queryset: Callable[[], models.QuerySet]
    pages: Callable[[models.Model], Iterable[PageText]]
    # Optional: reads what `pages` needs for many objects at once (a fixed number of queries), so that
    # indexing a batch does not cost queries per object.
    prepare: Callable[[list], None] | None = None
    # model → function(instance) returning the provider's objects whose documents it changes.
    depends_on: dict = field(default_factory=dict)
    # Optional: how many of the provider's public objects send readers to each object ({object id:
    # count}, one query). A page many others point to answers a broader question (selectors.by_questions).
    links_in: Callable[[], dict[int, int]] | None = None


_providers: dict[str, SearchProvider] = {}


def register(provider: SearchProvider):
    _providers[provider.kind] = provider


def all_providers() -> list[SearchProvider]:
    return list(_providers.values())


def provider_for_kind(kind):
    return _providers.get(kind)


def providers_for_model(model):
    return [provider for provider in _providers.values() if provider.model is model]


def dependents_of(model):
    """[(provider, function)] for providers whose documents read `model`."""
    return [(provider, provider.depends_on[model]) for provider in _providers.values() if model in provider.depends_on]


def in_each_language(build):
    """Call `build()` once per site language with that language active (translated fields then read
    the right column, with modeltranslation's fallback to Chinese for a missing English text)."""
    pages = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            pages.append(build(code))
    return pages


# --- FAQ articles -------------------------------------------------------------------------------


def _faq_queryset():
    from inquiry.faq.models import Article

    # Published, including those whose publish date is still ahead: `visible_from` hides them until then.
    return Article.objects.filter(status=Article.Status.PUBLISHED, published_at__isnull=False)


def _faq_pages(article):
    return in_each_language(
        lambda code: PageText(
            language=code,
            title=article.title,
            body="\n".join(part for part in (article.short_answer, html_to_text(article.body_html)) if part),
            url=article.get_absolute_url(),
            visible_from=article.published_at,
            # This language's own phrasings: no fallback to the other language's (a Chinese phrasing
            # would only make an English page match Chinese words).
            also_asked=getattr(article, build_localized_fieldname("also_asked", code)) or "",
        )
    )


def _faq_links_in():
    """How many published articles list each published article among their related questions."""
    from django.db.models import Count

    from inquiry.faq.models import Article

    public = _faq_queryset()
    links = Article.related.through.objects.filter(from_article__in=public, to_article__in=public)
    return dict(links.values("to_article").annotate(count=Count("from_article")).values_list("to_article", "count"))


# --- Law articles -------------------------------------------------------------------------------

# Law articles have no publication state: every article is public from the start.
LAW_ALWAYS_VISIBLE = datetime(2000, 1, 1, tzinfo=UTC)


def _law_queryset():
    from inquiry.law.models import LawArticle

    return LawArticle.objects.select_related("law")


def _law_text(article, code):
    # The page shows the English translation when there is one and the Chinese text otherwise.
    if code == "en" and article.text_en:
        return article.text_en
    return article.text_zh_hans or article.text_en or ""


def _law_pages(article):
    return in_each_language(
        lambda code: PageText(
            language=code,
            title=f"{article.law} {article.label}",
            body="\n".join(part for part in (html_to_text(article.summary_html), _law_text(article, code)) if part),
            url=article.get_absolute_url(),
            visible_from=LAW_ALWAYS_VISIBLE,
        )
    )


# --- Guide outcomes ------------------------------------------------------------------------------


def _guide_queryset():
    from inquiry.guide.models import Flow, Outcome

    # Outcomes of published guides, including those whose publish date is still ahead (`visible_from`).
    return Outcome.objects.filter(flow__status=Flow.Status.PUBLISHED, flow__published_at__isnull=False).select_related(
        "flow"
    )


def _guide_prepare(outcomes):
    from inquiry.guide.selectors import shortest_answers

    shortest = shortest_answers({outcome.flow for outcome in outcomes})
    for outcome in outcomes:
        outcome.shortest_answers = shortest[outcome.flow_id].get(outcome.slug)


def _guide_pages(outcome):
    from inquiry.guide.links import outcome_url

    from .models import Document

    if not hasattr(outcome, "shortest_answers"):
        _guide_prepare([outcome])
    answers = outcome.shortest_answers
    if answers is None:  # no path leads to it (a guide that does not pass its checks): nothing to find
        return []
    longest = Document._meta.get_field("url").max_length

    def url():
        # The shareable address with the answers, which renders without a redirect; the bare address
        # (which redirects there) in the unlikely case that many long slugs do not fit the column.
        shareable = outcome_url(outcome.flow.slug, outcome.slug, answers)
        return shareable if len(shareable) <= longest else outcome.get_absolute_url()

    return in_each_language(
        lambda code: PageText(
            language=code,
            title=outcome.heading,
            body=html_to_text(outcome.what_happened_html),
            url=url(),
            visible_from=outcome.flow.published_at,
        )
    )


def _published_outcomes(**flow):
    """The outcomes of a published flow: their addresses carry answers, which its questions and
    answers shape (a draft has no documents to update)."""
    from inquiry.guide.models import Flow, Outcome

    return Outcome.objects.filter(flow__status=Flow.Status.PUBLISHED, **flow)


def register_builtin_providers():
    from inquiry.faq.models import Article
    from inquiry.guide.models import Choice, Flow, Outcome, Question
    from inquiry.law.models import Law, LawArticle

    register(
        SearchProvider(
            kind="faq",
            label=_("Question and answer"),
            model=Article,
            queryset=_faq_queryset,
            pages=_faq_pages,
            links_in=_faq_links_in,
        )
    )
    register(
        SearchProvider(
            kind="law",
            label=_("Law article"),
            model=LawArticle,
            queryset=_law_queryset,
            pages=_law_pages,
            # A law's title is part of each of its articles' titles.
            depends_on={Law: lambda law: law.articles.all()},
        )
    )
    register(
        SearchProvider(
            kind="guide",
            label=_("Guided answer"),
            model=Outcome,
            queryset=_guide_queryset,
            pages=_guide_pages,
            prepare=_guide_prepare,
            depends_on={
                # Publishing, unpublishing, the publish date and the slug are the flow's.
                Flow: lambda flow: flow.outcomes.all(),
                # Questions and answers decide the shortest answers, hence each outcome's address.
                Question: lambda question: _published_outcomes(flow_id=question.flow_id),
                Choice: lambda choice: _published_outcomes(flow__questions=choice.question_id),
            },
        )
    )
