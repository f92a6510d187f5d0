"""Whole-page cache for anonymous visitors, shared by every server through the cache (Redis).

A page is stored under (release, language, path, the query parameters its view declares), with the
content generation it was rendered in and the tags of the rows it shows (`page_tags.py`). It is served
only while both are current: a change that bumps the generation (`generation.py`) retires every page,
a precise change only the pages that show what it changed; either way the next request renders afresh
on every server. A cached page is served with no SQL query at all. Pages carry an ETag and
Last-Modified and answer conditional requests with 304.

The query string. A view lists the parameters its page depends on in `page_cache_query` (the search's
`q` and `page`, the feedback pages' `answer`), or sets it to `ALL_QUERY` when it checks the whole query
string itself and answers anything it does not understand with a redirect (the guide: its answers are
the query string). Other parameters (`?utm_source=…`, `?cb=<random>`) are not part of the key: such a
request is served the stored page of its address without them, and when there is none it is rendered
but not stored (the page might show the junk), so junk cannot fill the cache. The host is part of the
key only without SITE_URL (with it, no page shows the Host header).

Where it sits (settings.MIDDLEWARE): after the middleware that adds headers to every response
(security headers, Permissions-Policy, CSP) and the session middleware (which drops a session cookie
that names no session, and says `Vary: Cookie`), and before everything else: LocaleMiddleware, the
common, CSRF, auth, messages, history and lockout middleware, and the view. So a hit costs the cache
lookups and the outer middleware only, and carries every security header a rendered page does; the
request log line and metrics (outermost) see it like any other request. The language it keys on is the
one LocaleMiddleware will choose (`request_language`): the URL's prefix.

Served from the cache: anonymous GET and HEAD requests answered 200 by the site. Never cached:
anyone with a session (staff, previews, signed-in users: a session cookie that names a session that
exists), anyone with pending messages (a messages cookie the site signed), other statuses (errors,
redirects, forms with errors), responses that set cookies, responses marked `Cache-Control: private`
or `no-store`, streaming responses, and responses whose content depends on more than the URL and
language (a `Vary` on anything else, or a view that wrote to the session). A made-up session or
messages cookie is treated as no cookie.

Compression (`compression.py`). A page is stored once per encoding: plain, gzip and (with the `brotli`
package) brotli, each under its own key with its own ETag, so a hit sends the stored bytes the client
accepts and compresses nothing. Every compressible response carries `Vary: Accept-Encoding`. What is
not stored is compressed on the way out, unless it may carry a secret (`carries_secret`: BREACH).
"""

import hashlib
import logging
import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core import signing
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import cc_delim_re, get_conditional_response, patch_vary_headers
from django.utils.http import http_date, urlencode

from . import page_tags
from .compression import (
    ENCODINGS,
    IDENTITY,
    accepted_encoding,
    compress,
    compress_response,
    is_compressible,
    worth_compressing,
)
from .generation import current_state

logger = logging.getLogger(__name__)

