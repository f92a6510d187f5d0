from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaqConfig(AppConfig):
    name = "inquiry.faq"
    label = "faq"
    verbose_name = _("Questions and answers")

    def ready(self):
        from inquiry.core.redirects import register_slug_route
        from inquiry.law.audit import register_answers

        from .audit import published_articles
        from .models import Article, Topic

        register_slug_route("faq:article_detail", model=Article)
        register_slug_route("faq:topic_detail", model=Topic)

        register_answers(published_articles)

    def load_shipped_content(self, loader):
        from .content_loader import load

        load(loader)
