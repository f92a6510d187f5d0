"""The home page and robots.txt.

They live here, above the content apps, because the home page shows both the FAQ's topics and the
published guides: in the FAQ it made faq import guide (a back arrow, the guide builds on the FAQ).
"""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.generic import TemplateView

from inquiry.core.absolute import absolute_url
from inquiry.faq.selectors import topics_in_use
from inquiry.guide.selectors import published_flows

# The article the home page's "Read the full answer" link opens.
SEED_ARTICLE_SLUG = "accidentally-put-money-on-card"

# The guide the home page's main button starts, when it is published (otherwise the button leads to
# the list of guides, so unpublishing it never leaves a dead link).
MAIN_FLOW_SLUG = "what-happened-to-my-money"


class HomeView(TemplateView):
    template_name = "site/home.html"

    def get_context_data(self, **kwargs):
        flows = list(published_flows())
        main_flow = next((flow for flow in flows if flow.slug == MAIN_FLOW_SLUG), None)
        return super().get_context_data(
            topics=topics_in_use(), seed_slug=SEED_ARTICLE_SLUG, flows=flows, main_flow=main_flow, **kwargs
        )


def _route_prefix(name, **kwargs):
    """The path under which a route's URLs live: the route reversed with placeholder arguments, cut
    before the first of them (feedback has no page of its own at its prefix)."""
    url = reverse(name, kwargs=kwargs)
    first = str(next(iter(kwargs.values())))
    return url[: url.index(f"/{first}/") + 1]


def disallowed_paths():
    """What robots.txt asks crawlers to leave alone: the admin, and in every language the search results
    and the feedback forms (they are for people, not for an index of the site)."""
    paths = [reverse("admin:index")]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.append(reverse("search:search"))
            paths.append(_route_prefix("feedback:give", kind="kind", object_id=0))
    return paths


def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallowed_paths()]
    sitemap = absolute_url(request, reverse("django.contrib.sitemaps.views.sitemap"))
    lines += [f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
