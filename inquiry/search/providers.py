"""What the search index holds: one provider per kind of page.

A provider names the model, says which of its objects are public (or will be), and turns one object
into a document per language. The index follows a provider's model, and any model listed in
`depends_on` (an edit there changes the documents of the objects it returns), on every save and delete.

Adding a kind of page (the guide's outcomes, say) is one more provider here: search depends on the
content apps, never the other way round.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from inquiry.core.markdown import html_to_text


@dataclass(frozen=True)
class PageText:
    """What one object looks like in one language: the text people can find it by, and where it is."""

    language: str
    title: str
    body: str
    url: str
    visible_from: datetime


@dataclass(frozen=True)
class SearchProvider:
    kind: str  # short and stable: it is stored in every document row
    label: object  # shown next to each result, e.g. "Question and answer"
    model: type[models.Model]
    # Objects that are public or scheduled to be, with what `pages` reads already joined.
    queryset: Callable[[], models.QuerySet]
    pages: Callable[[models.Model], Iterable[PageText]]
    # model → function(instance) returning the provider's objects whose documents it changes.
    depends_on: dict = field(default_factory=dict)


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
        )
    )


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


def register_builtin_providers():
    from inquiry.faq.models import Article
    from inquiry.law.models import Law, LawArticle

    register(
        SearchProvider(
            kind="faq",
            label=_("Question and answer"),
            model=Article,
            queryset=_faq_queryset,
            pages=_faq_pages,
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
    # The guide's outcomes get their provider here once the guide app has landed:
    # register(SearchProvider(kind="guide", label=_("Guide"), model=Outcome, ...))