CACHE_HEADER = "X-Page-Cache"
# Headers produced inside the cached part of the stack that a replayed page must carry again.
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options", "Link")
SAFE_VARY = {"accept-language", "accept-encoding", "cookie"}
# Django's messages cookie (CookieStorage) and the salt it is signed with.
MESSAGES_COOKIE = "messages"
MESSAGES_SALT = "django.contrib.messages"
# `page_cache_query = ALL_QUERY`: the view's page depends on its whole query string, and the view
# redirects whatever it does not understand (so junk never reaches a stored 200).
ALL_QUERY = "*"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.SOCSEC_PAGE_CACHE or not self.request_is_cacheable(request):
            return self.compressed(request, self.get_response(request))

        generation, seq = current_state()
        if generation is None:  # no usable cache: render every page
            return self.compressed(request, self.get_response(request))
        # This runs before LocaleMiddleware: work out the language as it will (and activate it: the
        # language prefix of the URL patterns resolves in the active language).
        language = request.LANGUAGE_CODE = request_language(request)
        declared = declared_query(request)
        key = page_key(request, generation, declared)
        encoding = accepted_encoding(request)
        stored = cache.get(variant_key(key, encoding))
        if stored is not None and is_current(stored, generation, seq):
            return self.replay(request, stored)

        with page_tags.collecting() as tags:
            response = self.get_response(request)
        if (
            request.method == "GET"
            # The language the page was rendered in is the one in its key (a middleware that moved the
            # language elsewhere in the address would otherwise have pages stored under the wrong one).
            and getattr(request, "LANGUAGE_CODE", None) == language
            and self.response_is_cacheable(request, response)
        ):
            if has_undeclared_query(request, declared):
                # Looked up and rendered, but not stored: the page might show the junk in its address.
                response[CACHE_HEADER] = "miss"
                return self.compressed(request, response)
            stored = self.store(request, key, response, generation, seq, tags)
            if stored is None:
                # Content changed while the page was rendered: sent, not stored (it may show old rows).
                response[CACHE_HEADER] = "miss"
                return self.compressed(request, response)
            stored = stored[encoding]
            self.send_variant(response, stored)
            return get_conditional_response(
                request, etag=stored["etag"], last_modified=stored["last_modified"], response=response
            )
        return self.compressed(request, response)

    @staticmethod
    def compressed(request, response):
        return compress_response(request, response, carries_secret(request, response))

    @staticmethod
    def request_is_cacheable(request):
        if request.method not in ("GET", "HEAD"):
            return False
        # A session means staff or a signed-in user (and their previews): their pages are their own.
        return not has_session(request) and not has_messages(request)

    @staticmethod
    def response_is_cacheable(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        cache_control = {
            part.split("=", 1)[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        if cache_control & {"private", "no-store"}:
            return False
        if carries_secret(request, response):  # a CSRF token in the page: never stored, never compressed
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

    def store(self, request, key, response, generation, seq, tags):
        """Store the page once per encoding (plain, gzip, brotli), so no hit compresses anything; None
        when the content changed while it was rendered (then it is not stored)."""
        tags = sorted(tags)
        tokens, seq_now = page_tags.current_tokens(tags)
        if seq_now != seq or (current_state()[0] or {}).get("id") != generation["id"]:
            return None
        plain = response.content
        compressible = is_compressible(response)
        if compressible:
            patch_vary_headers(response, ("Accept-Encoding",))
        headers = [(name, response[name]) for name in STORED_HEADERS if response.has_header(name)]
        digest = hashlib.blake2b(plain, digest_size=16).hexdigest()
        last_modified = int(max(generation["changed"], page_tags.last_change(seq_now)))
        variants = {}
        for encoding in (IDENTITY, *ENCODINGS):
            if encoding != IDENTITY and compressible and worth_compressing(plain):
                body = compress(plain, encoding)
                # Each representation its own strong validator: a 304 must name the bytes the client holds.
                variant = {"body": body, "headers": [*headers, ("Content-Encoding", encoding)]}
                variant["etag"] = f'"{digest}-{encoding}"'
            else:
                variant = {"body": plain, "headers": headers, "etag": f'"{digest}"'}
            variant["last_modified"] = last_modified
            variant.update(generation=generation["id"], seq=seq_now, tags=tokens)
            variants[encoding] = variant
        cache.set_many(
            {variant_key(key, encoding): variant for encoding, variant in variants.items()},
            timeout=settings.SOCSEC_PAGE_CACHE_SECONDS,
        )
        page_tags.remember(page_url(request, declared_query(request)), tags)
        response[CACHE_HEADER] = "miss"
        return variants

    def send_variant(self, response, stored):
        """The freshly rendered response, sent as the stored variant this client gets."""
        response.content = stored["body"]
        for name, value in stored["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(stored["body"]))
        self.add_validators(response, stored)

    def replay(self, request, stored):
        response = HttpResponse(stored["body"])
        for name, value in stored["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(stored["body"]))
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


def is_current(stored, generation, seq):
    """A stored page is served while the generation and the tokens of its tags are those it was stored with."""
    return stored.get("generation") == generation["id"] and page_tags.still_current(stored, seq)


def carries_secret(request, response):
    """Whether the body may hold a secret, so it must not be compressed (BREACH; `compression.py`).

    A CSRF token was put in the page (Django flags the request when a template asks for one), the
    response sets a cookie (the session middleware, outside this one, sets it for a session written
    to), the admin, or a visitor with a session (staff, signed-in users).
    """
    session = getattr(request, "session", None)
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or response.cookies
        or (session is not None and session.modified)
        or request.path_info.startswith(settings.SOCSEC_ADMIN_PATH_PREFIX)
        or has_session(request)
    )


def has_session(request):
    """True when the session cookie names a session that exists (and has not expired).

    Anyone can send `sessionid=junk`: that is no session, and such a visitor gets the cached page (the
    session middleware then deletes the cookie). Costs one query, only for requests with the cookie.
    """
    if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return False
    session = getattr(request, "session", None)
    if session is None:
        return True  # cannot tell: treat it as a session, never cache
    try:
        session.keys()  # loads it: an unknown or expired key leaves the store without a key
    except DatabaseError:
        return True  # the database is down: the page below answers 503 anyway
    return session.session_key is not None


def has_messages(request):
    """True when the messages cookie is one the site signed (pending messages), not a made-up one."""
    value = request.COOKIES.get(MESSAGES_COOKIE)
    if not value:
        return False
    try:
        signing.get_cookie_signer(salt=MESSAGES_SALT).unsign(value)
    except signing.BadSignature:
        return False
    return True


def request_language(request):
    """The language LocaleMiddleware will choose for this request (its own steps), activated.

    With the site's i18n_patterns it is the language prefix of the path, so the path decides it; only
    addresses outside those patterns fall back on the language cookie and Accept-Language, and the
    page key holds whatever this returns.
    """
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
    language = translation.get_language_from_request(request, check_path=i18n_patterns_used)
    if (
        i18n_patterns_used
        and not prefixed_default_language
        and not translation.get_language_from_path(request.path_info)
    ):
        language = settings.LANGUAGE_CODE
    translation.activate(language)
    return translation.get_language()


def declared_query(request):
    """The query parameters the view of this path declares (`page_cache_query`), or ALL_QUERY."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return ()
    view = getattr(match.func, "view_class", match.func)
    declared = getattr(view, "page_cache_query", ())
    return ALL_QUERY if declared == ALL_QUERY else tuple(sorted(declared))


def has_undeclared_query(request, declared):
    if declared == ALL_QUERY:
        return False
    return any(name not in declared for name in request.GET)


def page_url(request, declared=()):
    """The address a stored page is kept under: the origin (without SITE_URL), path and the query
    parameters the view declares."""
    if declared == ALL_QUERY:
        query = request.META.get("QUERY_STRING", "")
    else:
        query = urlencode([(name, value) for name in declared for value in request.GET.getlist(name)])
    # get_host() also refuses a host that is not allowed (the 400 page), stored page or not.
    host = request.get_host()
    origin = "" if settings.SITE_URL else f"{request.scheme}://{host}"
    return f"{origin}{request.path}?{query}"


def page_key(request, generation=None, declared=()):
    """The key of a page. The generation is not part of it: a stored page names the one it was
    rendered in, so a newer render replaces it rather than leaving it to expire beside it."""
    url = page_url(request, declared)
    digest = hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()[:40]
    language = getattr(request, "LANGUAGE_CODE", "") or ""
    return f"page:{release()}:{language}:{digest}"


def variant_key(key, encoding):
    return f"{key}:{encoding}"


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
