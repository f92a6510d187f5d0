"""The page shell's parts that no request changes (the header's links and menu, the footer with the
region chooser, the stylesheets), rendered once and kept as a fragment (`fragments.py`).

What they depend on is in the fragment's key: the language and the larger-text prefix (every fragment's
key has them) and the address of the home page, which names both again and the region (links keep it;
the chooser marks it). The regions are a site-wide model: a change of one retires every fragment, this
one too. What differs from one request to the next is left out (the language switcher's and the text
size switch's links, the canonical and hreflang links) or filled in when a page asks for a part: the
chooser's `next`, the page's own address, is a placeholder in the kept footer.

base.html takes the parts from `chrome` (the `site` context processor adds it); without it (a page
rendered without the request's context processors: the 500 page) or without the database (the 503
page: no region chooser) it includes the same templates, so the page is the same either way.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import fragments

# Each part's template.
PARTS = {
    "head_assets": "includes/chrome/head_assets.html",
    "header_start": "includes/chrome/header_start.html",
    "menu_open": "includes/chrome/menu_open.html",
    "site_nav": "includes/chrome/site_nav.html",
    "search_box": "search/includes/search_box.html",
    "footer": "includes/chrome/footer.html",
}
# Stands for the region chooser's `next` in the kept footer: letters only, so escaping leaves it as it is.
NEXT_PLACEHOLDER = "socsecChromeNextAddress"


def build():
    context = {"site_name": settings.SOCSEC_SITE_NAME, "region_chooser_next": NEXT_PLACEHOLDER}
    return {part: render_to_string(template, context) for part, template in PARTS.items()}


class Chrome:
    """The parts for one request, looked up when a template first asks for one."""

    def __init__(self, request):
        self.request = request
        self.parts = None

    def __getitem__(self, part):
        if self.parts is None:
            self.parts = fragments.cached("chrome", reverse("home"), build=build)
        html = self.parts[part]
        if part == "footer":
            html = html.replace(NEXT_PLACEHOLDER, escape(self.request.get_full_path()))
        return mark_safe(html)  # noqa: S308 - rendered by our templates
