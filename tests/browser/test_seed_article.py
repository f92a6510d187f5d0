import re

import pytest

from .pages import open_legal_basis

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_home_to_seed_article_and_its_legal_basis(site, page, language):
    page.goto(site.url(f"/{language}/"))
    read_more = page.locator("main a[href$='/faq/accidentally-put-money-on-card/']").last
    read_more.click()
    page.wait_for_url(re.compile(r"/faq/accidentally-put-money-on-card/$"))
    assert page.locator("h1").inner_text().strip()

    legal_basis = open_legal_basis(page)
    hrefs = legal_basis.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert f"/{language}/law/social-insurance-law/4/" in hrefs
    assert f"/{language}/law/social-insurance-law/5/" in hrefs

    legal_basis.locator(f"a[href='/{language}/law/social-insurance-law/4/']").click()
    page.wait_for_url(re.compile(r"/law/social-insurance-law/4/$"))
    assert page.locator("h1").inner_text().strip()
    # The article page lists the seed article among the pages that cite it.
    assert page.locator("section.cited-by a[href$='/faq/accidentally-put-money-on-card/']").count() == 1
