"""Every page, public and admin, loads in Chromium under the strict Content-Security-Policy with no violation."""

import re

import pytest

from tests.browser.conftest import new_page
from tests.support.server import ADMIN_PASSWORD, ADMIN_USERNAME

pytestmark = pytest.mark.browser

PUBLIC_PATHS = [
    "/zh-hans/",
    "/en/",
    "/en/faq/",
    "/zh-hans/faq/accidentally-put-money-on-card/",
    "/en/card/",
    "/en/card/procedures/activate-financial-account/",
    "/en/law/",
    "/en/law/social-insurance-law/",
    "/zh-hans/law/social-insurance-law/14/",
    "/en/nowhere/",  # the 404 page
]

# Chromium reports violations both as a DOM event and on the console; record both.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`
    + ` at ${event.sourceFile || ''}:${event.lineNumber || ''}`);
});
"""


class ViolationRecorder:
    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))

    def _on_console(self, message):
        if message.type == "error" and re.search(r"Content.Security.Policy|Refused to", message.text):
            self.console.append(message.text)

    def violations(self):
        return self.console + self.page.evaluate("window.__cspViolations || []")

    def wait_for_reported(self, count):
        """Until the page has reported `count` violations (events arrive in the order of the causes)."""
        self.page.wait_for_function("n => (window.__cspViolations || []).length >= n", arg=count)
        return self.page.evaluate("window.__cspViolations")


@pytest.fixture
def recorded(browser):
    context, page = new_page(browser)
    yield page, ViolationRecorder(page)
    context.close()


def assert_site_styles_applied(page):
    # The site's stylesheet paints the header in the accent colour: the CSS was allowed to load.
    colour = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert colour == "rgb(11, 79, 138)"


def test_public_pages_load_with_no_csp_violation(site, recorded):
    page, recorder = recorded
    for path in PUBLIC_PATHS:
        response = page.goto(site.url(path))
        assert response.status in (200, 404), path
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        assert_site_styles_applied(page)
        assert recorder.violations() == [], path

    # The recorder does see a violation: an inline style attribute is refused.
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    assert any("style-src" in violation for violation in recorder.wait_for_reported(1))


def test_admin_pages_load_and_work_with_no_csp_violation(site, recorded):
    page, recorder = recorded
    page.goto(site.url("/admin/login/"))
    page.fill("#id_username", ADMIN_USERNAME)
    page.fill("#id_password", ADMIN_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    assert recorder.violations() == []

    for path in ["/admin/", "/admin/faq/article/", "/admin/faq/article/add/", "/admin/cards/procedure/"]:
        response = page.goto(site.url(path))
        assert response.status == 200, path
        assert recorder.violations() == [], path

    # An existing article's form: its many-to-many boxes are turned into the two-list chooser by the
    # admin's JavaScript, which therefore ran under the policy.
    page.goto(site.url("/admin/faq/article/"))
    page.locator("#result_list tbody tr th a").first.click()
    page.wait_for_url(re.compile(r"/admin/faq/article/\d+/change/$"))
    assert page.locator(".selector").count() >= 1
    history = page.locator("a.historylink")
    if history.count():
        history.first.click()
        page.wait_for_load_state()
    assert recorder.violations() == []

    # The admin's one allowance is exact: the allowed inline style passes, any other is refused. Reports
    # come in order, so once the refused one is reported, a report of the allowed one would be there too.
    page.evaluate("document.body.setAttribute('style', 'border-top: 0')")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    reported = recorder.wait_for_reported(1)
    assert len(reported) == 1 and "style-src-attr" in reported[0], reported
