"""How the site feels on a 360 × 740 phone and with a keyboard (issue 12), measured in Chromium: the focus
indicator's contrast (computed colours), focus on the error summary, the outcome's order, the printed
checklist's size, the slim header on question pages, folding boxes, "on this page" lists and larger text."""

import re

import pytest

from tests.support.paths import law_files

from .conftest import PHONE, missing_tool, new_page
from .pages import FLOW, LANGUAGES, PAGE_TYPES

pytestmark = pytest.mark.browser

FIGURES = []  # what these tests measured, written to test-artifacts/experience.txt at the end


@pytest.fixture(scope="module", autouse=True)
def figures_file():
    yield
    if FIGURES:
        from .conftest import ARTIFACTS, record_artifact

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = record_artifact(ARTIFACTS / "experience.txt")
        path.write_text("\n".join(FIGURES) + "\n", encoding="utf-8")


def figure(text):
    FIGURES.append(text)


OUTCOME = f"/guide/{FLOW}/result/active-not-showing/?money-source=deposited-myself&activated=yes&where-you-look=bank"
QUESTION = f"/guide/{FLOW}/activated/?money-source=deposited-myself"
QUESTION_WITH_ERROR = f"/guide/{FLOW}/activated/answer/?money-source=deposited-myself"
START = f"/guide/{FLOW}/"
ARTICLE = "/faq/accidentally-put-money-on-card/"

# --- focus: GOV.UK-style yellow with a dark edge, at least 3:1 against what is around it --------------

# The focused element's indicator colours (outline, box shadows, and its background when focus changes
# it) and the colour behind the element (the nearest ancestor with a background), with the best contrast
# ratio (WCAG's formula) any part of the indicator reaches against that background.
FOCUS_CONTRAST = r"""() => {
  const parse = (text) => {
    const m = text.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
    return m ? {rgb: [+m[1], +m[2], +m[3]], alpha: m[4] === undefined ? 1 : +m[4]} : null;
  };
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let behind = [255, 255, 255];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const colour = parse(getComputedStyle(node).backgroundColor);
    if (colour && colour.alpha > 0.5) { behind = colour.rgb; break; }
  }
  const parts = [];
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) {
    const colour = parse(style.outlineColor);
    if (colour && colour.alpha > 0.5) parts.push(['outline', colour.rgb]);
  }
  for (const match of style.boxShadow.matchAll(/rgba?\([^)]*\)/g)) {
    const colour = parse(match[0]);
    if (colour && colour.alpha > 0.5) parts.push(['shadow', colour.rgb]);
  }
  const background = parse(style.backgroundColor);
  if (background && background.alpha > 0.5 && el.tagName !== 'INPUT') parts.push(['background', background.rgb]);
  return {
    tag: el.tagName.toLowerCase(), cls: String(el.className), focusVisible: el.matches(':focus-visible'),
    behind, parts, best: Math.max(0, ...parts.map(([, rgb]) => ratio(rgb, behind))),
    // Yellow and dark together: each part's contrast against the other (the dark edge around the yellow).
    edge: Math.max(0, ...parts.flatMap(([, a]) => parts.map(([, b]) => ratio(a, b)))),
  };
}"""


