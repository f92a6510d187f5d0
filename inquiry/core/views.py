import logging
import os
import sys
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .context_processors import NATIVE_NAMES, html_lang, page_path, same_page_in
from .faults import database_failed, is_database_unavailable
from .text_size import normal_size, same_size, switch_links

logger = logging.getLogger(__name__)

# Seconds a visitor (or a crawler) is asked to wait when the database is down.
RETRY_AFTER_SECONDS = 30


def healthz(request):
    """200 when the database answers; 503 when it does not. The cache is reported, not required."""
    status = {"status": "ok", "database": "ok", "cache": "ok"}
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure to reach the database means "not ready"
        status["database"] = "unavailable"
        database_failed.send(sender="healthz")
    status["database_ms"] = round((time.perf_counter() - started) * 1000, 1)
    started = time.perf_counter()
    status["cache"] = "ok" if _cache_answers() else "unavailable"
    status["cache_ms"] = round((time.perf_counter() - started) * 1000, 1)
    code = 200 if status["database"] == "ok" else 503
    if code != 200:
        status["status"] = "unavailable"
    response = JsonResponse(status, status=code)
    response["Cache-Control"] = "no-store"
    if code == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _cache_answers():
    ping = getattr(cache, "ping", None)
    try:
        if ping is not None:
            return ping()
        return _CACHE_CHECK.answers()
    except Exception:  # noqa: BLE001 - the site works without its cache, only slower
        return False


class _CacheCheck:
    """Whether a cache without a ping (the file cache of the embedded default) stores and returns a value.

    A write is what costs there (a temporary file, a rename, a count of the folder's files): probes
    come every second or so, and writing on each made /healthz 0.07x the bare view. So each process
    writes its own key at most once every WRITE_EVERY seconds, and in between reads back what it wrote
    last: a cache that has lost the value (cleared, culled, a new folder) is written again at once, one
    that fails to store or return it is reported unavailable.
    """

    WRITE_EVERY = 5.0
    # Long enough to outlive the seconds between two writes, short enough to leave nothing behind.
    KEEP_SECONDS = 60

    def __init__(self):
        self.pid = None
        self.written_at = None
        self.value = None
        self.lock = threading.Lock()  # one thread's write is not taken for another's failed read

    def answers(self):
        with self.lock:
            return self._answers()

    def _answers(self):
        pid = os.getpid()  # a forked worker has a key of its own (workers may share one folder)
        key = f"healthz-{pid}"
        now = time.monotonic()
        recent = pid == self.pid and self.written_at is not None and now - self.written_at < self.WRITE_EVERY
        if recent and cache.get(key) == self.value:
            return True
        value = f"{now:.6f}"
        self.written_at = None  # no check counts as done until the value has come back
        cache.set(key, value, self.KEEP_SECONDS)
        if cache.get(key) != value:
            return False
        self.pid, self.written_at, self.value = pid, now, value
        return True


_CACHE_CHECK = _CacheCheck()


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Django calls this inside its exception handler, so the error is at hand: an unreachable database
    # raised outside a view (in a middleware, say) still gets the 503 page rather than a 500.
    if is_database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    try:
        # No request, so no context processors: whatever broke the page may break them too, and the
        # page must not need the database. The context holds just what base.html needs.
        content = loader.render_to_string("500.html", error_page_context(request))
    except Exception:  # noqa: BLE001 - the page must come out even if the site's templates cannot render
        logger.exception("500 page failed to render; sending the plain one")
        content = plain_error_page(
            _("Sorry, something went wrong"),
            _("The problem is on our side, not yours. Please try again in a few minutes."),
        )
    response = HttpResponse(content, status=500)
    response["Cache-Control"] = "no-store"
    return response


def plain_error_page(title, advice):
    """The last resort when even the site's templates cannot render: a bare page in the visitor's language."""
    lang = html_lang(get_language() or settings.LANGUAGE_CODE)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body><h1>{escape(title)}</h1><p>{escape(advice)}</p></body></html>"
    )


def error_page_context(request):
    """What base.html needs (site name, page language, language switcher), made without the database
    or the request's context processors. The switcher links this address in the other language, or that
    language's home page if the address cannot be translated."""
    current = get_language() or settings.LANGUAGE_CODE
    alternates = []
    for code, _name in settings.LANGUAGES:
        try:
            url = same_size(request, normal_size(same_page_in(page_path(request), code)))
        except Exception:  # noqa: BLE001 - a broken URL configuration is one reason to be here
            url = f"/{code}/"
        alternates.append(
            {
                "code": code,
                "tag": html_lang(code),
                "native_name": NATIVE_NAMES.get(code, code),
                "url": url,
                "current": code == current,
            }
        )
    return {
        "site_name": settings.SOCSEC_SITE_NAME,
        "html_lang": html_lang(current),
        "language_alternates": alternates,
        **switch_links(request),
    }


def bad_request(request, exception=None):
    # Rendered as the 500 page is, without the request's context processors: they build absolute URLs
    # from the Host header, and a Host that is not allowed is one of the reasons to be here (DisallowedHost).
    try:
        content = loader.render_to_string("400.html", error_page_context(request))
    except Exception:  # noqa: BLE001 - a visitor's bad request must never become our 500
        logger.exception("400 page failed to render; sending the plain one")
        content = plain_error_page(
            _("Something was wrong with that request"),
            _("The address or the form you sent could not be understood. Please go back and try again."),
        )
    response = HttpResponse(content, status=400)
    response["Cache-Control"] = "no-store"
    return response


def service_unavailable(request):
    """503 in the site's look, with Retry-After. Renders without the database."""
    database_failed.send(sender="page")
    try:
        content = loader.render_to_string(
            # `without_database`: parts of the page that would read the database (the region chooser) stay out.
            "503.html",
            {"retry_after_minutes": 1, "without_database": True},
            request=request,
        )
    except Exception:  # noqa: BLE001 - the page must come out even if the site's templates cannot render
        logger.exception("503 page failed to render; sending the plain one")
        content = plain_error_page(_("The service is temporarily unavailable"), _("Please try again in a minute."))
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def bench_baseline(request):
    """The benchmarks' yardstick: the smallest Django response, through the full middleware stack."""
    return HttpResponse(b"ok\n", content_type="text/plain")
