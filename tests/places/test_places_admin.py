"""Local values in the admin: edited like all content (history, proposals, review), and the coverage table."""

import datetime

import pytest

from inquiry.editorial.models import Proposal
from inquiry.places.models import LocalValue
from tests.editorial.conftest import form_data
from tests.places.world import world

CHANGELIST = "/admin/places/localvalue/"


@pytest.mark.django_db
def test_a_publisher_changes_a_value_and_each_save_is_a_version(publisher_client):
    places = world()
    value = LocalValue.objects.get(region=places["beijing"], key="replacement-fee")
    versions = value.history.count()
    url = f"/admin/places/localvalue/{value.pk}/change/"
    form = form_data(publisher_client.get(url))
    form["text_zh_hans"] = "工本费10元。"
    response = publisher_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    value.refresh_from_db()
    assert value.text_zh_hans == "工本费10元。" and value.history.count() == versions + 1
    assert publisher_client.get(f"{url.removesuffix('change/')}history/").status_code == 200
    assert "工本费10元" in publisher_client.get("/zh-hans/beijing/faq/lost-card-fee/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["<b>20元</b>", "见 javascript:alert(1)"])
def test_the_admin_refuses_html_or_a_script_link_in_a_value(publisher_client, text):
    places = world()
    value = LocalValue.objects.get(region=places["beijing"], key="replacement-fee")
    url = f"/admin/places/localvalue/{value.pk}/change/"
    form = form_data(publisher_client.get(url))
    form["text_zh_hans"] = text
    response = publisher_client.post(url, form)
    assert response.status_code == 200 and "Plain text only" in response.content.decode()
    value.refresh_from_db()
    assert value.text_zh_hans == "补卡免费。"


@pytest.mark.django_db
def test_the_admin_refuses_an_article_naming_an_unknown_key(publisher_client):
    places = world()
    url = f"/admin/faq/article/{places['article'].pk}/change/"
    form = form_data(publisher_client.get(url))
    form["body_zh_hans"] = "费用：[[local:replacment-fee]]"
    response = publisher_client.post(url, form)
    assert response.status_code == 200 and "replacment-fee" in response.content.decode()


@pytest.mark.django_db
def test_an_editors_change_to_a_value_waits_for_a_publisher(editor_client):
    places = world()
    value = LocalValue.objects.get(region=places["beijing"], key="replacement-fee")
    url = f"/admin/places/localvalue/{value.pk}/change/"
    form = form_data(editor_client.get(url))
    form["text_zh_hans"] = "工本费30元。"
    assert editor_client.post(url, form).status_code == 302
    value.refresh_from_db()
    assert value.text_zh_hans == "补卡免费。"
    assert Proposal.objects.filter(status=Proposal.Status.PENDING).count() == 1


@pytest.mark.django_db
def test_values_due_for_review_are_listed(publisher_client):
    places = world()
    LocalValue.objects.filter(region=places["guangzhou"]).update(checked_on=datetime.date(2020, 1, 1))
    page = publisher_client.get(f"{CHANGELIST}?review=due").content.decode()
    assert "1 local value" in page  # Guangzhou's one value; the others were checked lately
    assert "4 local values" in publisher_client.get(CHANGELIST).content.decode()


@pytest.mark.django_db
def test_the_coverage_table_shows_each_regions_keys_with_their_strength(publisher_client):
    world()
    assert "Coverage table" in publisher_client.get(CHANGELIST).content.decode()
    page = publisher_client.get(f"{CHANGELIST}coverage/")
    assert page.status_code == 200
    html = page.content.decode()
    beijing = html.split("北京")[1].split("</tr>")[0]
    assert "[B]" in beijing and "[C]" in beijing and "2 / 9" in beijing
    guangzhou = html.split("广州")[1].split("</tr>")[0]
    assert "from province" in guangzhou