def tab_to(page, selector, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


FOCUSED_THINGS = [
    # (page, what to focus, what it is): links on the blue header and on white, a radio, a button, a checkbox.
    (QUESTION, ".site-header .site-name", "link on the header"),
    (QUESTION, ".language-switcher a", "link on the header"),
    (QUESTION, "main a.back-link", "link on white"),
    (QUESTION, "#answer-yes", "radio"),
    (QUESTION, "button.guide-continue", "green button"),
    (OUTCOME, ".guide-next a", "link on a pale box"),
    (OUTCOME, ".guide-print-button", "outline button"),
    (OUTCOME, "main input.test-checkbox", "checkbox"),
]


@pytest.mark.parametrize(("path", "selector", "what"), FOCUSED_THINGS, ids=[f"{t[2]}:{t[1]}" for t in FOCUSED_THINGS])
def test_focus_indicator_has_3_to_1_contrast_and_a_dark_edge(site, browser, path, selector, what):
    context, page = new_page(browser, "phone", locale="en-GB")
    try:
        page.goto(site.url(f"/en{path}"))
        if "test-checkbox" in selector:  # the public site has no checkbox yet: the CSS for one is checked
            page.evaluate(
                """() => document.querySelector('main h1').insertAdjacentHTML('afterend',
                '<div class="form-check"><input class="form-check-input test-checkbox" type="checkbox" id="x">'
                + '<label for="x">x</label></div>')"""
            )
        tab_to(page, selector)
        # Past any transition: the colours at rest (CSS transitions are animations the page can wait for).
        page.evaluate("() => Promise.all(document.getAnimations().map((animation) => animation.finished))")
        state = page.evaluate(FOCUS_CONTRAST)
        assert state["focusVisible"], state
        figure(f"focus {what:20} {selector:32} contrast {state['best']:5.2f}:1, edge {state['edge']:5.2f}:1")
        assert state["best"] >= 3, f"{what}: the focus indicator reaches {state['best']:.2f}:1 only: {state}"
        assert state["edge"] >= 3, f"{what}: no dark edge around the yellow: {state}"
        assert any(rgb == [255, 221, 0] for _part, rgb in state["parts"]), f"{what}: not the yellow: {state}"
    finally:
        context.close()


def test_focus_contrast_measure_can_fail(site, browser):
    """A pale ring on white (the kind of indicator this replaced) measures under 3:1."""
    context, page = new_page(browser, "desktop", locale="en-GB")
    try:
        page.goto(site.url(f"/en{QUESTION}"))
        # Through the CSSOM (the CSP forbids a <style> element): the old kind of ring, yellow only.
        page.evaluate(
            "document.styleSheets[document.styleSheets.length - 1].insertRule('a:focus-visible { outline: 3px solid"
            " #ffdd00 !important; box-shadow: none !important; background: none !important; }')"
        )
        tab_to(page, "main a.back-link")
        state = page.evaluate(FOCUS_CONTRAST)
        assert state["best"] < 3 and state["edge"] < 3, state
    finally:
        context.close()


# --- errors: the keyboard starts at the error summary ---------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_question_with_an_error_puts_focus_on_the_error_summary(site, browser, language, javascript):
    context, page = new_page(browser, "phone", javascript=javascript)
    try:
        response = page.goto(site.url(f"/{language}{QUESTION_WITH_ERROR}"))
        assert response.status == 400
        for _ in range(20):  # autofocus runs once the page has been laid out
            if page.evaluate("document.activeElement.classList.contains('error-summary')"):
                break
            page.wait_for_timeout(50)
        assert page.evaluate("document.activeElement.className") == "error-summary"
        box = page.locator(".error-summary").bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], "the summary is off the first screen"
        # The next Tab goes to the summary's link, which leads to the first answer.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#answer-yes"
    finally:
        context.close()


# --- question pages on a phone: a slim header, the question and its button on the first screen --------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("path", "button"), [(QUESTION, "button.guide-continue"), (START, "a.start-button")])
def test_question_pages_have_a_slim_header_and_the_button_above_the_fold(site, browser, language, path, button):
    context, page = new_page(browser, "phone")
    try:
        page.goto(site.url(f"/{language}{path}"))
        header = page.locator("header.site-header").bounding_box()
        target_box = page.locator(button).bounding_box()
        figure(
            f"phone {language:7} {path.split('?')[0]:45} header {header['height']:5.1f} px, "
            f"{button} ends at {target_box['y'] + target_box['height']:6.1f} px of 740"
        )
        # Two rows of 44 px targets at most (the name and the language; the text size), no menu.
        assert header["height"] <= 100, f"the header is {header['height']} px high"
        assert page.locator("header .site-menu, header .site-nav, header .site-search").count() == 0
        assert page.locator("header .language-switcher").is_visible()
        main_heading = page.locator("main h1").bounding_box()
        target = page.locator(button).bounding_box()
        assert main_heading["y"] < PHONE["height"] / 3
        assert target["y"] + target["height"] <= PHONE["height"], f"{button} ends at {target['y'] + target['height']}"
        # Other pages keep their navigation and search box, folded into the menu on a phone.
        page.goto(site.url(f"/{language}/faq/"))
        page.click("header .site-menu > summary")
        assert page.locator("header .site-nav").is_visible() and page.locator("header .site-search").is_visible()
    finally:
        context.close()


# --- the outcome on a phone -----------------------------------------------------------------------------


def tops(page, selectors):
    return {selector: page.locator(selector).first.bounding_box()["y"] for selector in selectors}


