from django.utils.translation import get_language
from django.views.generic import TemplateView

from inquiry.faq.selectors import topics_with_articles
from inquiry.guide.selectors import published_flows

from .selectors import page_number, search
from .text import clean_query


class SearchView(TemplateView):
    """/<lang>/search/?q=…&page=…: any input gives a page, never an error."""

    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        query = clean_query(self.request.GET.get("q", ""))
        results = search(query=query, language=get_language(), page=page_number(self.request.GET.get("page")))
        # Topics are the way on when there is nothing to show: no query, or nothing found; when a search
        # found nothing, so are the guides, which need no search words at all.
        topics = topics_with_articles() if not results.results else []
        guides = published_flows() if query and not results.results else []
        return super().get_context_data(query=query, results=results, topics=topics, guides=guides, **kwargs)
