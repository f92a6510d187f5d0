"""The site's URLs plus one page that fails with a bug, in both languages: the way to the 500 page.

Used by tests/core/test_error_pages.py (as an urlconf override) and by the browser tests' server
(through tests/support/faulty_settings.py). Not part of the site.
"""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from socsec.urls import handler400, handler404, handler500, urlpatterns  # noqa: F401 - the site's handlers

BROKEN_PATH = "broken-page/"
FAILURE_MESSAGE = "a deliberate bug for the 500 page test"


def broken_page(request):
    raise ZeroDivisionError(FAILURE_MESSAGE)


urlpatterns = [*urlpatterns, *i18n_patterns(path(BROKEN_PATH, broken_page, name="broken_page"))]
