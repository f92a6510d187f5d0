from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.generic import TemplateView

from inquiry.core import fragments
from inquiry.core.absolute import absolute_url
from inquiry.core.markdown import html_to_text
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
        # The page's one address for search engines (without the larger-text segment).
        url = absolute_url(self.request, normal_size(shown["url"]))
        structured = faq_page(shown, url=url, language=get_language())
        html = mark_safe(shown["html"])  # noqa: S308 - rendered by our template (a SafeString before it was kept)
        return super().get_context_data(article=shown, article_html=html, structured_data=structured, **kwargs)


def article_page(slug, *, include_drafts=False):
    """What the article page shows of an article, in the active language and region: the article
    rendered (faq/includes/article.html, its local values filled in) and the few values the page
    around it needs. Plain values only: the page cache's fragments keep it (inquiry/core/fragments.py)."""
    article = article_for_page(slug, include_drafts=include_drafts)
    return {
        "pk": article.pk,
        "is_public": article.is_public,
        "url": article.get_absolute_url(),
        "title": article.title,
        "short_answer": article.short_answer,
        "topic": {"slug": article.topic.slug, "title": article.topic.title},
        "updated_at": article.updated_at.isoformat(),
        "answer_text": "\n\n".join(part for part in (article.short_answer, html_to_text(article.body_html)) if part),
        "html": render_to_string("faq/includes/article.html", {"article": article}),
    }
