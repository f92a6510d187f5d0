"""A visitor without JavaScript answers the guide's questions in Chromium, against the real server."""

import re

import pytest

from .conftest import new_page

pytestmark = pytest.mark.browser

FLOW = "/guide/what-happened-to-my-money"


def answer(page, choice):
    page.check(f"#answer-{choice}")
    page.click("button.guide-continue")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_home_to_an_outcome_then_change_the_first_answer(site, browser, viewport, language):
    context, page = new_page(browser, viewport, javascript=False)
    try:
        page.goto(site.url(f"/{language}/"))
        page.click("main a.start-button")  # the home page's way in
        page.wait_for_url(re.compile(rf"/{language}{FLOW}/$"))
        page.click("main a.start-button")  # the guide's start page

        page.wait_for_url(re.compile(rf"{FLOW}/money-source/$"))
        # Continuing without a choice shows the error summary, linked to the first radio.
        page.click("button.guide-continue")
        assert page.locator(".error-summary a[href='#answer-deposited-myself']").count() == 1
        answer(page, "deposited-myself")
        page.wait_for_url(re.compile(rf"{FLOW}/activated/\?money-source=deposited-myself$"))
        answer(page, "yes")
        page.wait_for_url(re.compile(r"/where-you-look/\?money-source=deposited-myself&activated=yes$"))
        assert page.locator(".guide-answers .guide-summary-row").count() == 2
        answer(page, "bank")

        page.wait_for_url(
            re.compile(r"/result/active-not-showing/\?money-source=deposited-myself&activated=yes&where-you-look=bank$")
        )
        assert page.locator("main h1").inner_text().strip()
        assert page.locator("aside.legal-basis a[href$='/law/social-insurance-handling-regulation/62/']").count() == 1
        assert page.locator(f"a[href='/{language}/card/#state-financial-active']").count() == 1
        shared = page.url
        assert page.locator("#share-url").input_value() == shared

        # Change the first answer: the question comes back with the old answer chosen.
        page.locator(".guide-answers .guide-summary-row").first.locator("a").click()
        page.wait_for_url(re.compile(rf"{FLOW}/money-source/\?"))
        assert page.is_checked("#answer-deposited-myself")
        answer(page, "card-lost-or-damaged")
        page.wait_for_url(re.compile(r"/card-problem/\?money-source=card-lost-or-damaged$"))
        answer(page, "damaged")
        page.wait_for_url(
            re.compile(r"/result/damaged-replace-card/\?money-source=card-lost-or-damaged&card-problem=damaged$")
        )
        assert page.locator(".guide-answers .guide-summary-row").count() == 2

        # The shared address brings back the first outcome; the back link steps back one question.
        page.goto(shared)
        page.click("a.back-link")
        page.wait_for_url(
            re.compile(r"/where-you-look/\?money-source=deposited-myself&activated=yes&where-you-look=bank$")
        )
        assert page.is_checked("#answer-bank")
    finally:
        context.close()


def test_guide_pages_pass_an_accessibility_check(site, browser):
    from axe_playwright_python.sync_playwright import Axe

    context, page = new_page(browser, "phone")
    try:
        for url in [
            f"/zh-hans{FLOW}/",
            f"/zh-hans{FLOW}/activated/?money-source=deposited-myself",
            f"/zh-hans{FLOW}/activated/answer/?money-source=deposited-myself",
            f"/en{FLOW}/result/deposit-not-activated/?money-source=deposited-myself&activated=no",
        ]:
            page.goto(site.url(url))
            results = Axe().run(page)
            assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
    finally:
        context.close()
