"""The request log line and the Prometheus counters, around everything else.

First in MIDDLEWARE, so the duration covers the whole stack and pages served from the page cache are
seen too. /metrics is answered here, before host validation and the HTTPS redirect: Prometheus scrapes
each instance by its address over plain HTTP from inside the network (as load balancers call /healthz).
"""

import logging
import time

from django.conf import settings

from . import metrics

request_logger = logging.getLogger("socsec.request")

METRICS_PATH = "/metrics"


class ObservabilityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == METRICS_PATH:
            return metrics.metrics_view(request)
        started = time.perf_counter()
        response = self.get_response(request)
        if settings.METRICS_ENABLED:
            metrics.observe(request, response, started)
        if settings.SOCSEC_REQUEST_LOG:
            log_request(request, response, started)
        return response


def log_request(request, response, started):
    """The one line per request (gunicorn's access log is off: socsec/gunicorn.conf.py). Never the query
    string (it may hold what a visitor typed), no address, no user agent, no referrer."""
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    status = response.status_code
    request_logger.info(
        "%s %s %s",
        request.method,
        request.path,
        status,
        extra={
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": duration_ms,
            # What gunicorn's line had: the body's size ("-" for a streamed body of unknown length).
            "bytes": response.get("Content-Length", "-"),
            # hit / miss from the whole-page cache; "none" for what it does not serve (forms, staff, errors).
            "cache": response.get("X-Page-Cache", "none"),
            "view": metrics.view_name(request),
        },
    )
