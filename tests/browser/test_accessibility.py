"""Accessibility in Chromium, beyond what test_page_types.py checks on every page type (axe-core, the
page's language, headings): the law's Chinese text marked as Chinese, a working skip link, form errors
announced and linked from a summary, and a check that the axe harness can fail."""

import re

import pytest

from .a11y import serious_violations
from .conftest import new_page
from .focus import assert_focus_visible, wait_until_focus_in_viewport
from .pages import LANGUAGES

pytestmark = pytest.mark.browser


def test_axe_check_can_fail(site, browser):
    """The harness reports what it should: grey-on-white text fails the colour-contrast rule."""
    context, page = new_page(browser)
    try:
        page.goto(site.url("/en/"))
        page.evaluate("document.querySelector('main p').classList.add('text-body-tertiary')")
        assert "color-contrast" in [violation[0] for violation in serious_violations(page)]
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_law_text_is_marked_as_chinese(catalogue, page, language):
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
