"""Sources in the admin: edited like every content model (history, proposals), cited from the answers."""

import pytest

from inquiry.cards.models import Procedure
from inquiry.editorial.models import Proposal
from inquiry.faq.models import Article
from inquiry.law.models import Source

from .conftest import SEED, form_data

pytestmark = pytest.mark.usefixtures("shipped_content")

ADD = "/admin/law/source/add/"
NEW_SOURCE = {
    "slug": "test-official-page",
    "title_zh_hans": "某市社保卡问答",
    "title_en": "A city's card Q&A",
    "publisher_zh_hans": "某市人社局",
    "publisher_en": "A city's HRSS bureau",
    "url": "https://example.gov.cn/qa.html",
    "kind": "official_page",
    "strength": "B",
    "seen_on": "2026-11-30",
}


@pytest.mark.django_db
def test_a_publisher_adds_and_changes_a_source_and_each_save_is_a_version(publisher_client):
    form = form_data(publisher_client.get(ADD))
    form.update(NEW_SOURCE)
    response = publisher_client.post(ADD, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    source = Source.objects.get(slug="test-official-page")
    assert source.title_en == "A city's card Q&A" and source.strength == "B" and source.history.count() == 1

    url = f"/admin/law/source/{source.pk}/change/"
    form = form_data(publisher_client.get(url))
    form["strength"] = "C"
    assert publisher_client.post(url, form).status_code == 302
    source.refresh_from_db()
    assert source.strength == "C" and source.version == 2 and source.history.count() == 2
    assert "test-official-page" in publisher_client.get("/admin/law/source/?q=city").content.decode()
    assert publisher_client.get(f"/admin/law/source/{source.pk}/history/").status_code == 200


@pytest.mark.django_db
def test_an_editors_new_source_waits_for_a_publisher(editor_client):
    form = form_data(editor_client.get(ADD))
    form.update(NEW_SOURCE)
    response = editor_client.post(ADD, form)
    assert response.status_code == 302
    assert not Source.objects.filter(slug="test-official-page").exists()
    assert Proposal.objects.filter(status=Proposal.Status.PENDING).count() == 1


@pytest.mark.django_db
def test_an_article_cites_sources_from_its_form_and_its_history_keeps_them(publisher_client):
    article = Article.objects.get(slug=SEED)
    official = Source.objects.get(slug="mohrss-loss-report")
    url = f"/admin/faq/article/{article.pk}/change/"
    form = form_data(publisher_client.get(url))
    assert "sources" in form
    form["sources"] = [str(official.pk)]
    assert publisher_client.post(url, form).status_code == 302
    assert list(article.sources.all()) == [official]
    latest = article.history.order_by("-history_date", "-history_id").first()
    assert [row.source_id for row in latest.sources.all()] == [official.pk]


@pytest.mark.django_db
def test_a_procedure_step_cites_sources_in_the_procedures_form(publisher_client):
    procedure = Procedure.objects.get(slug="activate-financial-account")
    step = procedure.steps.order_by("order").first()
    official = Source.objects.get(slug="cxs-e-card-2024")
    url = f"/admin/cards/procedure/{procedure.pk}/change/"
    page = publisher_client.get(url).content.decode()
    assert 'name="steps-0-sources"' in page
    form = form_data(publisher_client.get(url))
    form["steps-0-sources"] = [str(official.pk)]
    response = publisher_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(step.sources.all()) == [official]
