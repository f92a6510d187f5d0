"""Production hardening: check --deploy, the refusal to start half-configured, headers, cookies, static files."""

import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.paths import REPO
from tests.support.server import ADMIN_PASSWORD, ADMIN_USERNAME, running_site

SEED_PATH = "/en/faq/accidentally-put-money-on-card/"
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "socsec.example.org,127.0.0.1",
    "DEBUG": "",
}


def manage(env_overrides, *args):
    # A clean environment, as on a server: nothing the test session set (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage(PRODUCTION_ENV, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DEBUG": "1"}, "DEBUG"),
    ],
)
def test_production_refuses_to_start_half_configured(missing, message):
    result = manage({**PRODUCTION_ENV, **missing}, "check")
    assert result.returncode != 0
    assert message in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def csp_directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_content")  # pages that exist (a 200 is cached, and the cached copy is checked)
@pytest.mark.parametrize("url", ["/zh-hans/", SEED_PATH, "/en/law/social-insurance-law/14/", "/en/nowhere/"])
def test_security_headers_on_public_pages(client, url):
    # Twice: the second answer comes from the page cache and must carry the same headers.
    for _ in range(2):
        response = client.get(url)
        csp = csp_directives(response["Content-Security-Policy"])
        assert csp["default-src"] == ["'none'"]
        assert csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["base-uri"] == ["'none'"]
        assert csp["form-action"] == ["'self'"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "unsafe-eval" not in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_templates_have_no_inline_script_or_style():
    """The CSP forbids them; catching them here is faster than finding a broken page."""
    problems = []
    for path in sorted((REPO / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE_CODE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(REPO)}:{line}: {what}")
    assert problems == []


@pytest.fixture(scope="module")
def production_site():
    """The site as deployed: production settings, collected and compressed static files, gunicorn."""
    with running_site(extra_env=PRODUCTION_ENV) as site:
        yield site


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def open_url(url, headers=None, data=None, opener=None):
    opener = opener or urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **(headers or {})}, data=data)
    try:
        response = opener.open(request, timeout=15)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, response.headers, response.read()


@pytest.mark.slow
def test_production_headers_and_https(production_site):
    status, headers, _ = open_url(production_site.url(SEED_PATH))
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Permissions-Policy"]

    # Plain HTTP is sent to HTTPS...
    plain = urllib.request.Request(production_site.url(SEED_PATH))
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(NoRedirect).open(plain, timeout=15)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"].startswith("https://")
    # ...except the health check, which load balancers call by IP over plain HTTP.
    with urllib.request.urlopen(production_site.url("/healthz"), timeout=15) as response:  # noqa: S310
        assert response.status == 200


@pytest.mark.slow
def test_production_cookies_are_secure_and_http_only(production_site):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    status, headers, body = open_url(production_site.url("/admin/login/"), opener=opener)
    assert status == 200
    set_cookies = headers.get_all("Set-Cookie")
    assert any(cookie.startswith("csrftoken=") for cookie in set_cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": ADMIN_USERNAME, "password": ADMIN_PASSWORD, "next": "/admin/"}
    ).encode()
    # Secure cookies are sent back over HTTPS only; the load balancer's header makes this request HTTPS.
    csrf_cookie = next(cookie for cookie in jar if cookie.name == "csrftoken")
    status, headers, _ = open_url(
        production_site.url("/admin/login/"),
        headers={
            "Cookie": f"csrftoken={csrf_cookie.value}",
            "Referer": production_site.url("/admin/login/").replace("http://", "https://"),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        data=form,
        opener=opener,
    )
    assert status == 302, "the administrator could not sign in"
    set_cookies += headers.get_all("Set-Cookie")
    for name in ("csrftoken", "sessionid"):
        cookie = next(value for value in set_cookies if value.startswith(f"{name}="))
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
        assert {"secure", "httponly"} <= attributes, cookie
        assert "samesite=lax" in cookie.lower()


@pytest.mark.slow
def test_production_static_files_are_hashed_compressed_and_cached_forever(production_site):
    _, _, body = open_url(production_site.url("/en/"))
    href = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
    assert href, "the page links a hashed stylesheet"
    status, headers, compressed = open_url(production_site.url(href.group(1).decode()), {"Accept-Encoding": "br"})
    assert status == 200
    assert headers["Content-Encoding"] == "br"
    assert "immutable" in headers["Cache-Control"]
    assert len(compressed) < Path(REPO / "static/css/site.css").stat().st_size


@pytest.mark.slow
def test_production_pages_are_cached_and_answer_304(production_site):
    first = open_url(production_site.url("/en/faq/"))
    second = open_url(production_site.url("/en/faq/"))
    assert second[1]["X-Page-Cache"] == "hit"
    assert second[2] == first[2]
    status, _, body = open_url(production_site.url("/en/faq/"), {"If-None-Match": second[1]["ETag"]})
    assert status == 304 and body == b""
