import json

import pytest
from django.core.management import CommandError, call_command

from inquiry.faq.models import Article
from inquiry.law.models import Chapter, Law, LawArticle
from tests.support.laws import small_law, write
from tests.support.paths import REGULATION_JSON, SOCIAL_INSURANCE_LAW_JSON

pytestmark = pytest.mark.usefixtures("shipped_content")

needs_law_files = pytest.mark.skipif(
    not SOCIAL_INSURANCE_LAW_JSON.exists(), reason="the reference law texts (../shared/content) are not here"
)


@pytest.mark.django_db
def test_import_creates_law_chapters_and_articles(tmp_path, capsys):
    call_command("import_law", str(write(tmp_path, small_law())))
    law = Law.objects.get(slug="test-law")
    assert law.title_zh_hans == "测试法"
    assert [c.title_zh_hans for c in law.chapters.all()] == ["第一章 总则", "第二章 附则"]
    first, second = law.articles.order_by("number")
    assert first.text_zh_hans == "第一段。\n第二段。"
    assert first.text_en == "First paragraph.\nSecond paragraph."
    assert first.english_is_unofficial
    assert first.chapter.number == 1
    assert second.label_en == "Article 2"
    assert second.text_en == ""
    out = capsys.readouterr().out
    assert "2/2 articles" in out
    assert "Created test-law" in out


@pytest.mark.django_db
def test_reimport_updates_text_and_keeps_summaries_and_citations(tmp_path):
    path = write(tmp_path, small_law())
    call_command("import_law", str(path), verbosity=0)
    article = LawArticle.objects.get(law__slug="test-law", number=1)
    article.summary_zh_hans = "编辑写的摘要"
    article.summary_en = "An editor's summary"
    article.save()
    faq = Article.objects.published().first()
    faq.citations.add(article)

    changed = small_law()
    changed["articles"][0]["text_zh"] = "修改后的条文。"
    call_command("import_law", str(write(tmp_path, changed)), verbosity=0)

    article.refresh_from_db()
    assert article.text_zh_hans == "修改后的条文。"
    assert article.summary_zh_hans == "编辑写的摘要"
    assert article.summary_en == "An editor's summary"
    assert faq.citations.filter(pk=article.pk).exists()
    assert LawArticle.objects.filter(law__slug="test-law").count() == 2


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(tmp_path, capsys):
    path = write(tmp_path, small_law())
    call_command("import_law", str(path), verbosity=0)
    versions = dict(LawArticle.objects.filter(law__slug="test-law").values_list("number", "version"))
    call_command("import_law", str(path))
    assert dict(LawArticle.objects.filter(law__slug="test-law").values_list("number", "version")) == versions
    assert "0 articles added, 0 updated, 2 unchanged" in capsys.readouterr().out


BROKEN = [
    ("article 2: text_zh is missing", lambda d: d["articles"][1].pop("text_zh")),
    ("article 1: the number appears twice", lambda d: d["articles"][1].update(number=1)),
    ("article at position 2: number must be a positive whole number", lambda d: d["articles"][1].update(number="二")),
    ("article 2: chapter_zh must be text", lambda d: d["articles"][1].update(chapter_zh=["x"])),
    ("title_zh is missing", lambda d: d.pop("title_zh")),
    ("articles must be a non-empty list", lambda d: d.update(articles=[])),
    ("article #2 (position 2) is not an object", lambda d: d["articles"].__setitem__(1, "oops")),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("message", "breakage"), BROKEN, ids=[m for m, _ in BROKEN])
def test_a_broken_file_changes_nothing_and_names_the_bad_article(tmp_path, message, breakage):
    good = write(tmp_path, small_law(), "good.json")
    call_command("import_law", str(good), verbosity=0)
    before = list(LawArticle.objects.filter(law__slug="test-law").values_list("number", "text_zh_hans", "version"))

    data = small_law()
    data["articles"][0]["text_zh"] = "这次不该被写入。"
    breakage(data)
    with pytest.raises(CommandError) as raised:
        call_command("import_law", str(write(tmp_path, data, "broken.json")), verbosity=0)
    assert message in str(raised.value)
    assert "nothing changed" in str(raised.value)
    after = list(LawArticle.objects.filter(law__slug="test-law").values_list("number", "text_zh_hans", "version"))
    assert after == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "is not valid JSON"), (b"\xff\xfe\x00garbage", "is not UTF-8"), (b"[1, 2]", "JSON object")],
)
def test_unreadable_files_are_refused(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    count = LawArticle.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_law", str(path), verbosity=0)
    assert LawArticle.objects.count() == count


@pytest.mark.django_db
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_law", str(tmp_path / "nope.json"), verbosity=0)


@needs_law_files
@pytest.mark.django_db
def test_the_social_insurance_law_is_fully_imported_into_the_shipped_law():
    # The session setup imported the reference files on top of the shipped content.
    law = Law.objects.get(slug="social-insurance-law")
    data = json.loads(SOCIAL_INSURANCE_LAW_JSON.read_text(encoding="utf-8"))
    assert law.articles.count() == len(data["articles"]) == 98
    assert law.chapters.count() == 12
    article_14 = law.articles.get(number=14)
    source_14 = next(item for item in data["articles"] if item["number"] == 14)
    assert article_14.text_zh_hans == source_14["text_zh"].strip()
    assert article_14.text_en == source_14["text_en_unofficial"].strip()
    # The shipped summary survived the import.
    assert article_14.summary_zh_hans and article_14.summary_en
    assert Law.objects.filter(title_zh_hans=data["title_zh"]).count() == 1


@pytest.mark.skipif(not REGULATION_JSON.exists(), reason="the reference law texts are not here")
@pytest.mark.django_db
def test_the_regulation_without_english_imports_with_chinese_only():
    data = json.loads(REGULATION_JSON.read_text(encoding="utf-8"))
    law = Law.objects.get(title_zh_hans=data["title_zh"])
    assert law.slug == "social-insurance-handling-regulation"
    assert law.articles.count() == len(data["articles"])
    article_7 = law.articles.get(number=7)
    assert article_7.text_zh_hans
    assert article_7.text_en == ""
    assert article_7.summary_en
    assert Chapter.objects.filter(law=law).exists()
