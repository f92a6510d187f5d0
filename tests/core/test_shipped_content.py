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


SEED = "accidentally-put-money-on-card"
SEED_PAGE = settings.BASE_DIR.parent / "shared" / "seed" / "social-security-card-faq.txt"


@pytest.mark.django_db
def test_the_seed_articles_live_english_is_the_sites_own_correct_text():
    seed = Article.objects.get(slug=SEED)
    english = f"{seed.short_answer_en}\n{seed.body_en}"
    # Nothing no source supports: not the zero balance, not "withdrawn in advance" on a death.
    assert "will show zero" not in english and "withdrawn in advance" not in english
    assert "may not be visible or usable" in seed.short_answer_en
    assert "can be inherited" in seed.body_en
    # It says what the Chinese says, paragraph for paragraph.
    assert len(seed.body_en.split("\n\n")) == len(seed.body_zh_hans.split("\n\n"))
    assert len(seed.short_answer_en.split("\n\n")) == len(seed.short_answer_zh_hans.split("\n\n"))
    article_4 = LawArticle.objects.get(law__slug="social-insurance-law", number=4)
    assert article_4.summary_en


@pytest.mark.django_db
@pytest.mark.skipif(not SEED_PAGE.exists(), reason="the seed page (../shared/seed) is not beside this checkout")
def test_the_seed_pages_own_words_are_the_articles_first_version_in_its_history():
    paragraphs = [part.strip() for part in SEED_PAGE.read_text(encoding="utf-8").split("\n\n") if part.strip()]
    title, short_answer, *rest = paragraphs[1:]
    body = rest[: rest.index("Legal basis:")]
    seed = Article.objects.get(slug=SEED)
    first, *later = seed.history.order_by("history_date", "history_id")
    assert later, "the live text is a version of its own, after the original"
    assert first.title_en == title == seed.title_en
    assert first.short_answer_en == short_answer
    assert [part.strip() for part in first.body_en.split("\n\n")] == body
    assert first.history_change_reason.startswith("The original page, word for word")
    # The Chinese was the site's own from the start; the live version is what the page shows.
    assert first.body_zh_hans == seed.body_zh_hans
    assert later[-1].body_en == seed.body_en != first.body_en


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
def test_an_object_loaded_before_its_files_gained_a_field_is_refreshed_not_kept(capsys):
    # Articles shipped before `also_asked` existed: their record's fingerprint has no such field, and
    # the field is empty in the database. Nobody edited them, so the next load gives them the shipped text.
    from inquiry.core.shipped import ContentLoader

    article = Article.objects.get(slug="accidentally-put-money-on-card")
    shipped = (article.also_asked_zh_hans, article.also_asked_en)
    article.also_asked_zh_hans = article.also_asked_en = ""
    article.save()
    values = {
        f"{name}_{language}": None for name in ("title", "short_answer", "body") for language in ("zh_hans", "en")
    }
    values.update(dict.fromkeys(("topic", "status", "published_at", "last_reviewed_on", "order")))
    relations = dict.fromkeys(("citations", "sources", "procedures", "states"))
    before_the_field = ContentLoader._current(article, values, relations)
    ShippedRecord.objects.filter(key=f"faq:article:{article.slug}").update(fingerprint=before_the_field)
    call_command("load_content")
    article.refresh_from_db()
    assert (article.also_asked_zh_hans, article.also_asked_en) == shipped
    assert "kept the edited version of faq:article" not in capsys.readouterr().out


@pytest.mark.django_db
def test_a_deleted_object_comes_back_and_nothing_else_changes():
    topic = Topic.objects.get(slug=Article.objects.get(slug="accidentally-put-money-on-card").topic.slug)
    article = Article.objects.get(slug="accidentally-put-money-on-card")
    article.delete()
    call_command("load_content", verbosity=0)
    assert Article.objects.filter(slug="accidentally-put-money-on-card", topic=topic).exists()


@pytest.mark.django_db
def test_the_seed_claims_no_zero_balance_in_either_language():
    seed = Article.objects.get(slug="accidentally-put-money-on-card")
    assert "balance will show zero" not in seed.body_en and "balance shows zero" not in seed.body_en
    assert "余额会显示为零" not in seed.body_zh_hans and "余额却是零" not in seed.body_zh_hans
    # Both say plainly that no official source says so.
    assert "no official source says" in seed.body_en and "目前没有官方说法" in seed.body_zh_hans
    assert seed.short_answer_zh_hans.startswith("存进社保卡的钱进了卡上的金融账户")
    assert seed.sources.carrying().exists()


@pytest.mark.django_db
def test_every_shipped_text_fits_its_column():
    # SQLite stores a text longer than a column's max_length; PostgreSQL refuses it and the load fails.
    from django.db import models
    from django.db.models.functions import Length

    too_long = []
    for label in (*CONTENT_APPS, "places"):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField) and field.max_length:
                    rows = model.objects.annotate(size=Length(field.name)).filter(size__gt=field.max_length)
                    too_long += [f"{model.__name__}.{field.name} #{pk}" for pk in rows.values_list("pk", flat=True)]
    assert not too_long
