"""Every page type in both languages, on a desktop and on a 360 × 740 phone, in Chromium: one visit each,
and on it a screenshot, axe-core (WCAG 2.2 A/AA and best practices, colour contrast included: nothing
serious or critical), the page's language and that of Chinese passages on English pages, headings in
order, and nothing sticking out sideways.

The 500 and 503 pages get the same checks (test_fault_page), on a server made to fail.

Screenshots go to test-artifacts/screenshots/<viewport>/ (printed at the end of the run; not in git).
The two pictures in the README (docs/screenshots/) are copies of the readme-*.png written here.
"""

import pytest

from .a11y import CHINESE_PASSAGES, HEADINGS, serious_violations
from .conftest import ARTIFACTS, new_page, record_artifact
from .pages import FAULT_PAGE_TYPES, FLOW, HTML_LANG, LANGUAGES, PAGE_TYPES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["desktop", "phone"])
def visit(request, browser):
    """One browser tab per viewport for the whole sweep (a new context per page would add minutes)."""
    context, page = new_page(browser, request.param)
    folder = ARTIFACTS / "screenshots" / request.param
    folder.mkdir(parents=True, exist_ok=True)
    yield request.param, page, folder
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_page_type(catalogue, visit, page_type, language):
    _viewport, page, folder = visit
    assert catalogue.open(page, page_type, language) == page_type.status
    check_page(page, folder, page_type, language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", FAULT_PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_fault_page(faulty_site, visit, page_type, language):
    """The 500 and 503 pages, served for real (a failing page, a database that is not there)."""
    _viewport, page, folder = visit
    response = page.goto(faulty_site.url(page_type.url_path(language)))
    assert response.status == page_type.status
    assert page.locator("header.site-header").count() == 1 and page.locator("footer.site-footer").count() == 1
    check_page(page, folder, page_type, language)


def check_page(page, folder, page_type, language):
    # JPEG: half the time of a PNG for a long page, and a tenth of the size.
    screenshot = record_artifact(folder / f"{page_type.name}-{language}.jpg")
    page.screenshot(path=screenshot, full_page=True, type="jpeg", quality=80)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), (
        "the page scrolls sideways"
    )

    # The page's language, and each language's name in the switcher in its own language.
    assert page.locator("html").get_attribute("lang") == HTML_LANG[language]
    for other in LANGUAGES:
        assert page.locator(f".language-switcher [lang='{HTML_LANG[other]}']").count() == 1, other
    # A Chinese passage on an English page (a law's authoritative text, say) is marked as Chinese.
    for passage in page.evaluate(CHINESE_PASSAGES):
        assert passage["lang"].lower().startswith("zh"), passage

    # One h1; no level skipped on the way down (an error summary's h2 may stand above the h1, as the
    # summary comes first on the page). The skip link leads to the main content.
    headings = page.evaluate(HEADINGS)
    levels = [level for level, _text in headings]
    assert levels.count(1) == 1, headings
    for previous, (level, text) in zip([1, *levels], headings, strict=False):
        assert level <= previous + 1, f"h{previous} then h{level} ({text}): {headings}"
    assert page.locator("a.skip-link").get_attribute("href") == "#main"
    assert page.locator("main#main").count() == 1

    assert serious_violations(page) == []


# For the README: the home page as a visitor first sees it, and the newcomer's outcome (money put on a
# card whose bank account is not activated) from its heading down through the first of its steps.
README_PICTURES = [
    ("readme-home", "/zh-hans/", None, 740),
    (
        "readme-guide-outcome",
        f"/zh-hans/guide/{FLOW}/result/deposit-not-activated/?money-source=deposited-myself&activated=no",
        "main",
        1400,
    ),
]


def test_readme_pictures(site, browser):
    context, page = new_page(browser, "phone")
    folder = ARTIFACTS / "screenshots" / "phone"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for name, path, start, height in README_PICTURES:
            page.goto(site.url(path))
            top = page.locator(start).bounding_box()["y"] if start else 0
            clip = {"x": 0, "y": top, "width": 360, "height": height}
            page.screenshot(path=record_artifact(folder / f"{name}.png"), clip=clip, full_page=True)
    finally:
        context.close()
