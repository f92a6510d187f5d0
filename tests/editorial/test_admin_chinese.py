"""Plain Chinese in the admin: Django's stock messages as sentences with 您, a 403 page in the admin's look
and language, and no label for the hidden version field."""

import pytest
from django.test import Client

from inquiry.faq.models import Article

from .conftest import SEED, form_data, in_english

pytestmark = pytest.mark.usefixtures("shipped_content")

REPORT = "/admin/feedback/feedback/report/"


def chinese(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return client


@pytest.mark.django_db
def test_an_editor_refused_a_page_gets_the_admins_page_in_chinese(editor):
    client = chinese(Client())
    client.force_login(editor)
    response = client.get(REPORT)
    assert response.status_code == 403
    html = response.content.decode()
    assert "您无法打开这个页面" in html and "请联系管理员" in html
    assert 'id="site-name"' in html and "editorial/admin.css" in html  # the admin's header and style
    assert "403 Forbidden" not in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_403_page_follows_the_editors_language(editor):
    client = in_english(Client())
    client.force_login(editor)
    html = client.get(REPORT).content.decode()
    assert "You cannot open this page" in html and "ask an administrator" in html


def test_a_403_outside_the_admin_is_djangos_own(rf):
    from django.core.exceptions import PermissionDenied

    from inquiry.editorial.admin.errors import permission_denied

    response = permission_denied(rf.get("/zh-hans/faq/"), PermissionDenied())
    assert response.status_code == 403 and b"admin" not in response.content


@pytest.mark.django_db
def test_a_taken_slug_is_explained_in_a_sentence(publisher):
    client = chinese(Client())
    client.force_login(publisher)
    other = Article.objects.exclude(slug=SEED).first()
    url = f"/admin/faq/article/{other.pk}/change/"
    form = form_data(client.get(url))
    form["slug"] = SEED
    html = client.post(url, form).content.decode()
    assert "已经有一条常见问题文章使用了这个网址标识，请换一个。" in html
    assert "具有" not in html
    assert "还没有保存。请您修改下面标出的问题，然后再保存。" in html


@pytest.mark.django_db
def test_the_success_message_says_您(publisher):
    client = chinese(Client())
    client.force_login(publisher)
    article = Article.objects.get(slug=SEED)
    url = f"/admin/faq/article/{article.pk}/change/"
    form = form_data(client.get(url))
    form["_continue"] = "1"
    response = client.post(url, form, follow=True)
    html = response.content.decode()
    assert "您已成功修改常见问题文章" in html and "您可以在下面继续修改。" in html
    assert "你" not in html


@pytest.mark.django_db
def test_the_hidden_version_field_has_no_label(publisher):
    client = chinese(Client())
    client.force_login(publisher)
    article = Article.objects.get(slug=SEED)
    html = client.get(f"/admin/faq/article/{article.pk}/change/").content.decode()
    assert 'name="seen_version"' in html
    assert 'for="id_seen_version"' not in html and 'for="id_merge_fields"' not in html
