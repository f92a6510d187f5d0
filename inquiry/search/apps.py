from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "inquiry.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import providers, signals

        providers.register_builtin_providers()
        signals.connect_index_updates()

    def load_shipped_content(self, loader):
        from .content_loader import load

        load(loader)
