"""Site-wide middleware: the health check's fast path, security headers, and the database-down page."""

import logging
from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpResponsePermanentRedirect, UnreadablePostError
from django.http.request import split_domain_port

from . import views
from .faults import is_database_unavailable
from .redirects import redirect_url_for

logger = logging.getLogger(__name__)


class UnreadBodyMiddleware:
    """Read what the site left unread of a request's body before answering.

    A view that refuses a post (404, 403 for its CSRF token, 405) answers without reading the body.
    gunicorn then reads at most 64 kB of it and, if there is more, closes the connection after the
    answer it already sent as keep-alive: the load balancer, reusing that connection or still sending
    the body, gets a broken pipe, answers that visitor 502 and takes the instance out of rotation for
    everyone (nginx: 10 s). Read here, the connection stays usable. Only up to the largest body Django
    accepts at all (DATA_UPLOAD_MAX_MEMORY_SIZE, more than a proxy's usual limit): past that, gunicorn's
    closing is the right answer to whoever sends it.
    """

    CHUNK = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return response
        if 0 < length <= (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0):
            try:
                while request.read(self.CHUNK):
                    pass
            except UnreadablePostError:
                pass  # the visitor has gone: nothing left to keep the connection for
        return response


class HealthCheckMiddleware:
    """Answer /healthz before host validation and the HTTPS redirect.

    Load balancers and container health checks call it by IP address over plain HTTP from inside the
    network; neither is a host in ALLOWED_HOSTS nor HTTPS, and both would otherwise get 400 or 301.
    So any well-formed host will do here, but not a malformed or overlong one (no probe sends it): that
    goes down the usual path, where Django's host check answers 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD") and well_formed_host(request):
            return views.healthz(request)
        return self.get_response(request)


# The longest name DNS allows (RFC 1035), plus room for a port.
MAX_HOST_LENGTH = 253 + len(":65535")


def well_formed_host(request):
    """Whether the Host header (or, without one, the server's name) is a host name or IP address, with
    an optional port: the shape Django's host check accepts, whether or not ALLOWED_HOSTS names it."""
    host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    if len(host) > MAX_HOST_LENGTH:
        return False
    domain, _port = split_domain_port(host)
    return bool(domain)


class PermissionsPolicyMiddleware:
    """Permissions-Policy (Django has no setting for it): the site uses no powerful browser feature."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SOCSEC_PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.SOCSEC_PERMISSIONS_POLICY)
        return response


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the few allowances the admin's own templates need, under /admin/ only.

    The site uses no nonces and no per-view policies, so the header is the same string for every
    public page (and another for the admin): it is built once per process instead of on every
    response, where it cost about as much as serving a cached page. Anything unusual (a view
    decorated with a csp_* decorator, a nonce, a report-only policy) takes django-csp's own path.
    """

    _built = {}

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and self._in_admin(request):
            parts.update = {**settings.SOCSEC_CSP_ADMIN_ALLOWANCES, **(parts.update or {})}
        return parts

    def process_response(self, request, response):
        if not self._plain(request, response):
            return super().process_response(request, response)
        policy = settings.CONTENT_SECURITY_POLICY
        key = (id(policy), id(settings.SOCSEC_CSP_ADMIN_ALLOWANCES), self._in_admin(request))
        header = self._built.get(key)
        if header is None:
            header = self._built[key] = build_policy(**asdict(self.get_policy_parts(request, response)))
        excluded = request.path_info.startswith(tuple(policy.get("EXCLUDE_URL_PREFIXES") or ()))
        if header and not excluded:
            response.headers.setdefault(HEADER, header)
        # As django-csp does: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _in_admin(request):
        return request.path_info.startswith(settings.SOCSEC_ADMIN_PATH_PREFIX)

    @staticmethod
    def _plain(request, response):
        per_response = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
        return (
            getattr(request, "_csp_nonce", None) is None
            and not any(hasattr(response, name) or hasattr(response, f"{name}_ro") for name in per_response)
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            and not settings.DEBUG
        )


class DatabaseUnavailableMiddleware:
    """The database is unreachable: a 503 page in the site's look with Retry-After, not a 500.

    Catches what a view raises; `views.server_error` does the same for failures elsewhere in the stack.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.warning(
            "Database unavailable (%s: %s); answered 503", type(exception).__name__, str(exception).strip()[:200]
        )
        return views.service_unavailable(request)


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
