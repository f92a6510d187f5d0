from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    name = "inquiry.guide"
    label = "guide"
    verbose_name = _("Guided inquiries")

    def ready(self):
        from inquiry.law.citations import register_citing_kind

        from . import checks  # noqa: F401 - registers the system check over published flows
        from .models import Flow, Outcome

        register_citing_kind(
            label=_("Guided answers"),
            queryset=lambda: (
                Outcome.objects.filter(flow__in=Flow.objects.published())
                .select_related("flow")
                .only("id", "slug", "heading_zh_hans", "heading_en", "flow__id", "flow__slug")
            ),
            order=20,
        )

    def load_shipped_content(self, loader):
        from .content_loader import load

        load(loader)
