"""In a real browser: searching from the header box, answering "Was this page helpful?" without
JavaScript, and JSON-LD allowed by a strict Content-Security-Policy."""

import json
import re
import urllib.parse
import urllib.request

import pytest

from tests.browser.conftest import new_page

pytestmark = pytest.mark.browser

SEED = "accidentally-put-money-on-card"
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)


def open_site_menu(page):
    """On a phone the navigation and the search box are folded into the menu (a <details>): open it."""
    summary = page.locator("details.site-menu > summary")
    if summary.count() and summary.is_visible() and not page.locator("details.site-menu").evaluate("el => el.open"):
        summary.click()


@pytest.mark.parametrize(("language", "query"), [("zh-hans", "激活"), ("en", "activation")])
def test_search_from_the_header_box(site, page, language, query):
    page.goto(site.url(f"/{language}/faq/"))
    open_site_menu(page)
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    first = page.locator("ol.search-results h2 a").first
    assert first.get_attribute("href") == f"/{language}/faq/{SEED}/"
    assert page.locator("ol.search-results mark").count() > 0
    # Nothing sticks out sideways, even at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    first.click()
    page.wait_for_url(re.compile(f"/faq/{SEED}/$"))


def test_header_search_box_has_an_accessible_name(site, page):
    page.goto(site.url("/zh-hans/"))
    open_site_menu(page)
    box = page.get_by_role("search").get_by_role("searchbox")
    assert box.evaluate("el => el.labels.length") == 1
    assert box.is_visible()
    assert page.get_by_role("search").get_by_role("button").is_visible()


def test_feedback_without_javascript(site, browser):
    context, page = new_page(browser, "phone", javascript=False)
    try:
        page.goto(site.url(f"/en/faq/{SEED}/"))
        assert context.cookies() == [], "the article page sets no cookie"
        page.locator(".feedback-ask-form").get_by_role("button", name="No").click()
        page.wait_for_url(re.compile(r"/feedback/faq/\d+/\?answer=no"))
        assert page.get_by_role("radio", name="No").is_checked()
        page.get_by_label("Anything to add? (optional)").fill("Step 2 is unclear <b>here</b>.")
        page.get_by_role("button", name="Send").click()
        page.wait_for_url(re.compile(r"/thanks/\?answer=no$"))
        assert page.locator("h1").inner_text() == "Thank you for your answer"
    finally:
        context.close()
    count = site.manage(
        "shell",
        "-c",
        "from inquiry.feedback.models import Feedback; print(Feedback.objects.filter(helpful=False).count())",
    )
    assert int(count.stdout.strip().splitlines()[-1]) >= 1


def _with_csp(route, extra_body=""):
    response = route.fetch()
    body = response.text()
    if extra_body:
        body = body.replace("</main>", extra_body + "</main>")
    headers = {**response.headers, "content-security-policy": STRICT_CSP}
    route.fulfill(response=response, body=body, headers=headers)


def _violations(browser, url, extra_body=""):
    context, page = new_page(browser, "desktop")
    messages, violations = [], []
    try:
        page.on("console", lambda message: messages.append(message.text))
        page.add_init_script(
            "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation', e => "
            "window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        page.route(url, lambda route: _with_csp(route, extra_body))
        page.goto(url)
        page.wait_for_load_state("load")
        violations = page.evaluate("window.__cspViolations")
        blocks = page.locator('script[type="application/ld+json"]').all_text_contents()
    finally:
        context.close()
    return violations, [text for text in messages if "Content Security Policy" in text], blocks


@pytest.mark.parametrize("path", [f"/en/faq/{SEED}/", "/zh-hans/law/social-insurance-law/14/"])
def test_json_ld_is_allowed_by_a_strict_csp(site, browser, path):
    violations, console, blocks = _violations(browser, site.url(path))
    assert violations == [] and console == []
    assert len(blocks) == 1
    assert json.loads(blocks[0])["@type"] in ("FAQPage", "Legislation")


def test_the_csp_check_would_catch_an_inline_script(site, browser):
    """The harness above can fail: an executable inline script under the same policy is reported."""
    violations, console, _blocks = _violations(
        browser, site.url(f"/en/faq/{SEED}/"), extra_body="<script>document.title = 'ran';</script>"
    )
    assert violations or console


def test_sitemap_over_http(site):
    with urllib.request.urlopen(site.url("/sitemap.xml"), timeout=10) as response:  # noqa: S310 - loopback
        body = response.read().decode()
    assert urllib.parse.urlsplit(site.base_url).netloc in body
    assert f"/zh-hans/faq/{SEED}/" in body and 'hreflang="x-default"' in body


@pytest.mark.parametrize(
    "path",
    [
        "/zh-hans/search/?q=%E6%BF%80%E6%B4%BB",
        "/en/search/?q=qzxqzv",
        "/en/search/?q=card&page=2",
        "/zh-hans/faq/{seed}/",
    ],
)
def test_search_and_feedback_pages_pass_axe(site, page, path):
    from axe_playwright_python.sync_playwright import Axe

    if "{seed}" in path:
        page.goto(site.url(path.format(seed=SEED)))
        page.locator(".feedback-ask-form button").first.click()
        page.wait_for_url(re.compile(r"/feedback/"))
    else:
        page.goto(site.url(path))
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in serious]
