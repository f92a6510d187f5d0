"""The admin in Chromium, signed in as a superuser, in both languages: axe-core on the pages editors use
most, on our own admin pages (history, compare, feedback report, guide map, review list) and on the
change form of every content model.

Nothing serious or critical may be found, whoever wrote the markup: what Django's admin got wrong (the
inline tables' unlabelled inputs, the date and time inputs, the multi-select's icons, breadcrumbs and
filter links told apart by colour or too small) is fixed by our templates in templates/admin/, our
stylesheet and script in static/editorial/, and the guide's admin (stacked answers, no select2).
"""

import re

import pytest

from tests.support.server import ADMIN_PASSWORD, ADMIN_USERNAME

from .a11y import serious_violations_everywhere
from .conftest import ARTIFACTS, new_page, record_artifact
from .pages import ADMIN_LANGUAGES, ADMIN_PAGES

pytestmark = pytest.mark.browser

LOCALES = {"zh-hans": "zh-CN", "en": "en-GB"}


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
def test_admin_page_has_no_serious_or_critical_violations(site, admin_ids, admin_tab, admin_page):
    language, page = admin_tab
    response = page.goto(site.url(admin_page.path.format(**admin_ids)))
    assert response.status == 200
    assert "/admin/login/" not in page.url
    expected_lang = "zh-hans" if language == "zh-hans" else "en"
    assert page.locator("html").get_attribute("lang").lower() == expected_lang
    folder = ARTIFACTS / "screenshots" / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=record_artifact(folder / f"{admin_page.name}-{language}.jpg"), type="jpeg", quality=80)

    found = serious_violations_everywhere(page)
    assert found == [], "\n".join(map(repr, found))


# --- the admin for a Chinese-speaking editor: every string of the admin's own in Chinese --------------

# The admin's own words on a page (labels, headings, buttons, help, the multi-select widget, the
# sidebar), not the content being edited (inputs, text areas, options, read-only values).
ADMIN_WORDS = r"""() => {
  const chrome = 'label, th, h1, h2, h3, caption, legend, .help, .helptext, button, a.button, .submit-row a, '
    + '.selector-available-title, .selector-chosen-title, .selector-chooseall, .selector-clearall, '
    + '.selector-chooser, .list-footer-display, #nav-sidebar caption, #nav-sidebar th a, .breadcrumbs';
  const words = [];
  for (const el of document.querySelectorAll(chrome)) {
    if (el.closest('.readonly, .field-contents, .inline_label, td.original')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || !el.getClientRects().length) continue;
    words.push(...(el.innerText.match(/[A-Za-z][A-Za-z'’-]{2,}/g) || []));
  }
  for (const el of document.querySelectorAll('input[type=submit], input[type=button]')) {
    words.push(...(el.value.match(/[A-Za-z][A-Za-z'’-]{2,}/g) || []));
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    // An option's title is the name of a row (a source's publisher, a site's address): content, not chrome.
    if (el.tagName === 'OPTION') continue;
    for (const name of ['aria-label', 'title', 'placeholder']) {
      words.push(...((el.getAttribute(name) || '').match(/[A-Za-z][A-Za-z'’-]{2,}/g) || []));
    }
  }
  return [...new Set(words)];
}"""
# Words that are the same in a Chinese admin: names of things and keys, and the other language's own name.
NOT_TRANSLATED_ON_PURPOSE = {
    word.lower()
    for word in (
        "English",
        "Markdown",
        "URL",
        "IP",
        "HTTP",
        "GET",
        "POST",
        "ASCII",
        "Agent",
        "Control",
        "Command",
        "Mac",
    )
}
CHINESE_ADMIN_PAGES = [
    "admin-index",
    "faq-article-form",
    "guide-flow-form",
    "guide-question-form",
    "guide-outcome-form",
    "cards-procedure-form",
    "law-law-form",
    "faq-article-add",
    "guide-question-add",
]


@pytest.fixture(scope="module")
def chinese_admin(browser, site):
    context, page = new_page(browser, "desktop", locale="zh-CN")
    context.set_extra_http_headers({"Accept-Language": ADMIN_LANGUAGES["zh-hans"]})
    page.goto(site.url("/admin/login/?next=/admin/"))
    page.fill("input[name=username]", ADMIN_USERNAME)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    yield page
    context.close()


