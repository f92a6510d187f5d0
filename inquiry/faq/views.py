from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.views.generic import TemplateView

from inquiry.core import fragments
from inquiry.core.absolute import absolute_url
from inquiry.core.markdown import html_to_text
from inquiry.core.templatetags.seo import json_ld_text
from inquiry.core.text_size import normal_size
from inquiry.editorial.preview import PreviewMixin
from inquiry.places.context import current_region_slug

from .models import Article
from .selectors import article_for_page, topic, topics_with_articles
from .structured_data import faq_page


class FaqIndexView(TemplateView):
    template_name = "faq/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(topics=topics_with_articles(), **kwargs)


class TopicDetailView(TemplateView):
    template_name = "faq/topic_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=topic(self.kwargs["slug"]), **kwargs)


class ArticleDetailView(PreviewMixin, TemplateView):
    """A published article; staff who may see articles in the admin also see drafts, as a preview."""

    template_name = "faq/article_detail.html"

    def get_context_data(self, **kwargs):
        slug, drafts = self.kwargs["slug"], self.can_preview(Article)
        shown = fragments.cached(
            "faq-article",
            current_region_slug(),
            slug,
            build=lambda: article_page(slug, include_drafts=drafts),
            fresh=drafts,
        )
        self.preview = not shown["is_public"]
        # The page's one address for search engines (without the larger-text segment), in the kept JSON-LD.
        url = absolute_url(self.request, normal_size(shown["url"]))
        structured = shown["json_ld"].replace(URL_PLACEHOLDER, json_ld_text(url)[1:-1])
        return super().get_context_data(
            article=shown,
            # Both rendered by our templates (SafeStrings before they were kept).
            article_html=mark_safe(shown["html"]),  # noqa: S308
            article_breadcrumbs=mark_safe(shown["breadcrumbs"]),  # noqa: S308
            json_ld_script=format_html('<script type="application/ld+json">{}</script>', mark_safe(structured)),  # noqa: S308
            **kwargs,
        )


# Stands for the page's absolute address in the kept JSON-LD (the address depends on the request's host
# without SITE_URL): letters only, so JSON writes it as it is.
URL_PLACEHOLDER = "socsecArticlePageUrl"


def article_page(slug, *, include_drafts=False):
    """What the article page shows of an article, in the active language and region: the article
    rendered (faq/includes/article.html, its local values filled in) and the few values the page
    around it needs. Plain values only: the page cache's fragments keep it (inquiry/core/fragments.py)."""
    article = article_for_page(slug, include_drafts=include_drafts)
    shown = {
        "pk": article.pk,
        "is_public": article.is_public,
        "url": article.get_absolute_url(),
        "title": article.title,
        "short_answer": article.short_answer,
        "topic": {"slug": article.topic.slug, "title": article.topic.title},
        "updated_at": article.updated_at.isoformat(),
        "answer_text": "\n\n".join(part for part in (article.short_answer, html_to_text(article.body_html)) if part),
        "html": render_to_string("faq/includes/article.html", {"article": article}),
        "breadcrumbs": render_to_string("faq/includes/article_breadcrumbs.html", {"topic": article.topic}),
        # The page's description and Open Graph description (as `|truncatechars` gives them).
        "description": Truncator(article.short_answer).chars(160),
        "og_description": Truncator(article.short_answer).chars(200),
    }
    # The schema.org data as the page sends it, but for its address (filled in by the view).
    shown["json_ld"] = json_ld_text(faq_page(shown, url=URL_PLACEHOLDER, language=get_language()))
    return shown
