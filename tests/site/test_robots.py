"""robots.txt: its paths come from the URL configuration (reverse()), one set per language."""

from django.test import override_settings
from django.urls import path

from inquiry.site.views import disallowed_paths
from socsec.urls import urlpatterns

EXPECTED = """User-agent: *
Disallow: /admin/
Disallow: /zh-hans/search/
Disallow: /zh-hans/feedback/
Disallow: /en/search/
Disallow: /en/feedback/
Sitemap: http://testserver/sitemap.xml
"""


def test_robots_txt_lists_the_admin_and_each_languages_search_and_feedback(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == EXPECTED


def _moved_admin_urls():
    from django.contrib import admin

    return [path("back-office/", admin.site.urls), *urlpatterns[1:]]


class MovedAdmin:
    urlpatterns = _moved_admin_urls()


@override_settings(ROOT_URLCONF=MovedAdmin)
def test_the_paths_follow_the_url_configuration():
    paths = disallowed_paths()
    assert paths[0] == "/back-office/"
    assert "/admin/" not in paths
