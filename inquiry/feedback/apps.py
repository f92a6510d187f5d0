from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "inquiry.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        from .targets import register_builtin_targets

        register_builtin_targets()
