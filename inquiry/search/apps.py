from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "inquiry.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.core.signals import request_finished

        from . import providers, services, signals

        providers.register_builtin_providers()
        signals.connect_index_updates()
        # The searches that found nothing are written after the response has been sent.
        request_finished.connect(services.flush_after_request, dispatch_uid="search_flush_unanswered")

    def load_shipped_content(self, loader):
        from .content_loader import load

        load(loader)
