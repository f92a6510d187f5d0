"""Chinese words inside English text are marked lang="zh-Hans", so a screen reader says them in Chinese."""

import pytest

from inquiry.cards.models import AccountState
from inquiry.core.language import mark_chinese_runs
from inquiry.faq.models import Article

pytestmark = pytest.mark.usefixtures("shipped_content")

SPAN = '<span lang="zh-Hans">封存</span>'


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<p>It shows "sealed" (封存).</p>', f'<p>It shows "sealed" ({SPAN}).</p>'),
        ("<p>No Chinese here.</p>", "<p>No Chinese here.</p>"),
        (
            '<a href="/x" title="封存">封存 and 激活</a>',
            f'<a href="/x" title="封存">{SPAN} and <span lang="zh-Hans">激活</span></a>',
        ),
        ("“封存”。", f"“{SPAN}”。"),
        ("（封存）", '<span lang="zh-Hans">（封存）</span>'),
        ("，.", "，."),  # Chinese punctuation alone is not a Chinese word
        ("", ""),
    ],
)
def test_mark_chinese_runs(html, expected):
    assert mark_chinese_runs(html) == expected


@pytest.mark.django_db
def test_english_pages_mark_chinese_terms_and_chinese_pages_do_not(client):
    article = Article.objects.published().get(title_en__contains="封存")
    english = client.get(article.get_absolute_url().replace("/zh-hans/", "/en/")).content.decode()
    heading = english[english.index("<h1>") : english.index("</h1>")]
    assert SPAN in heading
    assert SPAN in english[english.index('class="short-answer"') :]
    chinese = client.get(f"/zh-hans/faq/{article.slug}/").content.decode()
    assert 'lang="zh-Hans">封存' not in chinese  # the whole page is Chinese already


@pytest.mark.django_db
def test_markdown_marks_chinese_terms_in_english_only():
    state = AccountState.objects.get(what_you_see_en__contains="封存")
    state.save()
    assert SPAN in state.what_you_see_html_en
    assert "<span" not in state.what_you_see_html_zh_hans
    english = state.what_you_see_html_en
    assert english.count("<span") == english.count("</span>")
