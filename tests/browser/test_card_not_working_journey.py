"""A visitor without JavaScript finds "My card does not work" in the list of guides and answers it in
Chromium, against the real server; its pages and a new article (with a table) pass axe."""

import re

import pytest

from .conftest import new_page

pytestmark = pytest.mark.browser

FLOW = "/guide/my-card-does-not-work"


def answer(page, choice):
    page.check(f"#answer-{choice}")
    page.click("button.guide-continue")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_from_the_guide_list_to_the_sealed_card_outcome(site, browser, viewport, language):
    context, page = new_page(browser, viewport, javascript=False)
    try:
        page.goto(site.url(f"/{language}/guide/"))
        page.click(f"main a[href='/{language}{FLOW}/']")
        page.wait_for_url(re.compile(rf"/{language}{FLOW}/$"))
        page.click("main a.start-button")
        page.wait_for_url(re.compile(rf"{FLOW}/what-fails/$"))
        answer(page, "services")
        page.wait_for_url(re.compile(rf"{FLOW}/card-status/\?what-fails=services$"))
        answer(page, "sealed")
        page.wait_for_url(re.compile(r"/result/card-sealed/\?what-fails=services&card-status=sealed$"))
        assert page.locator("main h1").inner_text().strip()
        assert page.locator(f"a[href='/{language}/card/#state-social-security-sealed']").count() == 1
        assert page.locator(f"main a[href='/{language}/faq/card-status-sealed/']").count() >= 1
        # What carries it: the provincial Q&A on the sealed status (no law article speaks of it; the
        # Regulation's Art. 62 on the bank function no longer stands in as filler).
        assert page.locator("aside.legal-basis a[href='https://bzaobjz.cn/c/2022-09-29/361351.shtml']").count() == 1
        assert page.locator("aside.legal-basis a[href*='/law/social-insurance-handling-regulation/62/']").count() == 0

        # Changing the first answer to "expired" reaches its outcome in one question.
        page.locator(".guide-answers .guide-summary-row").first.locator("a").click()
        page.wait_for_url(re.compile(rf"{FLOW}/what-fails/\?"))
        answer(page, "expired")
        page.wait_for_url(re.compile(r"/result/card-expired/\?what-fails=expired$"))
        assert page.locator(f"a[href='/{language}/card/#state-financial-expired']").count() == 1
    finally:
        context.close()


def test_new_guide_and_article_pages_pass_an_accessibility_check(site, browser):
    from axe_playwright_python.sync_playwright import Axe

    context, page = new_page(browser, "phone")
    try:
        for url in [
            f"/zh-hans{FLOW}/",
            f"/zh-hans{FLOW}/where-password/?what-fails=password",
            f"/en{FLOW}/result/which-password/?what-fails=password&where-password=not-sure",
            "/zh-hans/faq/bank-pin-vs-social-insurance-password/",
            "/en/faq/claim-unemployment-benefit/",
        ]:
            page.goto(site.url(url))
            results = Axe().run(page)
            assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
    finally:
        context.close()
