"""axe-core and the structural checks that the page-type sweep and the accessibility tests share."""

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
    return [(rule, impact, targets[:5]) for rule, impact, targets in serious_violations_everywhere(page)]


def serious_violations_everywhere(page):
    """(rule, impact, every element's target) for each serious or critical violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
