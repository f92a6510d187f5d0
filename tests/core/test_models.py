import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from inquiry.cards.models import AccountState, StateTransition
from inquiry.faq.models import Article
from inquiry.law.models import LawArticle

pytestmark = pytest.mark.usefixtures("shipped_content")


@pytest.mark.django_db
def test_every_save_is_a_new_version():
    article = Article.objects.get(slug="accidentally-put-money-on-card")
    version = article.version
    article.save()
    article.refresh_from_db()
    assert article.version == version + 1
    article.save(update_fields=["title_en"])
    article.refresh_from_db()
    assert article.version == version + 2


@pytest.mark.django_db
def test_markdown_fields_are_rendered_on_save_in_both_languages():
    article = Article.objects.get(slug="accidentally-put-money-on-card")
    article.body_zh_hans = "**加粗**"
    article.body_en = "<script>x</script>"
    article.save()
    assert article.body_html_zh_hans == "<p><strong>加粗</strong></p>"
    assert "<script" not in article.body_html_en


@pytest.mark.django_db
def test_a_published_article_needs_a_publish_date():
    article = Article.objects.get(slug="accidentally-put-money-on-card")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)


@pytest.mark.django_db
def test_published_queryset_respects_status_and_date():
    article = Article.objects.get(slug="accidentally-put-money-on-card")
    assert Article.objects.published().filter(pk=article.pk).exists()
    article.published_at = timezone.now() + timezone.timedelta(hours=1)
    article.save()
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert Article.objects.published(now=timezone.now() + timezone.timedelta(hours=2)).filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_law_article_numbers_are_unique_per_law():
    existing = LawArticle.objects.filter(law__slug="social-insurance-law").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        LawArticle.objects.create(law=existing.law, number=existing.number, label_zh_hans="重复")


@pytest.mark.django_db
def test_a_state_cannot_lead_to_itself():
    state = AccountState.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        StateTransition.objects.create(source=state, target=state, label_zh_hans="自己", label_en="self")


@pytest.mark.django_db
def test_each_account_has_exactly_one_starting_state():
    for account_states in (
        AccountState.objects.filter(account=a) for a in {s.account for s in AccountState.objects.all()}
    ):
        assert account_states.filter(is_initial=True).count() == 1
