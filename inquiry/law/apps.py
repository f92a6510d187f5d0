from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawConfig(AppConfig):
    name = "inquiry.law"
    label = "law"
    verbose_name = _("Law")

    def ready(self):
        from inquiry.core.generation import track_content_model

        from .models import Chapter

        # Chapters are not EditableContent but their titles show on law pages: retire cached pages too.
        track_content_model(Chapter)

    def load_shipped_content(self, loader):
        from .content_loader import load

        load(loader)
