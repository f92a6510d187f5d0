"""Addresses from titles: a slug left empty is made from the English title, else the Chinese one in pinyin."""

import pytest
from django.test import Client

from inquiry.editorial.slugs import slug_from_titles, unique_slug
from inquiry.faq.models import Article

from .conftest import SEED, in_english

pytestmark = pytest.mark.usefixtures("shipped_content")

ADD = "/admin/faq/article/add/"


def test_the_english_title_comes_first():
    slug = slug_from_titles("What if I put money on my card?", "钱存进社保卡怎么办？")
    assert slug == "what-if-i-put-money-on-my-card"


def test_a_chinese_title_becomes_pinyin_word_by_word():
    assert slug_from_titles("", "社保卡怎么激活？") == "shebaoka-zenme-jihuo"
    assert slug_from_titles("", "12333 社保卡") == "12333-shebaoka"


def test_a_long_title_is_cut_at_the_field_length_and_a_taken_slug_gets_a_number():
    slug = slug_from_titles("", "社保卡" * 40, max_length=60)
    assert len(slug) <= 60 and not slug.endswith("-")
    taken = {"huoqi", "huoqi-2"}
    assert unique_slug("huoqi", taken.__contains__) == "huoqi-3"


def article_form(topic, **fields):
    data = {
        "title_zh_hans": "社保卡怎么激活？",
        "title_en": "",
        "slug": "",
        "topic": topic.pk,
        "short_answer_zh_hans": "带上社保卡和身份证，到服务银行网点激活。",
        "short_answer_en": "",
        "body_zh_hans": "",
        "body_en": "",
        "order": 0,
    }
    data.update(fields)
    return data


@pytest.mark.django_db
def test_an_editor_leaves_the_slug_empty_and_gets_one_from_the_title(editor_client):
    topic = Article.objects.get(slug=SEED).topic
    response = editor_client.post(ADD, article_form(topic))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.filter(slug="shebaoka-zenme-jihuo").exists()
    # The same title again: the next free address.
    assert editor_client.post(ADD, article_form(topic)).status_code == 302
    assert Article.objects.filter(slug="shebaoka-zenme-jihuo-2").exists()
    # With an English title, from the English.
    assert editor_client.post(ADD, article_form(topic, title_en="How do I activate my card?")).status_code == 302
    assert Article.objects.filter(slug="how-do-i-activate-my-card").exists()
    # A slug typed by hand is kept as typed.
    assert editor_client.post(ADD, article_form(topic, slug="activate-by-hand")).status_code == 302
    assert Article.objects.filter(slug="activate-by-hand").exists()


@pytest.mark.django_db
def test_the_add_form_says_the_slug_may_be_left_empty(editor_client):
    html = editor_client.get(ADD).content.decode()
    assert "Leave it empty and it is made from the English title" in html
    assert 'name="slug"' in html and 'name="slug" required' not in html


@pytest.mark.django_db
def test_the_slug_is_editable_until_the_first_publish(editor_client, publisher):
    topic = Article.objects.get(slug=SEED).topic
    assert editor_client.post(ADD, article_form(topic)).status_code == 302
    article = Article.objects.get(slug="shebaoka-zenme-jihuo")
    url = f"/admin/faq/article/{article.pk}/change/"
    assert 'name="slug"' in editor_client.get(url).content.decode()  # a draft: the editor may change it

    article.publish()
    article.save()
    assert 'name="slug"' not in editor_client.get(url).content.decode()  # published: links to it exist
    article.unpublish()
    article.save()
    assert 'name="slug"' not in editor_client.get(url).content.decode()  # was published once: still fixed
    publisher_client = in_english(Client())
    publisher_client.force_login(publisher)
    assert 'name="slug"' in publisher_client.get(url).content.decode()  # a Publisher may (with a redirect)
