"""What an editor types is what the page shows: plain-text fields refuse Markdown marks, everywhere.

The short answer is printed as typed, so `**本人**` would go live with its asterisks. The admin form, a
proposal and the shipped-content loader's write all refuse it, and the preview shows every text as the
public page will.
"""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from inquiry.core.plain_text import markdown_marks, plain_text_fields
from inquiry.editorial.models import Proposal
from inquiry.editorial.services import content_save
from inquiry.faq.models import Article

from .conftest import SEED, form_data, in_english

pytestmark = pytest.mark.usefixtures("shipped_content")


def test_markdown_marks_are_found_and_plain_punctuation_is_not():
    assert markdown_marks("请携带**本人**身份证。") == ["**…**"]
    assert markdown_marks("请携带*本人*身份证。") == ["*…*"]
    assert markdown_marks("See [the bureau](https://example.org).") == ["[…](…)"]
    assert markdown_marks("# 标题") == ["# …"]
    assert markdown_marks("拨打 12333* 咨询；5 * 3 = 15；a_b_c") == []


def test_the_short_answer_is_plain_text_and_the_detail_is_not():
    fields = plain_text_fields(Article)
    assert {"title_zh_hans", "title_en", "short_answer_zh_hans", "short_answer_en"} <= set(fields)
    assert not {"body_zh_hans", "body_en", "body_html_en"} & set(fields)


@pytest.mark.django_db
def test_no_shipped_text_holds_markdown_where_it_is_shown_plain():
    from django.apps import apps

    found = []
    for model in apps.get_models():
        for name in plain_text_fields(model):
            for pk, value in model._default_manager.values_list("pk", name):
                if markdown_marks(value):
                    found.append(f"{model.__name__} {pk} {name}: {value!r}")
    assert found == []


@pytest.mark.django_db
def test_the_admin_refuses_markdown_in_the_short_answer_and_says_why(editor, publisher):
    article = Article.objects.get(slug=SEED)
    url = f"/admin/faq/article/{article.pk}/change/"
    publisher_client = in_english(Client())
    publisher_client.force_login(publisher)
    form = form_data(publisher_client.get(url))
    form["short_answer_zh_hans"] = "请携带**本人**身份证。"
    response = publisher_client.post(url, form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "shown as plain text" in html and "**…**" in html
    article.refresh_from_db()
    assert "**" not in article.short_answer_zh_hans

    # An Editor's change to a live article is a proposal: refused the same way, nothing is proposed.
    editor_client = in_english(Client())
    editor_client.force_login(editor)
    form = form_data(editor_client.get(url))
    form["short_answer_zh_hans"] = "请携带**本人**身份证。"
    response = editor_client.post(url, form)
    assert response.status_code == 200 and "shown as plain text" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_the_loaders_write_refuses_it_too():
    article = Article.objects.get(slug=SEED)
    article.short_answer_en = "Bring **your own** ID."
    with pytest.raises(ValidationError) as refused:
        content_save(obj=article, reason="loaded")
    assert "short_answer_en" in refused.value.message_dict
    article.refresh_from_db()
    assert "**" not in article.short_answer_en


@pytest.mark.django_db
def test_the_preview_shows_every_text_as_the_public_page_will(editor):
    client = in_english(Client())
    client.force_login(editor)
    article = Article.objects.get(slug=SEED)
    form = form_data(client.get(f"/admin/faq/article/{article.pk}/change/"))
    form["short_answer_en"] = "Bring **your own** ID.\nAnd <b>the card</b>."
    form["body_en"] = "The **detail** is Markdown."
    html = client.post("/admin/faq/article/markdown-preview/", form).content.decode()
    # Title, short answer, then detail, as on the page.
    assert html.index("Question (English)") < html.index("Short answer (English)") < html.index("Detail (English)")
    assert "Bring **your own** ID.<br>And &lt;b&gt;the card&lt;/b&gt;." in html  # as typed: marks and all
    assert "would appear on the page as typed: **…**" in html
    assert "The <strong>detail</strong> is Markdown." in html
