"""The editorial admin in a real browser: Markdown preview with and without JavaScript."""

import pytest

from tests.support.server import ADMIN_PASSWORD, ADMIN_USERNAME

from .conftest import ARTIFACTS, new_page

pytestmark = pytest.mark.browser


def sign_in(page, site):
    page.goto(site.url("/admin/login/?next=/admin/faq/article/"))
    page.fill("input[name=username]", ADMIN_USERNAME)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/faq/article/")


def open_seed_article(page, site):
    page.goto(site.url("/admin/faq/article/?q=accidentally-put-money-on-card"))
    page.click("#result_list a[href*='/change/'] >> nth=0")
    page.wait_for_selector("textarea[name=body_en]")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_markdown_preview(site, browser, javascript):
    context, page = new_page(browser, javascript=javascript, locale="en-GB")
    try:
        sign_in(page, site)
        open_seed_article(page, site)
        page.fill("textarea[name=body_en]", "Preview **this** text.\n\n<script>alert(1)</script>")
        if javascript:
            page.locator("textarea[name=body_en] + button.markdown-preview-toggle").click()
            box = page.locator("textarea[name=body_en] ~ .markdown-preview-inline")
            box.locator("strong").wait_for()
            assert box.locator("strong").inner_text() == "this"
            assert "<script>alert(1)</script>" in box.inner_text()  # shown as text
            assert box.locator("script").count() == 0
        else:
            with context.expect_page() as new_tab:
                page.click("button[name=_markdown_preview]")
            preview = new_tab.value
            preview.wait_for_load_state()
            assert preview.locator(".markdown-preview strong", has_text="this").count() == 1
            assert preview.locator(".markdown-preview script").count() == 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"admin-markdown-preview-{'js' if javascript else 'nojs'}.png"))
        # Nothing was saved: the public page still shows the stored text.
        public = context.new_page()
        public.goto(site.url("/en/faq/accidentally-put-money-on-card/"))
        assert "Preview this text." not in public.locator("main").inner_text()
    finally:
        context.close()
