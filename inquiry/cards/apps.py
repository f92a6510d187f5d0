from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardsConfig(AppConfig):
    name = "inquiry.cards"
    label = "cards"
    verbose_name = _("The card: accounts, states and procedures")

    def ready(self):
        from inquiry.core.redirects import register_slug_route
        from inquiry.law.citations import register_citing_kind

        from .models import Procedure

        register_slug_route("cards:procedure_detail", model=Procedure)

        # A law article's page lists the procedures that rest on it, as it lists articles and outcomes.
        register_citing_kind(
            label=_("Step-by-step procedures"),
            queryset=lambda: Procedure.objects.only("id", "slug", "title_zh_hans", "title_en"),
            order=30,
        )

    def load_shipped_content(self, loader):
        from .content_loader import load

        load(loader)
