from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.views.generic import TemplateView

from inquiry.core.page_tags import SEARCH_TAG, page_shows
from inquiry.faq.selectors import topics_in_use
from inquiry.guide.selectors import published_flows

from .models import FEW_RESULTS
from .selectors import page_number, search
from .services import note_unanswered_search
from .text import clean_query


class SearchView(TemplateView):
    """/<lang>/search/?q=…&page=…: any input gives a page, never an error."""

    template_name = "search/search.html"
    # The page cache keys this page on these and nothing else of the query string (core/page_cache.py).
    page_cache_query = ("q", "page")

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        results = response.context_data["results"]
        # Pages with every word: none when the results are only pages with some of them.
        answered = results.complete if results.relaxed else results.total
        if results.query and answered <= FEW_RESULTS:
            # What editors should write next. Counted here, where every such search arrives: these
            # pages are kept out of the whole-page cache, which would otherwise answer repeats
            # without reaching the view. (Pages with more results stay cached and are not counted.)
            # A further page of the same search (of the pages with some of the words) is not counted.
            # Written after the response has been sent (`request_finished`, see apps.py), not while the
            # visitor waits: see services.flush_unanswered_searches.
            if request.method == "GET" and (results.page == 1 or not results.total):
                note_unanswered_search(query=results.query, language=get_language(), results=answered)
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        # Results come from the search index, not from content rows: the page is retired by every
        # precise change of content (core/page_tags.py).
        page_shows(SEARCH_TAG)
        query = clean_query(self.request.GET.get("q", ""))
        results = search(query=query, language=get_language(), page=page_number(self.request.GET.get("page")))
        # Topics are the way on when there is nothing to show: no query, or nothing found; when a search
        # found nothing, so are the guides, which need no search words at all.
        topics = topics_in_use() if not results.results else []
        guides = published_flows() if query and not results.results else []
        return super().get_context_data(query=query, results=results, topics=topics, guides=guides, **kwargs)
