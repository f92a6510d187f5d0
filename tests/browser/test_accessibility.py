"""Accessibility of every page type in both languages, in Chromium: axe-core (WCAG 2.2 AA, colour
contrast included) on a desktop and a phone, the language of the page and of passages in the other
language, headings in order, a working skip link, and form errors announced and linked from a summary."""

import re

import pytest

from .conftest import new_page
from .focus import assert_focus_visible, wait_until_focus_in_viewport
from .pages import HTML_LANG, LANGUAGES, PAGE_TYPES

pytestmark = pytest.mark.browser

# axe's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = ("serious", "critical")

# Passages written in Chinese (text mostly in Chinese characters, not a Chinese term quoted in an
# English sentence), with the language that applies to each (the nearest lang attribute).
CHINESE_PASSAGES = r"""() => {
  const han = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g, latin = /[A-Za-z]/g;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const chinese = (node.data.match(han) || []).length, english = (node.data.match(latin) || []).length;
    if (chinese <= english || node.parentElement.closest('script, style')) continue;
    const owner = node.parentElement.closest('[lang]');
    found.push({text: node.data.trim().slice(0, 40), lang: owner ? owner.getAttribute('lang') : ''});
  }
  return found;
}"""

HEADINGS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
  .filter(h => !h.closest('[hidden], [aria-hidden="true"]') && getComputedStyle(h).display !== 'none')
  .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 40)])"""


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_axe_finds_nothing_serious(catalogue, page, page_type, language):
    assert catalogue.open(page, page_type, language) == page_type.status
    assert serious_violations(page) == []


def test_axe_check_can_fail(site, page):
    """The harness reports what it should: grey-on-white text fails the colour-contrast rule."""
    page.goto(site.url("/en/"))
    page.evaluate("document.querySelector('main p').classList.add('text-body-tertiary')")
    assert "color-contrast" in [violation[0] for violation in serious_violations(page)]


@pytest.fixture(scope="module")
def desktop_page(browser):
    context, page = new_page(browser, "desktop")
    yield page
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_language_and_headings(catalogue, desktop_page, page_type, language):
    page = desktop_page
    assert catalogue.open(page, page_type, language) == page_type.status

    # The page's language, and the language switcher's names each in their own language.
    assert page.locator("html").get_attribute("lang") == HTML_LANG[language]
    for other in LANGUAGES:
        link_or_current = page.locator(f".language-switcher [lang='{HTML_LANG[other]}']")
        assert link_or_current.count() == 1, other
    # A Chinese passage on an English page (a law's authoritative text, say) is marked as Chinese.
    for passage in page.evaluate(CHINESE_PASSAGES):
        assert passage["lang"].lower().startswith("zh"), passage

    # One h1; no level skipped on the way down (an error summary's h2 may stand above the h1, as the
    # summary comes first on the page).
    headings = page.evaluate(HEADINGS)
    levels = [level for level, _text in headings]
    assert levels.count(1) == 1, headings
    for previous, (level, text) in zip([1, *levels], headings, strict=False):
        assert level <= previous + 1, f"h{previous} then h{level} ({text}): {headings}"

    # The skip link leads to the main content.
    assert page.locator("a.skip-link").get_attribute("href") == "#main"
    assert page.locator("main#main").count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_english_page_marks_the_chinese_law_text(catalogue, desktop_page, language):
    page = desktop_page
    catalogue.open(page, "law-article", language)
    original = page.locator(".law-text [lang='zh-Hans']")
    assert original.count() == 1
    assert re.search(r"[\u4e00-\u9fff]", original.text_content())
    if language == "en":
        # The unofficial English translation is in the page's language; the Chinese one is marked.
        assert page.locator(".law-paragraphs").first.evaluate("el => el.closest('[lang]').lang") == "en"


@pytest.mark.parametrize("path", ["/zh-hans/", "/en/faq/accidentally-put-money-on-card/", "/en/card/"])
def test_skip_link_moves_focus_to_the_main_content(site, page, path):
    page.goto(site.url(path))
    page.keyboard.press("Tab")
    state = assert_focus_visible(page)
    assert "skip-link" in state["cls"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    state = assert_focus_visible(page)
    assert state["inMain"], state


ERROR_PAGES = {
    "guide-question-error": {"field": "#answer-yes", "described_by": "question-error"},
    "feedback-error": {"field": "#id_helpful_0", "described_by": "helpful-error"},
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ERROR_PAGES)
def test_form_errors_are_announced_and_linked_from_a_summary(catalogue, browser, viewport, name, language):
    expected = ERROR_PAGES[name]
    # Without JavaScript: the summary, its links and the title work on their own.
    context, page = new_page(browser, viewport, javascript=False)
    try:
        assert catalogue.open(page, name, language) == 400
        # Announced: the title starts with "Error:", the summary is an alert, named by its heading.
        assert re.match(r"^(Error:|错误：)", page.title()), page.title()
        summary = page.get_by_role("alert")
        assert summary.count() == 1
        assert summary.locator("h2").inner_text() == ("There is a problem" if language == "en" else "出现了问题")
        # Linked: each problem links to its field, which says what is wrong.
        link = summary.locator("a")
        assert link.count() == 1
        assert link.get_attribute("href") == expected["field"]
        field = page.locator(expected["field"])
        described = field.evaluate("el => (el.closest('fieldset') || el).getAttribute('aria-describedby') || ''")
        assert expected["described_by"] in described.split()
        assert page.locator(f"#{expected['described_by']}").inner_text().strip()
        # Following the link puts the keyboard on the field.
        link.click()
        assert page.evaluate("'#' + document.activeElement.id") == expected["field"]
        wait_until_focus_in_viewport(page)
    finally:
        context.close()
