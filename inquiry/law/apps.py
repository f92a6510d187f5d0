from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawConfig(AppConfig):
    name = "inquiry.law"
    label = "law"
    verbose_name = _("Law")

    def load_shipped_content(self, loader):
        from .content_loader import load

        load(loader)
