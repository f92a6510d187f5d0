"""Prometheus metrics (prometheus-client): requests, latency, the page cache, database and cache failures.

Off unless METRICS_ENABLED is set; served at /metrics only to the addresses in METRICS_ALLOWED_IPS.

gunicorn runs several worker processes, each with its own counters. With PROMETHEUS_MULTIPROC_DIR set
(socsec/gunicorn.conf.py sets it when metrics are on), prometheus-client keeps each worker's values in
files there and /metrics adds them up, so a scrape that lands on any worker sees the whole instance.
"""

import functools
import ipaddress
import os
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.translation import get_language
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

# The site's own registry: the metrics below, nothing from other libraries.
REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "socsec_http_requests_total",
    "HTTP requests answered, by view (URL name), method and status code.",
    ["view", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "socsec_http_request_duration_seconds",
    "Time from the request entering Django to the response leaving it, by view.",
    ["view"],
    # Cached pages take about a millisecond, rendered ones 10-100 ms; the long tail shows trouble.
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
PAGE_CACHE = Counter(
    "socsec_page_cache_requests_total",
    "Anonymous page requests answered from the whole-page cache (hit) or rendered and stored (miss).",
    ["result"],
    registry=REGISTRY,
)
DATABASE_ERRORS = Counter(
    "socsec_database_errors_total",
    "Requests that found the database unreachable (answered 503), by where: a page or the health check.",
    ["where"],
    registry=REGISTRY,
)
CACHE_ERRORS = Counter(
    "socsec_cache_errors_total",
    "Cache (Redis) operations that failed and were treated as misses.",
    ["error"],
    registry=REGISTRY,
)

UNRESOLVED = "none"  # requests that match no URL (404s): one label, whatever path was asked for


def connect_fault_counters():
    from inquiry.core.faults import cache_failed, database_failed

    database_failed.connect(_count_database_failure, dispatch_uid="operations-metrics-database")
    cache_failed.connect(_count_cache_failure, dispatch_uid="operations-metrics-cache")


def _count_database_failure(sender, **kwargs):
    if settings.METRICS_ENABLED:
        DATABASE_ERRORS.labels(where=str(sender)).inc()


def _count_cache_failure(sender, error=None, **kwargs):
    if settings.METRICS_ENABLED:
        CACHE_ERRORS.labels(error=type(error).__name__ if error is not None else "unknown").inc()


def observe(request, response, started):
    view = view_name(request)
    REQUESTS.labels(view=view, method=_method(request.method), status=str(response.status_code)).inc()
    LATENCY.labels(view=view).observe(time.perf_counter() - started)
    result = response.get("X-Page-Cache")
    if result in ("hit", "miss"):
        PAGE_CACHE.labels(result=result).inc()


def view_name(request):
    """The URL name of the view that answered (also for pages served from the cache, which skip it)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or UNRESOLVED
    # What resolve() goes by is the key: the URLconf, the active language (a path's language prefix is
    # matched against it) and the path.
    key = (get_urlconf() or settings.ROOT_URLCONF, get_language(), request.path_info)
    if len(request.path_info) > REMEMBERED_PATH_LENGTH:
        return resolved_view_name.__wrapped__(*key)
    return resolved_view_name(*key)


# Paths up to this long have their view name remembered (the site's own are far shorter), so made-up
# long paths cannot fill a worker's memory.
REMEMBERED_PATH_LENGTH = 300


@functools.lru_cache(maxsize=4096)
def resolved_view_name(urlconf, language, path_info):
    """The view name for a path nothing resolved (pages served from the cache, answers from middleware):
    resolving took 25 us a request, as much as the rest of the request line. Kept for the paths seen
    most lately. (`language` is the active one, which resolve() reads itself.)"""
    try:
        return resolve(path_info, urlconf).view_name or UNRESOLVED
    except Resolver404:
        return UNRESOLVED


def _method(method):
    # Labels must stay few: anything but the usual methods is counted together.
    return method if method in {"GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"} else "other"


def client_allowed(request):
    """True when the connecting address is in METRICS_ALLOWED_IPS (addresses or networks).

    Only the address that connected counts (REMOTE_ADDR), never X-Forwarded-For, which anyone can send.
    """
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in allowed_networks())


def allowed_networks():
    networks = []
    for item in settings.METRICS_ALLOWED_IPS:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue  # reported by the system check (operations.E001)
    return networks


def metrics_view(request):
    """The Prometheus text format; 404 when metrics are off or the caller is not on the list."""
    if not settings.METRICS_ENABLED or not client_allowed(request):
        # As if there were no such page: nothing tells a stranger that metrics exist.
        return HttpResponseNotFound(b"Not Found", content_type="text/plain")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
