"""Journeys through the site in Chromium, each on a desktop and on a 360 × 740 phone.

Searching in Chinese and in English and opening a result: test_search_feedback_seo.py.
The guide without JavaScript, in both languages, with changed answers: test_guide_journey.py.
"""

import html
import re

import pytest

from tests.support.server import ADMIN_PASSWORD, ADMIN_USERNAME

from .conftest import ARTIFACTS, new_page, record_artifact
from .focus import assert_focus_visible, focus_state
from .pages import HTML_LANG, PAGE_TYPES, fetch, open_legal_basis

pytestmark = pytest.mark.browser

FLOW = "/guide/what-happened-to-my-money"


def no_sideways_scrolling(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def choose(page, choice):
    page.locator(f"label[for='answer-{choice}']").click()
    page.locator("button.guide-continue").click()


# Every step of an outcome's checklist has a box to tick, drawn by the print style sheet.
PRINTED_STEP_BOXES = """() => [...document.querySelectorAll('.guide-steps .step')].map(step => {
  const box = getComputedStyle(step, '::before');
  return box.borderTopStyle === 'solid' && parseFloat(box.width) > 5 && parseFloat(box.height) > 5;
})"""


def test_newcomer_from_home_through_the_guide_to_a_printed_checklist(site, page, viewport):
    page.goto(site.url("/"))  # the browser asks for Chinese: the home page in Chinese
    page.wait_for_url(re.compile(r"/zh-hans/$"))
    page.locator("main a.start-button").click()
    page.wait_for_url(re.compile(rf"/zh-hans{FLOW}/$"))
    page.locator("main a.start-button").click()
    page.wait_for_url(re.compile(rf"{FLOW}/money-source/$"))
    choose(page, "deposited-myself")
    page.wait_for_url(re.compile(r"/activated/\?money-source=deposited-myself$"))
    choose(page, "no")
    page.wait_for_url(re.compile(r"/result/deposit-not-activated/\?money-source=deposited-myself&activated=no$"))

    # The answer first, then the account's state, the steps, the law.
    assert page.locator("main h1").is_visible()
    assert page.locator(".guide-what-happened").is_visible()
    assert page.locator(".guide-state a[href$='/card/#state-financial-not-activated']").count() == 1
    steps = page.locator(".guide-steps .step")
    assert steps.count() >= 2
    assert page.locator("aside.legal-basis a[href*='/law/']").count() >= 1
    assert no_sideways_scrolling(page)
    outcome_url = page.url

    # Printed: the content only, as a checklist with a box for each step and the page's address.
    page.emulate_media(media="print")
    try:
        for chrome in (".site-header", ".site-footer", ".guide-share", ".back-link", ".guide-start-again"):
            assert not page.locator(chrome).first.is_visible(), chrome
        assert page.locator("main h1").is_visible()
        assert page.locator(".guide-steps .step").first.is_visible()
        assert all(page.evaluate(PRINTED_STEP_BOXES))
        printed_url = page.locator(".guide-print-url")
        assert printed_url.is_visible() and printed_url.inner_text().strip() == outcome_url
        assert page.locator(".guide-answers").is_visible()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = page.pdf(path=record_artifact(ARTIFACTS / f"guide-outcome-print-{viewport}.pdf"), format="A4")
        # The checklist of this outcome (two procedures, eleven steps, and where each claim comes from) fits
        # on three sheets of A4 at 11 pt (issue 12: large enough for older holders to read).
        assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 3
    finally:
        page.emulate_media(media="screen")


def test_faq_article_to_the_law_and_the_pages_that_cite_it(site, page, viewport):
    language = "en" if viewport == "desktop" else "zh-hans"
    article = "why-balance-shows-zero"
    page.goto(site.url(f"/{language}/faq/"))
    page.locator(f"main a[href='/{language}/faq/{article}/']").click()
    page.wait_for_url(re.compile(f"/faq/{article}/$"))
    assert page.locator(".short-answer").is_visible()

    cited = open_legal_basis(page).locator("a").first
    law_path = cited.get_attribute("href")
    assert re.fullmatch(rf"/{language}/law/[a-z-]+/\d+/", law_path)
    cited.click()
    page.wait_for_url(re.compile(f"{law_path}$"))
    assert page.locator(".law-text").is_visible()

    # The law article lists the pages that cite it: the article we came from, and others.
    citing = page.locator("section.cited-by a")
    hrefs = citing.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert f"/{language}/faq/{article}/" in hrefs
    others = [href for href in hrefs if href != f"/{language}/faq/{article}/"]
    assert others
    page.locator(f"section.cited-by a[href='{others[0]}']").click()
    page.wait_for_url(re.compile(re.escape(others[0]) + "$"))
    # ... and each of them cites it back.
    assert page.locator(f"aside.legal-basis a[href='{law_path}']").count() == 1
    assert no_sideways_scrolling(page)


def test_switching_language_keeps_the_page(catalogue, page, viewport):
    # Chinese to English on the desktop, English to Chinese on the phone: every page type both ways.
    start, target, name = ("zh-hans", "en", "English") if viewport == "desktop" else ("en", "zh-hans", "简体中文")
    for page_type in PAGE_TYPES:
        catalogue.open(page, page_type, start)
        expected = re.sub(f"/{start}/", f"/{target}/", page.url.split("#")[0], count=1)
        page.locator(".language-switcher").get_by_role("link", name=name).click()
        page.wait_for_url(expected)  # the same path and query, in the other language
        assert page.locator("html").get_attribute("lang") == HTML_LANG[target], page_type.name


def test_faq_and_feedback_without_javascript(site, browser, viewport):
    context, page = new_page(browser, viewport, javascript=False, locale="en-GB")
    try:
        page.goto(site.url("/en/faq/"))
        page.locator("main h2 a[href='/en/faq/topic/lost-card/']").click()
        page.wait_for_url(re.compile(r"/faq/topic/lost-card/$"))
        page.locator("main .question-list a").first.click()
        page.wait_for_url(re.compile(r"/en/faq/[a-z0-9-]+/$"))
        article_url = page.url
        assert page.locator(".short-answer").is_visible()
        assert no_sideways_scrolling(page)

        # The law's authoritative Chinese text opens without a script (a <details> element).
        open_legal_basis(page).locator("a").first.click()
        page.wait_for_url(re.compile(r"/en/law/[a-z-]+/\d+/$"))
        original = page.locator(".law-original div[lang='zh-Hans']")
        assert not original.is_visible()
        page.locator(".law-original summary").click()
        assert original.is_visible()
        page.go_back()

        page.wait_for_url(article_url)
        page.locator(".feedback-ask-form").get_by_role("button", name="Yes").click()
        page.wait_for_url(re.compile(r"/feedback/faq/\d+/\?answer=yes$"))
        page.get_by_role("button", name="Send").click()
        page.wait_for_url(re.compile(r"/thanks/\?answer=yes$"))
        page.get_by_role("link", name="Back to the page").click()
        page.wait_for_url(article_url)
    finally:
        context.close()


def tab_to(page, selector, limit=40):
    """Press Tab until `selector` has the focus; every stop on the way shows its focus, on screen."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab; focus on {focus_state(page)}")


def test_guide_with_the_keyboard_alone(site, browser, viewport):
    context, page = new_page(browser, viewport, locale="en-GB")
    try:
        page.goto(site.url(f"/en{FLOW}/"))
        # The page jumps to what the keyboard reaches rather than gliding to it (site.css).
        assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
        tab_to(page, "a.skip-link")
        page.keyboard.press("Enter")
        tab_to(page, "a.start-button")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"{FLOW}/money-source/$"))

        # The first answer: Space checks the radio the focus lands on.
        tab_to(page, "input[name='money-source']")
        page.keyboard.press("Space")
        assert page.locator("#answer-deposited-myself").is_checked()
        tab_to(page, "button.guide-continue")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/activated/\?money-source=deposited-myself$"))

        # Another answer in the group: the arrow keys move along it.
        tab_to(page, "input[name='activated']")
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        assert page.locator("#answer-no").is_checked()
        assert_focus_visible(page)
        tab_to(page, "button.guide-continue")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/result/deposit-not-activated/\?money-source=deposited-myself&activated=no$"))

        # Every link and field of the outcome page is reached, visibly, down to "Start again".
        tab_to(page, ".guide-start-again a", limit=80)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/en{FLOW}/$"))
    finally:
        context.close()


SIGN_IN_NEXT = "/admin/faq/article/"
EDITED_ARTICLE = {"desktop": "expired-card", "phone": "moving-province-new-card"}


def public_status_and_title(browser, site, path):
    """What an anonymous visitor gets: a fresh context each time (no cookies, no cached copy)."""
    context, page = new_page(browser, locale="en-GB")
    try:
        response = page.goto(site.url(path))
        return response.status, response.headers.get("x-page-cache"), page.locator("h1").first.inner_text()
    finally:
        context.close()


def test_editor_edits_and_publishes_and_the_public_sees_it_at_once(site, browser, viewport):
    slug = EDITED_ARTICLE[viewport]
    public = f"/en/faq/{slug}/"
    # The public page is in the whole-page cache before the edit.
    public_status_and_title(browser, site, public)
    status, cache, old_title = public_status_and_title(browser, site, public)
    assert (status, cache) == (200, "hit")
    fetch(site.url("/en/faq/"))
    assert old_title in html.unescape(fetch(site.url("/en/faq/")).body)  # the list of questions, cached too
    new_title = f"{old_title} (checked {viewport})"

    context, page = new_page(browser, viewport, locale="en-GB")
    try:
        page.goto(site.url(f"/admin/login/?next={SIGN_IN_NEXT}"))
        page.fill("#id_username", ADMIN_USERNAME)
        page.fill("#id_password", ADMIN_PASSWORD)
        page.locator("input[type=submit]").click()
        page.wait_for_url(re.compile(f"{SIGN_IN_NEXT}$"))

        def run_action_on_the_article(action):
            page.goto(site.url(f"/admin/faq/article/?q={slug}"))
            assert page.locator("#result_list tbody tr").count() == 1
            page.locator("#result_list input[name=_selected_action]").check()
            page.locator("select[name=action]").select_option(action)
            page.locator("button[name=index]").click()
            page.wait_for_load_state()
            assert page.locator("ul.messagelist li.success").count() == 1, page.locator("main").inner_text()

        # Back to draft to rework it: the public page is gone at once.
        run_action_on_the_article("unpublish_selected")
        assert public_status_and_title(browser, site, public)[0] == 404

        # The edit.
        page.goto(site.url(f"/admin/faq/article/?q={slug}"))
        page.locator("#result_list a[href*='/change/']").first.click()
        page.wait_for_url(re.compile(r"/admin/faq/article/\d+/change/"))
        page.fill("#id_title_en", new_title)
        body = page.locator("#id_body_en")
        body.fill(body.input_value() + "\n\nChecked again by the editors.")
        page.locator("input[name=_save]").click()
        page.wait_for_url(re.compile(f"{SIGN_IN_NEXT}"))
        assert page.locator("ul.messagelist li.success").count() == 1

        # Staff see the draft at its public address, marked as a preview; the public still does not.
        page.goto(site.url(public))
        assert page.locator(".preview-banner").is_visible()
        assert page.locator("h1").inner_text() == new_title
        assert public_status_and_title(browser, site, public)[0] == 404

        # Published: the public sees the new text on the next request, not when the cache expires.
        run_action_on_the_article("publish_selected")
    finally:
        context.close()
    status, _cache, title = public_status_and_title(browser, site, public)
    assert (status, title) == (200, new_title)
    assert new_title in html.unescape(fetch(site.url("/en/faq/")).body)
    context, page = new_page(browser, locale="en-GB")
    try:
        page.goto(site.url(public))
        assert "Checked again by the editors." in page.locator("main").inner_text()
        assert page.locator(".preview-banner").count() == 0
    finally:
        context.close()
