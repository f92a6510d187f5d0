"""The admin previews Markdown as the public page will show it, without JavaScript, and saves nothing."""

import pytest

from inquiry.cards.models import Procedure
from inquiry.faq.models import Article

from .conftest import SEED, form_data

pytestmark = pytest.mark.usefixtures("shipped_content")


@pytest.mark.django_db
def test_the_change_form_offers_a_preview_that_works_without_javascript(editor_client):
    article = Article.objects.get(slug=SEED)
    page = editor_client.get(f"/admin/faq/article/{article.pk}/change/").content.decode()
    assert 'formaction="/admin/faq/article/markdown-preview/"' in page
    assert 'data-markdown-preview="1"' in page
    assert "editorial/markdown-preview.js" in page
    assert "<script>" not in page.split("editorial/markdown-preview.js")[1][:200]


@pytest.mark.django_db
def test_preview_renders_and_sanitises_unsaved_text(editor_client):
    article = Article.objects.get(slug=SEED)
    form = form_data(editor_client.get(f"/admin/faq/article/{article.pk}/change/"))
    form["body_en"] = "Unsaved **bold** text.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"
    response = editor_client.post("/admin/faq/article/markdown-preview/", form)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Unsaved <strong>bold</strong> text." in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html and "javascript:" not in html
    article.refresh_from_db()
    assert "Unsaved" not in article.body_en


@pytest.mark.django_db
def test_preview_covers_markdown_in_inline_rows_and_answers_json(editor_client):
    procedure = Procedure.objects.filter(steps__isnull=False).first()
    form = form_data(editor_client.get(f"/admin/cards/procedure/{procedure.pk}/change/"))
    name = next(key for key in form if key.endswith("-bring_en"))
    form[name] = "- your *card*\n- your ID"
    response = editor_client.post(
        "/admin/cards/procedure/markdown-preview/", form, headers={"accept": "application/json"}
    )
    assert response.status_code == 200
    previews = {item["name"]: item["html"] for item in response.json()["previews"]}
    assert previews[name] == "<ul>\n<li>your <em>card</em></li>\n<li>your ID</li>\n</ul>"


@pytest.mark.django_db
def test_preview_needs_permission_and_a_post(client, django_user_model, editor_client):
    assert editor_client.get("/admin/faq/article/markdown-preview/").status_code == 302
    outsider = django_user_model.objects.create_user("outsider", password="x-long-password-1", is_staff=True)
    client.force_login(outsider)
    assert client.post("/admin/faq/article/markdown-preview/", {"body_en": "x"}).status_code == 403
