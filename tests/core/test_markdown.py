import pytest

from inquiry.core.markdown import render_markdown
from tests.support.html_safety import executable_markup


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "<iframe src='https://example.com'></iframe>",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<a href='jAvAsCrIpT:alert(1)'>x</a>",
    ],
)
def test_no_executable_markup_survives(source):
    assert executable_markup(render_markdown(source)) == []


def test_the_safety_check_itself_finds_executable_markup():
    html = '<p onclick="x"><a href=" JaVaScRiPt:alert(1)">x</a><script>y</script><iframe></iframe></p>'
    assert len(executable_markup(html)) == 4


def test_markdown_renders_and_links_get_noopener():
    html = render_markdown("**Bold** and a [link](https://example.org/x).\n\n- one\n- two")
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://example.org/x" rel="noopener noreferrer">link</a>' in html
    assert "<ul>" in html and "<li>one</li>" in html


def test_raw_html_shows_as_text_instead_of_disappearing():
    assert "&lt;b&gt;" in render_markdown("<b>not bold</b>")


def test_empty_source_renders_empty():
    assert render_markdown("") == ""
