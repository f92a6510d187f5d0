from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render


def healthz(request):
    """200 when the database answers; 503 when it does not. The cache is reported, not required."""
    status = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure to reach the database means "not ready"
        status["database"] = "unavailable"
    try:
        cache.set("healthz", "1", 5)
        if cache.get("healthz") != "1":
            status["cache"] = "unavailable"
    except Exception:  # noqa: BLE001 - the site works without its cache, only slower
        status["cache"] = "unavailable"
    code = 200 if status["database"] == "ok" else 503
    response = JsonResponse({"status": "ok" if code == 200 else "unavailable", **status}, status=code)
    response["Cache-Control"] = "no-store"
    if code == 503:
        response["Retry-After"] = "30"
    return response


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/"]
    # Search results and feedback forms are for people, not for an index of the site.
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/search/", f"Disallow: /{code}/feedback/"]
    lines += [f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)
