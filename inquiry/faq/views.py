from django.utils.translation import get_language
from django.views.generic import TemplateView

from inquiry.editorial.preview import PreviewMixin

from .models import Article
from .selectors import article_for_page, topic, topics_with_articles
from .structured_data import faq_page

# The site's front door. It lives with the FAQ (not in core) because it shows the FAQ's topics,
# and core must not depend on the apps built on it.
SEED_ARTICLE_SLUG = "accidentally-put-money-on-card"


# The guide the home page's main button starts, when it is published (otherwise the button leads to
# the list of guides, so unpublishing it never leaves a dead link).
MAIN_FLOW_SLUG = "what-happened-to-my-money"


class HomeView(TemplateView):
    template_name = "faq/home.html"

    def get_context_data(self, **kwargs):
        # The front door also lists the published guides (the guide app builds on the FAQ, so the
        # import stays here, in the view, rather than in the FAQ's models or selectors).
        from inquiry.guide.selectors import published_flows

        flows = list(published_flows())
        main_flow = next((flow for flow in flows if flow.slug == MAIN_FLOW_SLUG), None)
        return super().get_context_data(
            topics=topics_with_articles(), seed_slug=SEED_ARTICLE_SLUG, flows=flows, main_flow=main_flow, **kwargs
        )


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
        url = self.request.build_absolute_uri(article.get_absolute_url())
        structured = faq_page(article, url=url, language=get_language())
        return super().get_context_data(article=article, structured_data=structured, **kwargs)