@pytest.mark.parametrize("language", LANGUAGES)
def test_outcome_on_a_phone_starts_with_what_to_do_and_links_the_answers(site, browser, language):
    context, page = new_page(browser, "phone", javascript=False)
    try:
        page.goto(site.url(f"/{language}{OUTCOME}"))
        y = tops(
            page,
            [
                "main h1",
                "#next-heading",
                ".on-this-page a[href='#answers-heading']",
                "#answers-heading",
                "#what-happened-heading",
                "#steps-heading",
                "aside.legal-basis, .legal-basis-fold",
            ],
        )
        order = list(y.values())
        figure(f"outcome {language:7} " + ", ".join(f"{key} at {value:.0f} px" for key, value in y.items()))
        assert order == sorted(order), y
        # What to do now (its first item) is on the first screen; its first step (where to go, what to
        # bring: tests/browser/test_phone.py) comes next, then the link to "your answers", within 1.5 screens.
        first = page.locator(".guide-next li > a").first.bounding_box()
        assert first["y"] + first["height"] <= PHONE["height"] * 0.75, y
        link = page.locator(".on-this-page a[href='#answers-heading']").bounding_box()
        assert link["y"] + link["height"] <= 1.5 * PHONE["height"], y
        # "Your answers" itself, with its change links, comes within 1.5 screens (it was 4,850 px down).
        assert y["#answers-heading"] < 1.5 * PHONE["height"], y
        assert page.locator(".guide-answers .guide-summary-action a").count() == 3
        # Each "what to do now" item leads to its procedure's steps on the page.
        for href in page.locator(".guide-next a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            assert page.locator(f"section:has(> {href}) ol.steps").count() == 1, href
        # Without JavaScript, Print and Copy link are links: to the printing advice and to this very address.
        assert page.locator(".guide-print-button").get_attribute("href") == "#share-heading"
        assert page.locator(".guide-copy-button").get_attribute("href") == page.locator("#share-url").input_value()
        page.click(".guide-print-button")
        assert page.evaluate("location.hash") == "#share-heading"
        page.goto(site.url(f"/{language}{OUTCOME}"))
        page.screenshot(path=str(_screenshot(f"outcome-phone-{language}.png")))
    finally:
        context.close()


def _screenshot(name):
    return _artifact(name, "screenshots")


def test_outcome_print_and_copy_buttons_with_javascript(site, browser):
    context, page = new_page(browser, "phone", locale="en-GB")
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url("/").rstrip("/"))
        # The browser's print dialog cannot open headless: count the calls instead.
        page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
        page.goto(site.url(f"/en{OUTCOME}"))
        page.click(".guide-print-button")
        assert page.evaluate("window.__printed") == 1
        assert page.evaluate("location.hash") == ""
        page.click(".guide-copy-button")
        page.wait_for_function("document.getElementById('copy-status').textContent.length > 0")
        assert page.locator("#copy-status").inner_text() == "Link copied."
        assert page.evaluate("navigator.clipboard.readText()") == page.locator("#share-url").input_value()
        assert page.evaluate("location.href") == page.locator("#share-url").input_value()  # no navigation
    finally:
        context.close()


# --- print: the checklist at 11–12 pt, with the site, the address and the date ------------------------

PRINTED = r"""() => {
  const visible = el => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
  const sizes = [...document.querySelectorAll('main p, main li, main dd, main dt')]
    .filter(el => visible(el) && el.textContent.trim()).map(el => parseFloat(getComputedStyle(el).fontSize));
  const box = el => {
    const s = getComputedStyle(el, '::before');
    return s.content !== 'none' && parseFloat(s.borderTopWidth) >= 1 && parseFloat(s.width) >= 10;
  };
  return {
    min: Math.min(...sizes), max: Math.max(...sizes),
    header: [...document.querySelectorAll('.guide-print-header')].filter(visible).map(el => el.innerText).join(' '),
    steps: document.querySelectorAll('.guide-steps .step').length,
    stepBoxes: [...document.querySelectorAll('.guide-steps .step')].filter(box).length,
    documents: document.querySelectorAll('.guide-steps .step-details dd li').length,
    documentBoxes: [...document.querySelectorAll('.guide-steps .step-details dd li')].filter(box).length,
    hidden: ['.site-header', '.guide-actions', '.on-this-page', '.guide-next', '.feedback-ask', '.guide-summary-action']
      .filter(sel => [...document.querySelectorAll(sel)].some(visible)),
    legalBasisShown: [...document.querySelectorAll('aside.legal-basis li')].some(visible),
  };
}"""
PT = 96 / 72  # CSS pixels per point


