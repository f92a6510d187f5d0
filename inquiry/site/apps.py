from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The front door: the home page and robots.txt. The top floor of the apps: it may import the content
    apps (faq, guide, cards, law, search); nothing imports it except socsec/urls.py. Its label is "site"
    (django.contrib.sites is "sites"); it has no models."""

    name = "inquiry.site"
    label = "site"
    verbose_name = _("Site")
