from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """The staff's tools: history and revert, no lost edits, publishing, preview, roles, sign-in."""

    name = "inquiry.editorial"
    label = "editorial"
    verbose_name = _("Editorial tools")

    def ready(self):
        from django.conf import settings
        from django.contrib import admin

        from . import checks  # noqa: F401 - registers the system checks

        # The admin says whose it is, in the editors' language (Django's default is "Django administration").
        admin.site.site_header = settings.SOCSEC_SITE_NAME
        admin.site.site_title = settings.SOCSEC_SITE_NAME
        admin.site.index_title = _("Content")
        # Publishers see first what waits for their approval.
        admin.site.index_template = "editorial/admin/index.html"
