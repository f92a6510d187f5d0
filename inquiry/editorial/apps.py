from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """The staff's tools: history and revert, no lost edits, publishing, preview, roles, sign-in."""

    name = "inquiry.editorial"
    label = "editorial"
    verbose_name = _("Editorial tools")
