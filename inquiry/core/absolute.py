"""Absolute URLs of this site: from settings.SITE_URL, never from the request's Host header.

Whatever a client puts in `Host` (a port, another allowed name) must not end up in the sitemap, the
canonical links or the structured data, nor split the page cache. SITE_URL ("https://host[:port]")
names the site; without it (a laptop, the tests) the request's own scheme and host are used.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.encoding import iri_to_uri


def site_origin(request=None):
    """ "https://example.org": SITE_URL, or (without it) the scheme and host the request came to."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is None:
        return ""
    return request.build_absolute_uri("/").removesuffix("/")


def absolute_url(request, path):
    """`path` (which starts with "/") as an absolute URL of this site."""
    return site_origin(request) + iri_to_uri(path)


def site_scheme_and_host():
    """(scheme, host) of SITE_URL, or (None, None) without it."""
    if not settings.SITE_URL:
        return None, None
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.netloc
