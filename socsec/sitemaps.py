"""/sitemap.xml: every public page in both languages, each with its hreflang alternates and x-default.

A fixed number of queries per section (one each; five for the guide's outcomes), whatever the amount
of content. It lives with the project's URLs because it lists the pages of every app."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from inquiry.cards.models import Procedure
from inquiry.core.absolute import site_scheme_and_host
from inquiry.faq.models import Article, Topic
from inquiry.guide.models import Flow
from inquiry.guide.selectors import shareable_outcomes
from inquiry.law.models import Law, LawArticle
from inquiry.places.context import region_active
from inquiry.places.selectors import regions_with_values


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    # Addresses on SITE_URL, not on whatever Host the request carried.
    def get_protocol(self, protocol=None):
        return site_scheme_and_host()[0] or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return site_scheme_and_host()[1] or super().get_domain(site)


class MainPages(BilingualSitemap):
    priority = 0.8
    changefreq = "weekly"

    def items(self):
        return ["home", "faq:index", "law:law_list", "cards:card", "guide:index"]

    def location(self, item):
        return reverse(item)


class Questions(BilingualSitemap):
    priority = 1.0

    def items(self):
        return Article.objects.published().only("id", "slug", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


class Topics(BilingualSitemap):
    def items(self):
        published = Article.objects.published().filter(topic=OuterRef("pk"))
        return Topic.objects.filter(Exists(published)).only("id", "slug", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


class Laws(BilingualSitemap):
    def items(self):
        return Law.objects.only("id", "slug", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


class LawArticles(BilingualSitemap):
    priority = 0.4

    def items(self):
        return (
            LawArticle.objects.select_related("law")
            .only("id", "number", "updated_at", "law__slug")
            .order_by("law_id", "number")
        )

    def lastmod(self, item):
        return item.updated_at


class Procedures(BilingualSitemap):
    def items(self):
        return Procedure.objects.only("id", "slug", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


class Guides(BilingualSitemap):
    """Each published guide's start page. Its question pages are not listed: they are steps of one
    visitor's answers (in the query string), marked noindex with the start page as canonical."""

    priority = 0.9

    def items(self):
        return Flow.objects.published().only("id", "slug", "updated_at").order_by("order", "id")

    def lastmod(self, item):
        return item.updated_at


class GuideOutcomes(BilingualSitemap):
    """Each outcome of a published guide, at its shareable address (the shortest answers that lead
    there): a page that answers a question in full, and the canonical address every other path of
    answers to it names. Crawlers cannot answer the guide's forms, so this is how they find them."""

    priority = 0.7

    def items(self):
        return shareable_outcomes()

    def lastmod(self, item):
        return item.outcome.updated_at


class RegionalPages(BilingualSitemap):
    """Each region with values of its own: its home page and the FAQ articles that show local values
    (`[[local:…]]` in their text), under the region. Other regional pages point their canonical at the
    national page and are not listed. Two queries."""

    priority = 0.6

    def items(self):
        articles = list(
            Article.objects.published().filter(body_zh_hans__contains="[[local:").values_list("slug", flat=True)
        )
        return [(region, slug) for region in regions_with_values() for slug in [None, *articles]]

    def location(self, item):
        region, slug = item
        with region_active(region):
            return reverse("faq:article_detail", args=[slug]) if slug else reverse("home")

    def _urls(self, page, protocol, domain):
        # x-default is the address without a language; a regional page's is the national one (an
        # address with a region but no language names no page).
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            (region, _slug), _language = url["item"]  # an i18n sitemap's item is (item, language)
            for alternate in url.get("alternates", []):
                if alternate["lang_code"] == "x-default":
                    alternate["location"] = alternate["location"].replace(f"/{region.slug}/", "/", 1)
        return urls


SITEMAPS = {
    "main": MainPages,
    "questions": Questions,
    "topics": Topics,
    "laws": Laws,
    "law-articles": LawArticles,
    "procedures": Procedures,
    "guides": Guides,
    "guide-outcomes": GuideOutcomes,
    "regions": RegionalPages,
}
