import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command

from inquiry.core.models import ShippedRecord
from inquiry.faq.models import Article, Topic
from inquiry.law.models import LawArticle

pytestmark = pytest.mark.usefixtures("shipped_content")

CONTENT_APPS = ("law", "cards", "faq", "guide")


def snapshot():
    """Every content row, serialised, minus the timestamps a save would touch."""
    rows = []
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            for item in serializers.serialize("python", model.objects.order_by("pk")):
                item["fields"].pop("updated_at", None)
                rows.append(item)
    return rows


@pytest.mark.django_db
def test_loading_twice_gives_the_same_database(capsys):
    before = snapshot()
    call_command("load_content")
    assert snapshot() == before
    out = capsys.readouterr().out
    assert " 0 created, 0 updated" in out


@pytest.mark.django_db
def test_shipped_content_is_complete():
    assert Article.objects.published().count() >= 13
    assert Topic.objects.count() >= 3
    seed = Article.objects.get(slug="accidentally-put-money-on-card")
    cited = {a.citation_key for a in seed.citations.select_related("law")}
    assert {"social-insurance-law:4", "social-insurance-law:5", "social-insurance-law:14"} <= cited
    for article in Article.objects.published():
        assert article.title_zh_hans and article.title_en, article.slug
        assert article.short_answer_zh_hans and article.short_answer_en, article.slug
        # What carries an answer: a law article or an [A]/[B] source (the content audit, inquiry.law.audit).
        assert article.citations.exists() or article.sources.carrying().exists(), f"{article.slug} cites nothing"
    for cited_article in LawArticle.objects.filter(faq_articles__isnull=False).distinct():
        assert cited_article.summary_zh_hans and cited_article.summary_en, cited_article


@pytest.mark.django_db
def test_seed_english_is_word_for_word():
    seed = Article.objects.get(slug="accidentally-put-money-on-card")
    assert seed.title_en == "What to do if you accidentally put money on your social security card"
    # The editors' sourced explanation comes first; the seed's own short answer follows, word for word.
    editors, seed_short = seed.short_answer_en.split(" If you accidentally deposit", 1)
    assert seed_short.startswith(" money into your social security card")
    assert "may not be visible or usable" in editors
    assert "There are actually two accounts in the social security card" in seed.body_en
    article_4 = LawArticle.objects.get(law__slug="social-insurance-law", number=4)
    assert article_4.summary_en


SEED_PAGE = settings.BASE_DIR.parent / "shared" / "seed" / "social-security-card-faq.txt"


@pytest.mark.django_db
@pytest.mark.skipif(not SEED_PAGE.exists(), reason="the seed page (../shared/seed) is not beside this checkout")
def test_seed_english_matches_the_seed_page_paragraph_by_paragraph():
    paragraphs = [part.strip() for part in SEED_PAGE.read_text(encoding="utf-8").split("\n\n") if part.strip()]
    title, short_answer, *rest = paragraphs[1:]
    body = rest[: rest.index("Legal basis:")]
    seed = Article.objects.get(slug="accidentally-put-money-on-card")
    assert seed.title_en == title
    assert seed.short_answer_en.endswith(" " + short_answer)  # after the editors' sourced summary
    shipped = [part.strip() for part in seed.body_en.split("\n\n")]
    # Word for word and in order; editors' notes may stand between the seed's paragraphs and after them.
    assert [part for part in shipped if not part.startswith("**Editors' note:**")] == body


@pytest.mark.django_db
def test_an_editors_change_is_never_overwritten(capsys):
    article = Article.objects.get(slug="accidentally-put-money-on-card")
    article.short_answer_zh_hans = "编辑改过的简短回答。"
    article.save()
    call_command("load_content")
    article.refresh_from_db()
    assert article.short_answer_zh_hans == "编辑改过的简短回答。"
    assert "kept the edited version of faq:article:accidentally-put-money-on-card" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_newer_shipped_text_replaces_an_untouched_object():
    # Pretend the last load wrote an older text, and nobody edited it since.
    topic = Topic.objects.order_by("pk").first()
    shipped_title = topic.title_zh_hans
    topic.title_zh_hans = "旧的主题标题"
    topic.save()
    from inquiry.core.shipped import fingerprint

    values = {
        name: getattr(topic, name)
        for name in ("title_zh_hans", "title_en", "description_zh_hans", "description_en", "order")
    }
    ShippedRecord.objects.filter(key=f"faq:topic:{topic.slug}").update(fingerprint=fingerprint(values, {}))
    call_command("load_content", verbosity=0)
    topic.refresh_from_db()
    assert topic.title_zh_hans == shipped_title


@pytest.mark.django_db
def test_a_deleted_object_comes_back_and_nothing_else_changes():
    topic = Topic.objects.get(slug=Article.objects.get(slug="accidentally-put-money-on-card").topic.slug)
    article = Article.objects.get(slug="accidentally-put-money-on-card")
    article.delete()
    call_command("load_content", verbosity=0)
    assert Article.objects.filter(slug="accidentally-put-money-on-card", topic=topic).exists()


@pytest.mark.django_db
def test_the_seed_marks_its_zero_balance_paragraph_and_its_chinese_does_not_repeat_it():
    seed = Article.objects.get(slug="accidentally-put-money-on-card")
    paragraphs = [part.strip() for part in seed.body_en.split("\n\n")]
    claim = next(n for n, part in enumerate(paragraphs) if "the balance will show zero" in part)
    assert paragraphs[claim - 1].startswith("**Editors' note:**")
    assert "original text's own wording" in paragraphs[claim - 1]
    assert "余额会显示为零" not in seed.body_zh_hans and "余额却是零" not in seed.body_zh_hans
    assert seed.short_answer_zh_hans.startswith("存进社保卡的钱进了卡上的金融账户")
    assert seed.sources.carrying().exists()