@pytest.mark.parametrize("name", CHINESE_ADMIN_PAGES)
def test_admin_is_in_chinese_for_a_chinese_editor(site, admin_ids, chinese_admin, name):
    page = chinese_admin
    admin_page = next(admin_page for admin_page in ADMIN_PAGES if admin_page.name == name)
    page.goto(site.url(admin_page.path.format(**admin_ids)))
    page.wait_for_load_state("load")
    # The multi-select widgets are built on the window's load: each turns its select.selectfilter into
    # the two-list chooser (the select's class becomes "filtered"); an inline's blank template row
    # (.empty-form) keeps its own until a row is added.
    page.wait_for_function(
        """() => ![...document.querySelectorAll('select.selectfilter, select.selectfilterstacked')]
            .some((select) => !select.closest('.empty-form'))"""
    )
    english = [word for word in page.evaluate(ADMIN_WORDS) if word.lower() not in NOT_TRANSLATED_ON_PURPOSE]
    assert english == [], f"untranslated on {name}: {english}"
    # A translated field says its language by name, not by code.
    labels = " ".join(page.locator("label").all_inner_texts())
    assert "[zh-hans]" not in labels and "[en]" not in labels
    if name != "admin-index":
        assert "(中文)" in labels and "(English)" in labels, labels[:300]


def test_admin_sign_in_lockout_section_and_guide_questions_are_named_in_chinese(site, admin_ids, chinese_admin):
    page = chinese_admin
    page.goto(site.url("/admin/"))
    sections = page.locator("#content-main caption").all_inner_texts()
    assert "登录锁定" in [section.strip() for section in sections], sections
    assert "登录尝试" in page.locator(".app-axes").inner_text()
    # In the guide, "Questions" are the guide's questions (问题), not the site's FAQ (常见问题).
    page.goto(site.url(f"/admin/guide/flow/{admin_ids['flow']}/change/"))
    contents = page.locator(".field-contents").inner_text()
    assert "问题" in contents and "常见问题" not in contents
    page.goto(site.url(f"/admin/guide/flow/{admin_ids['flow']}/map/"))
    headings = [heading.strip() for heading in page.locator("#content-main h2").all_inner_texts()]
    assert "问题" in headings and "常见问题" not in headings, headings


def test_the_admin_javascript_catalogue_is_chinese(site):
    from .pages import admin_session

    session = admin_session(site, "zh-hans")
    catalogue = session.get(site.url("/admin/jsi18n/")).body
    for chinese in ("选择全部%s", "移除全部%s", "（点击清除）", "全选"):
        assert chinese.encode("unicode_escape").decode() in catalogue or chinese in catalogue, chinese


def test_the_guide_map_labels_answers_with_their_text_in_the_editors_language(site, admin_ids, chinese_admin):
    page = chinese_admin
    page.goto(site.url(f"/admin/guide/flow/{admin_ids['flow']}/map/"))
    labels = page.locator(".flow-diagram text.flow-edge-label").all_text_contents()
    assert labels, "no answer is labelled"
    slugs = set(page.locator(".flow-diagram text.flow-slug").all_text_contents())
    # Each label is the answer's Chinese text (its title holds the whole text), never a slug.
    for label in labels:
        assert re.search(r"[\u4e00-\u9fff]", label), label
        assert not re.fullmatch(r"[a-z0-9-]+", label.strip()), label
    assert not slugs & {label.strip() for label in labels}
    # No two labels overlap.
    boxes = page.locator(".flow-diagram text.flow-edge-label").evaluate_all(
        "labels => labels.map(t => { const b = t.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; })"
    )
    overlapping = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1
    ]
    assert overlapping == []
    frame = page.locator(".flow-diagram-frame")
    shot = record_artifact(ARTIFACTS / "screenshots" / "admin-guide-map-zh-hans.png")
    shot.parent.mkdir(parents=True, exist_ok=True)
    # The whole map, not the part its scrolling frame shows (set through the CSSOM, which the CSP allows).
    frame.evaluate("frame => { frame.style.overflow = 'visible'; frame.style.width = 'max-content'; }")
    page.locator(".flow-diagram").screenshot(path=shot)
    frame.evaluate("frame => { frame.style.overflow = ''; frame.style.width = ''; }")
    keep_for_docs(shot)


def keep_for_docs(path):
    """With SOCSEC_DOCS_SCREENSHOTS=1, copy a screenshot into docs/screenshots (the README shows them)."""
    import os
    import shutil
    from pathlib import Path

    if os.environ.get("SOCSEC_DOCS_SCREENSHOTS") == "1":
        docs = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, docs / Path(path).name)
