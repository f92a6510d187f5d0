"""Screenshots of every page type, in both languages, on a desktop and on a 360 × 740 phone, for people to
look at (test-artifacts/screenshots/<viewport>/, printed at the end of the run; the folder is not in git).

The two pictures in the README (docs/screenshots/) are copies of readme-*.png from the phone folder:
the screen a visitor first sees, not the whole page.
"""

import pytest

from .conftest import ARTIFACTS, record_artifact
from .pages import FLOW, LANGUAGES, PAGE_TYPES

pytestmark = pytest.mark.browser

# For the README: the home page as a visitor first sees it, and the newcomer's outcome (money put on a
# card whose bank account is not activated) from its heading down through its steps.
README_PICTURES = [
    ("readme-home", "/zh-hans/", None, 740),
    (
        "readme-guide-outcome",
        f"/zh-hans/guide/{FLOW}/result/deposit-not-activated/?money-source=deposited-myself&activated=no",
        "main",
        1400,
    ),
]


def test_screenshots_of_every_page_type(catalogue, page, viewport):
    folder = ARTIFACTS / "screenshots" / viewport
    folder.mkdir(parents=True, exist_ok=True)
    for page_type in PAGE_TYPES:
        for language in LANGUAGES:
            assert catalogue.open(page, page_type, language) == page_type.status
            # Nothing may stick out sideways, on the phone least of all.
            assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), (
                page_type.name,
                language,
            )
            page.screenshot(path=record_artifact(folder / f"{page_type.name}-{language}.png"), full_page=True)
    if viewport == "phone":
        for name, path, start, height in README_PICTURES:
            page.goto(catalogue.site.url(path))
            top = page.locator(start).bounding_box()["y"] if start else 0
            clip = {"x": 0, "y": top, "width": 360, "height": height}
            page.screenshot(path=folder / f"{name}.png", clip=clip, full_page=True)
