from django.http import HttpResponsePermanentRedirect

from .redirects import redirect_url_for


class SlugRedirectMiddleware:
    """Turns a 404 at a page's old slug into a 301 to its current URL (see `inquiry.core.redirects`).

    It runs inside LocaleMiddleware, so the redirect keeps the language of the requested URL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        url = redirect_url_for(request.path_info)
        if url is None or url == request.path:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
