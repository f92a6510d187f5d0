"""Chinese uses one register everywhere: 您, never 你, in content and in the interface."""

from tests.support.paths import REPO

FILES = [
    *sorted((REPO / "inquiry").glob("*/content/**/*.yaml")),
    *sorted((REPO / "templates").rglob("*.html")),
    REPO / "locale/zh_Hans/LC_MESSAGES/django.po",
]


def test_no_informal_you_in_chinese_content_or_interface():
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in FILES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "你" in line
    ]
    assert found == []