@pytest.mark.parametrize("language", LANGUAGES)
def test_outcome_prints_as_a_checklist_at_11_to_12_pt(site, browser, language):
    context, page = new_page(browser, "desktop")
    try:
        page.goto(site.url(f"/{language}{OUTCOME}"))
        page.emulate_media(media="print")
        printed = page.evaluate(PRINTED)
        figure(
            f"print {language:7} text {printed['min'] / PT:.1f}–{printed['max'] / PT:.1f} pt, "
            f"{printed['stepBoxes']}/{printed['steps']} steps and {printed['documentBoxes']}/{printed['documents']} "
            "documents with a box"
        )
        assert printed["min"] >= 11 * PT - 0.01 and printed["max"] <= 12 * PT + 0.01, printed
        assert printed["hidden"] == [], printed
        header = printed["header"]
        assert re.search(r"(社保卡|Social Security Card)", header), header
        assert f"{OUTCOME}".split("?")[0] in header and "where-you-look=bank" in header, header
        assert re.search(r"\d{4}", header), header  # the date
        assert printed["steps"] > 0 and printed["stepBoxes"] == printed["steps"], printed
        assert printed["documents"] > 0 and printed["documentBoxes"] == printed["documents"], printed
        assert printed["legalBasisShown"], "the folded legal basis must print open"
        page.pdf(path=str(_artifact(f"outcome-print-{language}.pdf", "print")), format="A4")
    finally:
        context.close()


def _artifact(name, kind):
    from .conftest import ARTIFACTS, record_artifact

    folder = ARTIFACTS / kind
    folder.mkdir(parents=True, exist_ok=True)
    return record_artifact(folder / name)


# --- long pages: "on this page", the legal basis folded on a phone ------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", [ARTICLE, "/law/social-insurance-law/", "/law/social-insurance-law/14/"])
def test_long_pages_list_their_sections_first(site, browser, language, path):
    if path.startswith("/law/") and not law_files():
        missing_tool("the full law texts are not there (set SOCSEC_LAW_DIR to the folder of their JSON files)")
    context, page = new_page(browser, "phone", javascript=False)
    try:
        page.goto(site.url(f"/{language}{path}"))
        assert page.evaluate("document.documentElement.scrollHeight") > 2 * PHONE["height"], "not a long page"
        contents = page.locator("nav.on-this-page")
        assert contents.count() == 1
        box = contents.bounding_box()
        # Near the top: right after the short answer (which comes first) or the title, above every section
        # it lists. (The seed article's short answer alone is more than a phone screen in English.)
        lead = page.locator(".short-answer, h1").last.bounding_box()
        assert box["y"] < max(lead["y"] + lead["height"] + 80, 1.25 * PHONE["height"]), "the list is far down the page"
        hrefs = contents.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert len(hrefs) >= 2
        for href in hrefs:  # every entry leads to a heading further down
            assert page.locator(href).count() == 1, href
            assert page.locator(href).bounding_box()["y"] > box["y"] + box["height"], href
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_legal_basis_folds_on_a_phone_and_shows_on_a_desktop(site, browser, language):
    for viewport, folded in (("phone", True), ("desktop", False)):
        context, page = new_page(browser, viewport, javascript=False)
        try:
            page.goto(site.url(f"/{language}{ARTICLE}"))
            summary = page.locator("details.legal-basis-fold > summary")
            first_law_link = page.locator("aside.legal-basis li a").first
            assert summary.is_visible() is folded, viewport
            assert first_law_link.is_visible() is not folded, viewport
            if folded:
                summary.click()
                assert first_law_link.is_visible()
        finally:
            context.close()


# --- larger text ---------------------------------------------------------------------------------------

ROOT_FONT_SIZE = "parseFloat(getComputedStyle(document.documentElement).fontSize)"


# Larger text that stays on the next page (in the address): tests/browser/test_phone.py.


