from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "inquiry.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self):
        from .generation import track_editable_content

        # Every model built on EditableContent, in any app, retires cached pages when it changes.
        track_editable_content()
