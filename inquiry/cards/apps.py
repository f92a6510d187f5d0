from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardsConfig(AppConfig):
    name = "inquiry.cards"
    label = "cards"
    verbose_name = _("The card: accounts, states and procedures")

    def ready(self):
        from inquiry.core.redirects import register_slug_route

        from .models import Procedure

        register_slug_route("cards:procedure_detail", model=Procedure)

    def load_shipped_content(self, loader):
        from .content_loader import load

        load(loader)
