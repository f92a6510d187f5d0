"""The request log line and the Prometheus counters, around everything else.

First in MIDDLEWARE, so the duration covers the whole stack and pages served from the page cache are
seen too. /metrics is answered here, before host validation and the HTTPS redirect: Prometheus scrapes
each instance by its address over plain HTTP from inside the network (as load balancers call /healthz).
"""

import logging
import time

from django.conf import settings

from . import metrics
from .logs import REQUEST_FIELDS, REQUEST_LOGGER, RequestLineHandler

request_logger = logging.getLogger(REQUEST_LOGGER)

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
    status = response.status_code
    values = (  # REQUEST_FIELDS, in their order
        request.method,
        request.path,
        status,
        round((time.perf_counter() - started) * 1000, 1),
        # What gunicorn's line had: the body's size ("-" for a streamed body of unknown length).
        response.get("Content-Length", "-"),
        # hit / miss from the whole-page cache; "none" for what it does not serve (forms, staff, errors).
        response.get("X-Page-Cache", "none"),
        metrics.view_name(request),
    )
    handler = direct_handler()
    if handler is not None:
        handler.write_request(*values)
    else:
        extra = dict(zip(REQUEST_FIELDS, values, strict=True))
        request_logger.info("%s %s %s", request.method, request.path, status, extra=extra)


def direct_handler():
    """The request line's handler when it is the only thing the line goes to, as LOGGING sets it up: then
    the line is written straight from the fields (RequestLineHandler). Anything else (another handler, a
    filter, a level above INFO) gets a log record the usual way."""
    handlers = request_logger.handlers
    if len(handlers) != 1 or request_logger.filters or not request_logger.isEnabledFor(logging.INFO):
        return None
    handler = handlers[0]
    if type(handler) is not RequestLineHandler or handler.filters or handler.level > logging.INFO:
        return None
    return handler
