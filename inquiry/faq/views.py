from django.utils.translation import get_language
from django.views.generic import TemplateView

from inquiry.core.absolute import absolute_url
from inquiry.core.text_size import normal_size
from inquiry.editorial.preview import PreviewMixin

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
        article = article_for_page(self.kwargs["slug"], include_drafts=self.can_preview(Article))
        self.preview = not article.is_public
        # The page's one address for search engines (without the larger-text segment).
        url = absolute_url(self.request, normal_size(article.get_absolute_url()))
        structured = faq_page(article, url=url, language=get_language())
        return super().get_context_data(article=article, structured_data=structured, **kwargs)
