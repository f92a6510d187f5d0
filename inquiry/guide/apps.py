from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    name = "inquiry.guide"
    label = "guide"
    verbose_name = _("Guided inquiries")

    def ready(self):
        from inquiry.core.redirects import register_slug_route
        from inquiry.law.audit import register_answers

        from . import checks  # noqa: F401 - registers the system check over published flows
        from .audit import reachable_outcomes
        from .models import Flow

        # A flow's new slug moves its start page and every question, answer and outcome page under it.
        # (Old question, answer and outcome slugs are followed by the views: see views.FlowPageView.)
        for url_name in ("guide:start", "guide:question", "guide:answer", "guide:outcome"):
            register_slug_route(url_name, model=Flow, kwarg="flow_slug")

        register_answers(reachable_outcomes)

    def load_shipped_content(self, loader):
        from .content_loader import load

        load(loader)
