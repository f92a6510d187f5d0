"""The admin in Chromium, signed in as a superuser, in both languages: axe-core on the pages editors use
most and on our own admin pages (history, compare, feedback report, guide map, review list).

Nothing serious or critical may come from our templates. What comes from Django's own admin markup,
which we do not write, is allowed below by rule and page, each with its reason, and nothing else: a new
violation, or one of these on another page, fails.
"""

import pytest

from tests.support.server import ADMIN_PASSWORD, ADMIN_USERNAME

from .a11y import serious_violations_everywhere
from .conftest import ARTIFACTS, new_page, record_artifact
from .pages import ADMIN_LANGUAGES, ADMIN_PAGES

pytestmark = pytest.mark.browser

LOCALES = {"zh-hans": "zh-CN", "en": "en-GB"}

# What Django's own admin markup and CSS do, which we cannot change: (axe rule, the Django widget or part
# of the page the element is in, as a CSS selector) → why. Anything else, or the same rule elsewhere, fails.
DJANGO_ADMIN_VIOLATIONS = {
    ("aria-prohibited-attr", ".selector"): "filter_horizontal's SelectFilter2.js puts aria-label on a plain <span>",
    ("label", ".datetime"): "SplitDateTimeWidget's date and time inputs have no <label> of their own",
    ("link-in-text-block", ".breadcrumbs"): "Django's breadcrumbs: links told by colour only (CSS not ours)",
    ("target-size", "#changelist-filter"): "the changelist's filter sidebar: Django's small, tightly packed links",
}
CONTAINERS = r"""([selector, containers]) => {
  const element = document.querySelector(selector);
  return element ? containers.filter(container => element.closest(container)) : [];
}"""


def allowed(rule, containers):
    """Whether a violation of `rule` by an element inside `containers` (selectors) is Django's."""
    return any((rule, container) in DJANGO_ADMIN_VIOLATIONS for container in containers)


@pytest.fixture(scope="module", params=list(ADMIN_LANGUAGES))
def admin_tab(request, browser, site):
    context, page = new_page(browser, "desktop", locale=LOCALES[request.param])
    context.set_extra_http_headers({"Accept-Language": ADMIN_LANGUAGES[request.param]})
    page.goto(site.url("/admin/login/?next=/admin/"))
    page.fill("input[name=username]", ADMIN_USERNAME)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    yield request.param, page
    context.close()


@pytest.mark.parametrize("admin_page", ADMIN_PAGES, ids=lambda admin_page: admin_page.name)
def test_admin_page_has_no_serious_violations_of_ours(site, admin_ids, admin_tab, admin_page):
    language, page = admin_tab
    response = page.goto(site.url(admin_page.path.format(**admin_ids)))
    assert response.status == 200
    assert "/admin/login/" not in page.url
    expected_lang = "zh-hans" if language == "zh-hans" else "en"
    assert page.locator("html").get_attribute("lang").lower() == expected_lang
    folder = ARTIFACTS / "screenshots" / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=record_artifact(folder / f"{admin_page.name}-{language}.jpg"), type="jpeg", quality=80)

    containers = sorted({container for _rule, container in DJANGO_ADMIN_VIOLATIONS})
    unexpected = [
        (rule, impact, target)
        for rule, impact, targets in serious_violations_everywhere(page)
        for target in targets
        if not allowed(rule, page.evaluate(CONTAINERS, [str(target[-1]), containers]))
    ]
    assert unexpected == [], "\n".join(map(repr, unexpected))


def test_the_allow_list_does_not_hide_our_own_markup():
    """Only the named rule, only inside Django's part of the page: the same rule elsewhere is reported."""
    assert allowed("link-in-text-block", [".breadcrumbs"])
    assert not allowed("link-in-text-block", [])
    assert not allowed("link-in-text-block", ["#changelist-filter"])
    assert not allowed("color-contrast", [".breadcrumbs"])
