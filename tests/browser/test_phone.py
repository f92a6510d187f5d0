"""An older cardholder on a 360 × 740 phone (issue 23; the MIIT guideline for older people, listed in
docs/accessibility.md): a header of at most 120 px on every page type with its navigation folded into
one menu that works without JavaScript, tap targets at least 44 px high, larger text that stays on the
next page without a script or a cookie, the guide outcome's first step within a screen and a half, and
the outcome printed on at most two A4 pages.

The figures measured are written to test-artifacts/phone.txt (and printed with `-s`).
"""

import io
import os
import re
import unicodedata
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, PHONE, new_page, record_artifact
from .pages import ANSWERS, FLOW, LANGUAGES, PAGE_TYPES

pytestmark = pytest.mark.browser

HEADER_MAX = 120
TAP_MIN = 44


FIGURES = []


def figure(text):
    print(text)
    FIGURES.append(text)


@pytest.fixture(scope="module", autouse=True)
def figures_file():
    yield
    if FIGURES:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        record_artifact(ARTIFACTS / "phone.txt").write_text("\n".join(FIGURES) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def phone(browser):
    context, page = new_page(browser, "phone", javascript=False)
    yield page
    context.close()


# --- the header: at most 120 px, one menu ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_is_at_most_120_px_on_every_page_type(catalogue, phone, language):
    heights = {}
    for page_type in PAGE_TYPES:
        catalogue.open(phone, page_type, language)
        heights[page_type.name] = phone.locator("header.site-header").bounding_box()["height"]
    figure(f"phone header {language:7} " + ", ".join(f"{name} {height:.0f}" for name, height in heights.items()))
    assert {name: height for name, height in heights.items() if height > HEADER_MAX} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_navigation_folds_into_one_menu_that_works_without_javascript(site, phone, language):
    phone.goto(site.url(f"/{language}/faq/"))
    menu = phone.locator("header details.site-menu")
    assert menu.count() == 1
    nav_link = phone.locator("header .site-nav a[href$='/card/']")
    assert not nav_link.is_visible() and not phone.locator("header .site-search").is_visible()
    closed = phone.locator("header.site-header").bounding_box()["height"]
    phone.locator(".site-menu > summary").click()
    assert nav_link.is_visible() and phone.locator("header .site-search input").is_visible()
    opened = phone.locator("header.site-header").bounding_box()["height"]
    figure(f"phone menu {language:7} header {closed:.0f} px closed, {opened:.0f} px open")
    nav_link.click()
    assert phone.url.endswith(f"/{language}/card/")


def test_menu_is_open_on_a_desktop(site, browser):
    context, page = new_page(browser, "desktop", javascript=False)
    try:
        page.goto(site.url("/zh-hans/faq/"))
        assert page.locator("header .site-nav a").first.is_visible()
        assert page.locator("header .site-search input").is_visible()
        assert not page.locator(".site-menu > summary").is_visible()
    finally:
        context.close()


# --- tap targets -------------------------------------------------------------------------------------------

# What a person taps: the header's links and menu, buttons and fields, the answers' change links (修改),
# the back link, radios (their label covers the radio and is the target) and folds. Links inside running
# text are not targets of their own (WCAG 2.5.5 exempts them).
TARGETS = """() => {
  const selectors = ['header a', 'header summary', 'header input', 'header button', 'main button', 'main .btn',
    'main input[type=submit]', 'main input[type=search]', 'main input[type=text]', 'main select', 'main textarea',
    '.guide-summary-action a', '.back-link', '.guide-radio label', 'main details > summary', '.pager a'];
  const seen = new Set();
  const out = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      if (seen.has(el) || el.closest('.feedback-hp') || !el.getClientRects().length) continue;
      if (getComputedStyle(el).visibility === 'hidden') continue;
      seen.add(el);
      const box = el.getBoundingClientRect();
      if (box.width === 0) continue;
      const text = (el.innerText || el.value || el.name || '').trim().slice(0, 24);
      out.push({what: selector + ' ' + text, height: box.height});
    }
  }
  return out;
}"""
TAP_PAGES = [
    "home",
    "faq-article",
    "card",
    "guide-question",
    "guide-question-error",
    "guide-outcome",
    "search-results",
    "feedback",
    "feedback-error",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_tap_targets_are_at_least_44_px_high(catalogue, phone, language):
    measured = 0
    smallest = None
    small = []
    for name in TAP_PAGES:
        catalogue.open(phone, name, language)
        if phone.locator(".site-menu > summary").is_visible():
            phone.locator(".site-menu > summary").click()  # the menu's links are targets too
        targets = phone.evaluate(TARGETS)
        measured += len(targets)
        for target in targets:
            smallest = target["height"] if smallest is None else min(smallest, target["height"])
            if target["height"] < TAP_MIN - 0.5:
                small.append((name, target))
    figure(f"phone taps {language:7} {measured} targets on {len(TAP_PAGES)} pages, smallest {smallest:.1f} px high")
    assert measured > 100
    assert small == []


def test_tap_target_measure_can_fail(site, phone):
    """The measure sees a small target: the same change link with the site's rule for it turned off."""
    catalogue_page = "/zh-hans/guide/what-happened-to-my-money/activated/?money-source=deposited-myself"
    phone.goto(site.url(catalogue_page))
    phone.evaluate(
        """() => document.querySelectorAll('.guide-summary-action a')
        .forEach(a => { a.style.display = 'inline'; a.style.minHeight = '0'; })"""
    )
    heights = [t["height"] for t in phone.evaluate(TARGETS) if t["what"].startswith(".guide-summary-action")]
    assert heights and min(heights) < TAP_MIN


# --- larger text, in the address ---------------------------------------------------------------------------

ROOT_FONT_SIZE = "parseFloat(getComputedStyle(document.documentElement).fontSize)"


@pytest.mark.parametrize("javascript", [False, True])
def test_larger_text_stays_on_the_next_page_without_a_cookie(site, browser, javascript):
    context, page = new_page(browser, "phone", javascript=javascript, locale="en-GB")
    try:
        page.goto(site.url("/en/faq/"))
        normal = page.evaluate(ROOT_FONT_SIZE)
        page.click(".text-size-larger")
        # The click returns once the next page is committed, before it has a document to measure.
        page.wait_for_url(site.url("/large-text/en/faq/"))
        page.wait_for_load_state()
        assert page.evaluate(ROOT_FONT_SIZE) == pytest.approx(normal * 1.4)
        # The next pages, through the menu and then a link in the page, are larger too.
        page.click(".site-menu > summary")
        page.click("header .site-nav a[href$='/guide/']")
        page.wait_for_url(site.url("/large-text/en/guide/"))
        page.wait_for_load_state()
        assert page.evaluate(ROOT_FONT_SIZE) == pytest.approx(normal * 1.4)
        page.locator("main a[href*='/guide/']").first.click()
        page.wait_for_url(re.compile(r"/large-text/en/guide/[a-z0-9-]+/"))
        page.wait_for_load_state()
        assert page.evaluate(ROOT_FONT_SIZE) == pytest.approx(normal * 1.4)
        header = page.locator("header.site-header").bounding_box()["height"]
        figure(f"larger text header {header:.0f} px on {page.url.removeprefix(site.url('/'))}")
        assert context.cookies() == []
        page.click(".text-size-normal")
        page.wait_for_url(re.compile(r"^(?!.*/large-text/)"))
        page.wait_for_load_state()
        assert "/large-text/" not in page.url
        assert page.evaluate(ROOT_FONT_SIZE) == pytest.approx(normal)
    finally:
        context.close()


# --- the guide outcome: the answer first, and two printed pages at most -----------------------------------

OUTCOMES = [
    f"/guide/{FLOW}/result/active-not-showing/?{ANSWERS}",
    f"/guide/{FLOW}/result/deposit-not-activated/?money-source=deposited-myself&activated=no",
]
FIRST_STEP_WORDS = {"zh-hans": ("去哪里", "带什么"), "en": ("Where", "Bring")}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", OUTCOMES, ids=["active-not-showing", "deposit-not-activated"])
def test_outcome_shows_where_to_go_and_what_to_bring_within_a_screen_and_a_half(site, phone, language, path):
    phone.goto(site.url(f"/{language}{path}"))
    first = phone.locator(".guide-next .guide-first-step")
    assert first.count() == 1
    terms = first.locator("dt").all_inner_texts()
    where, bring = FIRST_STEP_WORDS[language]
    assert any(where in term for term in terms) and any(bring in term for term in terms), terms
    box = first.bounding_box()
    bottom = box["y"] + box["height"]
    total = phone.evaluate("document.documentElement.scrollHeight")
    figure(f"outcome {language:7} {path.split('/')[4]:22} first step ends at {bottom:.0f} px of {total} px")
    assert bottom <= 1.5 * PHONE["height"]
    # The step shown is the page's own: the same title in the steps below.
    line = first.locator(".guide-first-step-title").last
    title = line.inner_text().removeprefix(line.locator(".guide-first-step-label").inner_text()).strip()
    assert title and title in phone.locator(".guide-steps").inner_text()


HEADINGS_IN_PRINT = """() => [...document.querySelectorAll('main h1, main h2, main h3, main h4')]
  .filter(h => getComputedStyle(h).display !== 'none' && h.getClientRects().length && !h.closest('.no-print'))
  .map(h => h.innerText)"""


def squeeze(text):
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", OUTCOMES, ids=["active-not-showing", "deposit-not-activated"])
def test_outcome_prints_on_at_most_two_a4_pages_with_no_heading_left_at_a_page_foot(site, browser, language, path):
    from pypdf import PdfReader

    context, page = new_page(browser, "desktop")
    try:
        page.goto(site.url(f"/{language}{path}"))
        page.emulate_media(media="print")
        headings = [squeeze(text) for text in page.evaluate(HEADINGS_IN_PRINT)]
        pdf = page.pdf(format="A4")
    finally:
        context.close()
    pages = [squeeze(sheet.extract_text()) for sheet in PdfReader(io.BytesIO(pdf)).pages]
    figure(f"print {language:7} {path.split('/')[4]:22} {len(pages)} A4 pages")
    assert headings
    # The longest outcome's English checklist included (its steps and sources are the most).
    assert len(pages) <= 2
    for number, text in enumerate(pages[:-1], 1):
        stranded = [heading for heading in headings if text.endswith(heading)]
        assert stranded == [], f"page {number} ends with the heading {stranded}"


# --- the card page: the states as a list a person can follow ---------------------------------------------

STATE_FLOWS = """() => [...document.querySelectorAll('section.account')].map(account => ({
  drawingShown: [...account.querySelectorAll('svg.state-diagram')].some(svg => svg.getClientRects().length > 0),
  arrowsDrawn: account.querySelectorAll('svg.state-diagram .diagram-edge').length,
  statesDrawn: account.querySelectorAll('svg.state-diagram rect').length,
  states: [...account.querySelectorAll('.state-flow > li')].map(li => {
    const box = li.getBoundingClientRect();
    return {left: box.left, top: box.top, bottom: box.bottom, width: box.width,
            name: li.querySelector('.state-flow-name').innerText,
            moves: [...li.querySelectorAll('.state-flow-moves > li')].map(move => ({
              label: move.innerText.split('→')[0].trim(),
              target: move.querySelector('a').getAttribute('href')}))};
  }),
}))"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_card_page_on_a_phone_lists_each_accounts_states_top_to_bottom_with_labelled_steps(site, phone, language):
    phone.goto(site.url(f"/{language}/card/"))
    accounts = phone.evaluate(STATE_FLOWS)
    assert len(accounts) == 2
    for account in accounts:
        states = account["states"]
        moves = [move for state in states for move in state["moves"]]
        drawn = account["arrowsDrawn"]
        figure(f"card {language:7} {len(states)} states, {len(moves)} labelled steps (the drawing: {drawn} arrows)")
        assert not account["drawingShown"], "the drawing is shown on a phone"
        # The same states and ways on as the drawing, every state once, one below the other, full width.
        assert len(states) == account["statesDrawn"] and len(moves) == account["arrowsDrawn"] > 0
        for above, below in zip(states, states[1:], strict=False):
            assert below["top"] >= above["bottom"] and below["left"] == above["left"], (above["name"], below["name"])
        assert all(state["width"] >= 300 for state in states)
        for move in moves:
            assert move["label"], move
            assert phone.locator(move["target"]).count() == 1, move  # leads to that state's description


# --- the home page's main button ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_main_button_is_on_two_lines_at_most_within_the_first_screen(site, phone, language):
    phone.goto(site.url(f"/{language}/"))
    button = phone.locator(".hero a.start-button")
    box = button.bounding_box()
    line = phone.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)", button.element_handle())
    padding = phone.evaluate(
        "el => parseFloat(getComputedStyle(el).paddingTop) + parseFloat(getComputedStyle(el).paddingBottom)",
        button.element_handle(),
    )
    lines = round((box["height"] - padding) / line)
    figure(f"home {language:7} main button {lines} line(s), ends at {box['y'] + box['height']:.0f} px of 740")
    assert lines <= 2
    assert box["y"] + box["height"] <= PHONE["height"]


# --- pictures for people: docs/screenshots/phone-*.png ------------------------------------------------------

# Into docs/screenshots/ with SOCSEC_DOCS_SCREENSHOTS=1 (as the admin's map), else test-artifacts/.
DOCS_SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("SOCSEC_DOCS_SCREENSHOTS") == "1"
    else ARTIFACTS / "screenshots" / "docs"
)
DOC_PICTURES = [
    ("home", "/", None),
    ("faq-article", "/faq/accidentally-put-money-on-card/", None),
    ("card", "/card/", ".state-flow"),  # the states as a phone shows them
    ("guide-outcome", OUTCOMES[0], None),
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_phone_pictures_for_the_docs(site, phone, language):
    """The first screen of four page types and the open menu, in each language, as docs/screenshots/phone-*.png
    (every page type is swept on a phone, with axe, by test_page_types.py; these are for people to look at)."""
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path, start in DOC_PICTURES:
        phone.goto(site.url(f"/{language}{path}"))
        top = phone.locator(start).first.bounding_box()["y"] - 60 if start else 0
        clip = {"x": 0, "y": top, "width": PHONE["width"], "height": PHONE["height"]}
        phone.screenshot(path=DOCS_SCREENSHOTS / f"phone-{name}-{language}.png", clip=clip, full_page=True)
    phone.goto(site.url(f"/{language}/faq/"))
    phone.click(".site-menu > summary")
    clip = {"x": 0, "y": 0, "width": PHONE["width"], "height": 420}
    phone.screenshot(path=DOCS_SCREENSHOTS / f"phone-menu-open-{language}.png", clip=clip)
