"""A page-cache hit is answered before most of the stack, and still looks exactly like a rendered page."""

import pytest
from django.conf import settings as django_settings

from inquiry.faq.models import Article

SEED = "accidentally-put-money-on-card"
SEED_URL = f"/en/faq/{SEED}/"
OUTCOME = "/en/guide/what-happened-to-my-money/activated/?money-source=deposited-myself"
# What every page must carry, hit or not (SecurityMiddleware, the site's Permissions-Policy and CSP
# middleware, clickjacking protection).
SECURITY_HEADERS = (
    "Strict-Transport-Security",
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "Cross-Origin-Opener-Policy",
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]


@pytest.fixture
def production_headers(settings):
    """The production security settings (HSTS is only sent over HTTPS, so the tests ask over HTTPS)."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_SSL_REDIRECT = False


def headers_of(response):
    return {name.lower(): value for name, value in response.headers.items() if name != "X-Page-Cache"}


@pytest.mark.parametrize("url", [SEED_URL, f"/zh-hans/faq/{SEED}/", OUTCOME, "/en/search/?q=card", "/en/"])
@pytest.mark.parametrize("accept_encoding", ["", "gzip, deflate, br"])
def test_a_replayed_page_has_every_header_of_a_rendered_one(client, production_headers, url, accept_encoding):
    fresh = client.get(url, secure=True, HTTP_ACCEPT_ENCODING=accept_encoding)
    replayed = client.get(url, secure=True, HTTP_ACCEPT_ENCODING=accept_encoding)
    assert (fresh["X-Page-Cache"], replayed["X-Page-Cache"]) == ("miss", "hit")
    assert headers_of(replayed) == headers_of(fresh)
    assert replayed.content == fresh.content
    for name in SECURITY_HEADERS:
        assert replayed.get(name), name
    assert "preload" in replayed["Strict-Transport-Security"]


def test_the_security_headers_of_a_hit_are_those_of_a_page_rendered_without_the_cache(
    client, production_headers, settings
):
    client.get(SEED_URL, secure=True)
    replayed = client.get(SEED_URL, secure=True)
    assert replayed["X-Page-Cache"] == "hit"
    settings.SOCSEC_PAGE_CACHE = False
    rendered = client.get(SEED_URL, secure=True)
    assert "X-Page-Cache" not in rendered
    for name in (*SECURITY_HEADERS, "Content-Type", "Content-Language"):
        assert replayed[name] == rendered[name], name
    assert replayed.content == rendered.content


@pytest.mark.parametrize(("url", "other"), [(SEED_URL, "zh-hans"), (f"/zh-hans/faq/{SEED}/", "en")])
def test_the_language_of_a_hit_is_the_one_in_the_path(client, url, other):
    language = url.split("/")[1]
    first = client.get(url)
    assert first["Content-Language"] == language
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = other
    hit = client.get(url, HTTP_ACCEPT_LANGUAGE=other)
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Language"] == language
    assert hit.content == first.content
    assert f'<html lang="{language}"' in hit.content.decode().lower()


def test_an_edit_in_one_language_is_seen_in_that_language(client):
    """The generation still retires the hits answered early (a title edit shows in both languages)."""
    client.get(SEED_URL)
    client.get(f"/zh-hans/faq/{SEED}/")
    article = Article.objects.get(slug=SEED)
    article.title_en = "Money on my card, edited"
    article.save()
    response = client.get(SEED_URL)
    assert response["X-Page-Cache"] == "miss"
    assert b"Money on my card, edited" in response.content
    assert client.get(f"/zh-hans/faq/{SEED}/")["X-Page-Cache"] == "miss"


def test_the_page_cache_answers_before_the_middleware_that_does_not_change_a_cached_page():
    stack = django_settings.MIDDLEWARE
    position = stack.index("inquiry.core.page_cache.PageCacheMiddleware")
    # Outside it: what every response needs (log line and metrics, security headers, the session
    # middleware that drops a made-up session cookie).
    for name in (
        "inquiry.operations.middleware.ObservabilityMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "inquiry.core.middleware.PermissionsPolicyMiddleware",
        "inquiry.core.middleware.SiteCSPMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
    ):
        assert stack.index(name) < position, name
    # Inside it: nothing a cached page needs.
    for name in (
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "axes.middleware.AxesMiddleware",
    ):
        assert stack.index(name) > position, name
