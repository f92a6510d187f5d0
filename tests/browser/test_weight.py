"""Page weight: every public page type at most 100 KB transferred, measured in Chromium against the site
as production serves it, with no request to another host and no render-blocking script.

Production settings serve hashed static files that `collectstatic` compressed (gzip and brotli,
WhiteNoise); development settings serve the source files uncompressed. So the pages are measured on a
second server started with DJANGO_ENV=production on the session server's database (no second
migration or content load). Each page is loaded in a fresh browser context: nothing cached, as on a
first visit. The figures are written to test-artifacts/page-weight.txt.
"""

import secrets
import urllib.parse

import pytest

from tests.support.server import running_site

from .conftest import ARTIFACTS, new_page, record_artifact
from .pages import LANGUAGES, PAGE_TYPES, Catalogue

pytestmark = pytest.mark.browser

BUDGET = 100 * 1024
# The form sent with errors is a POST (production's CSRF cookie is HTTPS-only); it is the feedback
# page plus an error summary, and the feedback page is measured.
WEIGHED = [page_type for page_type in PAGE_TYPES if not page_type.submit_empty_form]
# What a load balancer in front of production sends: the visitor came over HTTPS.
BEHIND_THE_LOAD_BALANCER = {"X-Forwarded-Proto": "https"}

RENDER_BLOCKING_SCRIPTS = """() => [
  ...[...document.querySelectorAll('script[src]')]
    .filter(s => !s.async && !s.defer && s.type !== 'module').map(s => 'parser-blocking ' + s.src),
  ...performance.getEntriesByType('resource')
    .filter(e => e.initiatorType === 'script' && e.renderBlockingStatus === 'blocking').map(e => 'blocking ' + e.name),
]"""


@pytest.fixture(scope="module")
def production_site(site):
    sqlite = not site.env.get("DATABASE_URL", "").startswith("postgres")
    shared_database = (
        {"SOCSEC_VAR_DIR": site.env["SOCSEC_VAR_DIR"]} if sqlite else {"DATABASE_URL": site.env["DATABASE_URL"]}
    )
    production = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "",
        **shared_database,
    }
    with running_site(extra_env=production, prepare=False, wait_for="/healthz") as server:
        yield server


@pytest.fixture(scope="module")
def production_catalogue(production_site, catalogue):
    return Catalogue(production_site, same_database_as=catalogue)


@pytest.fixture(scope="module")
def weights(production_site):
    measured = {}
    yield measured
    lines = [f"{'page type':24} {'language':9} {'requests':>8} {'KB':>7}   (each: KB transferred)"]
    for (name, language), (total, requests) in measured.items():
        detail = ", ".join(f"{path} {size / 1024:.1f}" for path, size in requests)
        lines.append(f"{name:24} {language:9} {len(requests):8} {total / 1024:7.1f}   {detail}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (record_artifact(ARTIFACTS / "page-weight.txt")).write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def first_visit(browser):
    """A phone's tab with the browser cache off: each page loads as on a first visit (one tab for all
    the pages, as a new browser context per page would add half a minute)."""
    context, page = new_page(browser, "phone")
    context.set_extra_http_headers(BEHIND_THE_LOAD_BALANCER)
    devtools = context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
    yield page
    context.close()


def load_and_weigh(page, url):
    """Load `url`; every request it made, with its status and the bytes transferred."""
    started, finished, failed = [], [], []
    handlers = {
        "request": lambda request: started.append(request),
        "requestfinished": lambda request: finished.append(request),
        "requestfailed": lambda request: failed.append(request.url),
    }
    for event, handler in handlers.items():
        page.on(event, handler)
    try:
        response = page.goto(url)  # waits for the load event
        # The browser asks for the icon around the load event: wait for it, and for every request to end.
        for _ in range(100):
            page.wait_for_timeout(20)
            icon = any(request.resource_type != "document" and "/favicon" in request.url for request in finished)
            if icon and len(finished) + len(failed) == len(started):
                break
        blocking = page.evaluate(RENDER_BLOCKING_SCRIPTS)
    finally:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)
    requests = []
    # The page first, then what it loaded, in a stable order.
    for request in sorted(finished, key=lambda request: (request.url != response.url, request.url)):
        sizes = request.sizes()
        received = request.response()
        requests.append(
            {
                "url": request.url,
                "status": received.status if received else None,
                "encoding": received.headers.get("content-encoding") if received else None,
                "bytes": sizes["responseHeadersSize"] + sizes["responseBodySize"],
            }
        )
    return response.status, requests, failed, blocking


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", WEIGHED, ids=lambda page_type: page_type.name)
def test_page_weight(production_site, production_catalogue, first_visit, weights, page_type, language):
    url = production_catalogue.url(page_type, language)
    status, requests, failed, blocking = load_and_weigh(first_visit, url)
    assert status == page_type.status
    assert failed == []

    # Everything comes from the site itself, and every request succeeds (no missing favicon).
    own_host = urllib.parse.urlsplit(production_site.base_url).netloc
    assert [r["url"] for r in requests if urllib.parse.urlsplit(r["url"]).netloc != own_host] == []
    assert [(r["url"], r["status"]) for r in requests[1:] if r["status"] != 200] == []
    # Static files arrive compressed (the SVG icon is too small to be worth it).
    for request in requests[1:]:
        if request["url"].endswith((".css", ".js")):
            assert request["encoding"] == "br", request
    assert blocking == []

    total = sum(r["bytes"] for r in requests)
    weights[page_type.name, language] = (total, [(urllib.parse.urlsplit(r["url"]).path, r["bytes"]) for r in requests])
    assert total <= BUDGET, f"{total / 1024:.1f} KB: {requests}"


def test_the_weighing_counts_what_the_page_loads(production_site, first_visit):
    """The harness sees every request: the page, its stylesheets (compressed) and the icon."""
    _status, requests, _failed, _blocking = load_and_weigh(first_visit, production_site.url("/en/"))
    paths = [urllib.parse.urlsplit(r["url"]).path for r in requests]
    assert paths[0] == "/en/"
    assert any(path.startswith("/static/favicon.") for path in paths), paths
    stylesheet = next(r for r in requests if "bootstrap" in r["url"])
    assert 10_000 < stylesheet["bytes"] < 40_000  # brotli: the file itself is 230 KB