@pytest.mark.parametrize("page_type", [p for p in PAGE_TYPES if not p.submit_empty_form], ids=lambda p: p.name)
def test_every_page_at_200_percent_text_has_no_horizontal_scroll_at_360_px(catalogue, browser, page_type):
    context, page = new_page(browser, "phone")
    try:
        for language in LANGUAGES:
            catalogue.open(page, page_type, language)
            page.evaluate("document.documentElement.style.fontSize = '200%'")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert page.evaluate(ROOT_FONT_SIZE) == 32
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5)
                .map(el => el.tagName + '.' + el.className + ' ' + (el.innerText || '').slice(0, 30))"""
            )
            figure(f"200% text {page_type.name:22} {language:7} page {width} px wide at 360 px")
            assert width <= PHONE["width"], f"{language}: {width} px wide: {wide}"
    finally:
        context.close()


# --- diagrams: readable on a phone ----------------------------------------------------------------------

DIAGRAM_TEXT = """selector => [...document.querySelectorAll(selector)].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')];
  const svgBox = svg.getBoundingClientRect();
  return {
    smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
    // Every line of text inside the figure (nothing cut off at its edge).
    outside: texts.filter(t => { const b = t.getBoundingClientRect();
      return b.top < svgBox.top - 1 || b.bottom > svgBox.bottom + 1
        || b.left < svgBox.left - 1 || b.right > svgBox.right + 1; })
      .map(t => t.textContent.slice(0, 30)),
  };
})"""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("path", "selector"), [("/", "svg.two-accounts"), ("/card/", "svg.state-diagram")])
def test_diagrams_text_is_at_least_14_px_on_a_phone(site, browser, language, path, selector):
    # The state diagram is drawn from 576 px up (a phone gets the states as a list: test_phone.py), and
    # is measured at its narrowest.
    context, page = narrowest_page(browser, path)
    try:
        page.goto(site.url(f"/{language}{path}"))
        figures = page.evaluate(DIAGRAM_TEXT, selector)
        assert figures, f"no {selector}"
        for drawn in figures:
            figure(f"diagram {language:7} {selector:18} smallest text {drawn['smallest']:.1f} px on a 360 px phone")
            assert drawn["smallest"] >= 14, drawn
            assert drawn["outside"] == [], drawn
    finally:
        context.close()


STATE_DIAGRAM_FROM = {"width": 576, "height": 900}


def narrowest_page(browser, path):
    """A phone for the home page's picture; the narrowest screen the card's state diagram is drawn on."""
    if path != "/card/":
        return new_page(browser, "phone")
    context = browser.new_context(viewport=STATE_DIAGRAM_FROM)
    context.set_default_timeout(15_000)
    return context, context.new_page()


EDGE_LABELS = """() => [...document.querySelectorAll('svg.state-diagram')].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const box = e => { const b = e.getBoundingClientRect();
    return {left: b.left, top: b.top, right: b.right, bottom: b.bottom}; };
  const labels = [...svg.querySelectorAll('text.state-edge-label')];
  return {
    svg: box(svg),
    arrows: svg.querySelectorAll('.diagram-edge').length,
    labels: labels.map(t => ({text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize) * scale,
                              box: box(t)})),
    states: [...svg.querySelectorAll('rect')].map(box),
  };
})"""


def _apart(a, b):
    return a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_card_diagram_arrows_are_labelled_without_overlap_at_its_narrowest(site, browser, language):
    context, page = narrowest_page(browser, "/card/")
    try:
        page.goto(site.url(f"/{language}/card/"))
        diagrams = page.evaluate(EDGE_LABELS)
        assert diagrams, "no svg.state-diagram"
        for drawn in diagrams:
            labels = drawn["labels"]
            # One label per arrow, each readable and inside the figure.
            assert len(labels) == drawn["arrows"] > 0, drawn
            frame = drawn["svg"]
            figure(
                f"card diagram {language:7} {len(labels):2} arrow labels, smallest "
                f"{min(label['size'] for label in labels):.1f} px, figure "
                f"{frame['right'] - frame['left']:.0f} x {frame['bottom'] - frame['top']:.0f} px at 576 px"
            )
            for index, label in enumerate(labels):
                assert label["size"] >= 14, label
                edge = label["box"]
                assert edge["left"] >= frame["left"] - 1 and edge["right"] <= frame["right"] + 1, label
                assert edge["top"] >= frame["top"] - 1 and edge["bottom"] <= frame["bottom"] + 1, label
                for other in labels[index + 1 :]:
                    assert _apart(edge, other["box"]), (label["text"], other["text"])
                for state in drawn["states"]:
                    assert _apart(edge, state), (label["text"], state)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        context.close()
