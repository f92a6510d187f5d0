"""Site-wide middleware: the health check's fast path, security headers, and the database-down page."""

import logging

from csp.middleware import CSPMiddleware
from django.conf import settings

from . import views
from .faults import is_database_unavailable

logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answer /healthz before host validation and the HTTPS redirect.

    Load balancers and container health checks call it by IP address over plain HTTP from inside the
    network; neither is a host in ALLOWED_HOSTS nor HTTPS, and both would otherwise get 400 or 301.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD"):
            return views.healthz(request)
        return self.get_response(request)


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
    """django-csp's middleware, plus the few allowances the admin's own templates need, under /admin/ only."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        allowances = settings.SOCSEC_CSP_ADMIN_ALLOWANCES
        if allowances and not report_only and request.path_info.startswith(settings.SOCSEC_ADMIN_PATH_PREFIX):
            parts.update = {**allowances, **(parts.update or {})}
        return parts


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
