"""The 403 page: inside the admin, in the admin's look and language, saying what to do.

Django's own 403 page is a bare English "403 Forbidden", which an Editor sees on opening a page of their
role's reach (the feedback report, say). Outside the admin, Django's default stays (public pages refuse
nothing but a bad CSRF token, which has a view of its own).
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults


def permission_denied(request, exception=None):
    if not request.path.startswith(reverse("admin:index")):
        return defaults.permission_denied(request, exception)
    context = {
        **admin.site.each_context(request),
        "title": _("You cannot open this page"),
    }
    response = TemplateResponse(request, "admin/403.html", context, status=403)
    response["Cache-Control"] = "private, no-store"
    return response
