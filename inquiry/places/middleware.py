from django.db import DatabaseError
from django.urls import is_valid_path

from .context import region_active
from .resolver import region_segment
from .selectors import region_context


class RegionMiddleware:
    """Reads the region from the address (`/zh-hans/beijing/…`) and makes it active for this request:
    links keep it, local values show it. One query, on regional addresses only. An address whose segment
    is no region resolves as a national one and so is a 404. Sets no cookie: the page cache keys on the URL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        urlconf = getattr(request, "urlconf", None)
        slug = region_segment(request.path_info, urlconf)
        try:
            region = region_context(slug) if slug else None
        except DatabaseError:
            # Without the database a page that needs none (the 500 page's way) still answers; any other
            # address gets the 503 page (DatabaseUnavailableMiddleware), as every page that needs it does.
            if not is_valid_path(request.path_info, urlconf):
                raise
            region = None
        request.region = region
        with region_active(region):
            return self.get_response(request)
