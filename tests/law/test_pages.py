"""Law pages in both languages: the shipped law and its article citing pages; a small imported law for
chapters, unofficial English and articles without a translation (no shipped content needed)."""

import pytest
from django.core.management import call_command

from inquiry.law.models import LawArticle
from tests.support import laws
from tests.support.html import get_ok, parse
from tests.support.laws import write

LANGUAGES = ["zh-hans", "en"]
SEED = "accidentally-put-money-on-card"


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_content")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_law_pages(client, lang):
    html = get_ok(client, f"/{lang}/law/")
    assert f"/{lang}/law/social-insurance-law/" in html
    html = get_ok(client, f"/{lang}/law/social-insurance-law/")
    assert f"/{lang}/law/social-insurance-law/14/" in html
    html = get_ok(client, f"/{lang}/law/social-insurance-law/14/")
    article = LawArticle.objects.get(law__slug="social-insurance-law", number=14)
    summary = article.summary_html_zh_hans if lang == "zh-hans" else article.summary_html_en
    assert summary and summary in html  # the editors' plain-language summary, in the page's language
    # Pages that cite it are listed.
    assert f"/{lang}/faq/{SEED}/" in html


@pytest.fixture
def small_law(tmp_path):
    call_command("import_law", str(write(tmp_path, laws.small_law())), verbosity=0)
    return "/law/test-law/"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_law_page_lists_its_articles_by_chapter(client, small_law, lang):
    page = parse(get_ok(client, f"/{lang}{small_law}"))
    first = "第一章 总则" if lang == "zh-hans" else "Chapter I General Provisions"
    second = "第二章 附则"  # no English title: the Chinese one stands in
    assert page.link("#chapter-1").text == first and page.link("#chapter-2").text == second
    one, two = page.find("h2", id="chapter-1"), page.find("h2", id="chapter-2")
    assert (one.text, two.text) == (first, second)
    article_1, article_2 = page.link(f"/{lang}{small_law}1/"), page.link(f"/{lang}{small_law}2/")
    assert one.position < article_1.position < two.position < article_2.position


@pytest.mark.django_db
def test_an_english_law_article_is_labelled_as_unofficial(client, small_law):
    html = get_ok(client, f"/en{small_law}1/")
    assert "First paragraph." in html
    assert "Unofficial translation." in html
    chinese = get_ok(client, f"/zh-hans{small_law}1/")
    assert "第一段。" in chinese and "Unofficial translation." not in chinese


@pytest.mark.django_db
def test_english_law_article_without_translation_says_so(client, small_law):
    html = get_ok(client, f"/en{small_law}2/")
    assert "No English translation of this article is available" in html
    assert 'lang="zh-Hans"' in html and "只有中文。" in html
