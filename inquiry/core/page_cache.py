"""Whole-page cache for anonymous visitors, shared by every server through the cache (Redis).

A page is stored under (release, content generation, language, full URL). Any content change bumps
the generation (`generation.py`), so the next request renders afresh on every server; a cached page
is served with no SQL query at all. Pages carry an ETag and Last-Modified and answer conditional
requests with 304.

Served from the cache: anonymous GET and HEAD requests answered 200 by the site. Never cached:
anyone with a session (staff, previews, signed-in users), anyone with pending messages, other
statuses (errors, redirects, forms with errors), responses that set cookies, responses marked
`Cache-Control: private` or `no-store`, streaming responses, and responses whose content depends on
more than the URL and language (a `Vary` on anything else, or a view that wrote to the session).
"""

import hashlib
import logging
import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from .generation import current_generation

logger = logging.getLogger(__name__)

CACHE_HEADER = "X-Page-Cache"
# Headers produced inside the cached part of the stack that a replayed page must carry again.
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options", "Link")
SAFE_VARY = {"accept-language", "cookie"}
BYPASS_COOKIES = ("messages",)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.SOCSEC_PAGE_CACHE or not self.request_is_cacheable(request):
            return self.get_response(request)

        generation = current_generation()
        if generation is None:  # no usable cache: render every page
            return self.get_response(request)
        key = page_key(request, generation)
        stored = cache.get(key)
        if stored is not None:
            return self.replay(request, stored)

        response = self.get_response(request)
        if request.method == "GET" and self.response_is_cacheable(request, response):
            stored = self.store(key, response, generation)
            return get_conditional_response(
                request, etag=stored["etag"], last_modified=stored["last_modified"], response=response
            )
        return response

    @staticmethod
    def request_is_cacheable(request):
        if request.method not in ("GET", "HEAD"):
            return False
        # A session means staff or a signed-in user (and their previews): their pages are their own.
        cookies = request.COOKIES
        return settings.SESSION_COOKIE_NAME not in cookies and not any(name in cookies for name in BYPASS_COOKIES)

    @staticmethod
    def response_is_cacheable(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        cache_control = {
            part.split("=", 1)[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        if cache_control & {"private", "no-store"}:
            return False
        vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", "")) if part.strip()}
        if vary - SAFE_VARY:
            return False
        # Reading the (empty) session of a visitor without a session cookie changes nothing: every such
        # visitor gets the same page. Writing to it makes the page theirs (and SessionMiddleware, which
        # runs after this, will set a cookie).
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)

    def store(self, key, response, generation):
        body = response.content
        stored = {
            "body": body,
            "headers": [(name, response[name]) for name in STORED_HEADERS if response.has_header(name)],
            "etag": f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"',
            "last_modified": int(generation["changed"]),
        }
        cache.set(key, stored, timeout=settings.SOCSEC_PAGE_CACHE_SECONDS)
        self.add_validators(response, stored)
        response[CACHE_HEADER] = "miss"
        return stored

    def replay(self, request, stored):
        response = HttpResponse(stored["body"])
        for name, value in stored["headers"]:
            response[name] = value
        self.add_validators(response, stored)
        response[CACHE_HEADER] = "hit"
        return get_conditional_response(
            request, etag=stored["etag"], last_modified=stored["last_modified"], response=response
        )

    @staticmethod
    def add_validators(response, stored):
        response["ETag"] = stored["etag"]
        response["Last-Modified"] = http_date(stored["last_modified"])
        # Browsers and proxies may keep the page but must ask again (a cheap 304) before reusing it, so an
        # edit is seen at once; Vary: Cookie keeps a shared proxy from serving it to a signed-in editor.
        response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ("Cookie",))


def page_key(request, generation):
    url = request.build_absolute_uri()
    digest = hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()[:40]
    language = getattr(request, "LANGUAGE_CODE", "") or ""
    return f"page:{release()}:{generation['id']}:{language}:{digest}"


@lru_cache(maxsize=1)
def release():
    """What identifies this release's code, templates, translations and static files.

    Part of every page key, so a new release never serves a page rendered by the old one (with its old
    templates and old hashed static file names) from a cache both share during a rolling deploy.
    SOCSEC_RELEASE (a commit id, an image tag) names it; without it, a digest of the files is used.
    """
    named = os.environ.get("SOCSEC_RELEASE", "").strip()
    if named:
        return named[:40]
    base = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    patterns = ("inquiry/**/*.py", "socsec/*.py", "templates/**/*.html", "locale/**/*.mo")
    for pattern in patterns:
        for path in sorted(base.glob(pattern)):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()
