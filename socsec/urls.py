from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from inquiry.core import views as core_views
from inquiry.operations.metrics import metrics_view
from inquiry.places.resolver import regional_i18n_patterns
from inquiry.site import views as site_views

from .sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
    # Answered by ObservabilityMiddleware before host checks; routed here too, so it has a URL name.
    path("metrics", metrics_view, name="metrics"),
    path("robots.txt", site_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
]

# Every page under a language, and under a region too (/zh-hans/beijing/faq/…): see inquiry/places/resolver.py.
urlpatterns += regional_i18n_patterns(
    path("", site_views.HomeView.as_view(), name="home"),
    path("faq/", include("inquiry.faq.urls")),
    path("law/", include("inquiry.law.urls")),
    path("card/", include("inquiry.cards.urls")),
    path("guide/", include("inquiry.guide.urls")),
    path("search/", include("inquiry.search.urls")),
    path("feedback/", include("inquiry.feedback.urls")),
    path("region/", include("inquiry.places.urls")),
)

if settings.SOCSEC_BENCH_VIEWS:
    urlpatterns.append(path("bench/baseline", core_views.bench_baseline, name="bench_baseline"))

handler400 = "inquiry.core.views.bad_request"
handler403 = "inquiry.editorial.admin.errors.permission_denied"
handler404 = "inquiry.core.views.page_not_found"
handler500 = "inquiry.core.views.server_error"
