from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawConfig(AppConfig):
    name = "inquiry.law"
    label = "law"
    verbose_name = _("Law")

    def ready(self):
        from inquiry.core.redirects import register_slug_route

        from . import audit  # noqa: F401 - registers the content audit (a system check)
        from .models import Law

        # A law's new slug moves its page and every article page under it.
        register_slug_route("law:law_detail", model=Law, kwarg="law_slug")
        register_slug_route("law:article_detail", model=Law, kwarg="law_slug")

    def load_shipped_content(self, loader):
        from .content_loader import load

        load(loader)
