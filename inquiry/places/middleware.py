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
        slug = region_segment(request.path_info)
        region = region_context(slug) if slug else None
        request.region = region
        with region_active(region):
            return self.get_response(request)
