"""The shipped regions and values load through load_content, each with a source and a checked date."""

import re

import pytest

from inquiry.places.models import LocalValue, Region

pytestmark = pytest.mark.usefixtures("shipped_content")


@pytest.mark.django_db
def test_regions_ship_with_sourced_values():
    assert Region.objects.count() >= 10
    assert all(value.source_id and value.checked_on for value in LocalValue.objects.all())
    # Keys shown per region, a city's province's values counted with its own.
    shown = {}
    for region in Region.objects.all():
        keys = set(region.values.values_list("key", flat=True))
        if region.parent_id:
            keys |= set(LocalValue.objects.filter(region_id=region.parent_id).values_list("key", flat=True))
        shown[region.slug] = keys
    assert sum(1 for keys in shown.values() if len(keys) >= 5) >= 10, shown
    assert {"beijing", "shanghai", "tianjin", "chongqing"} <= {slug for slug, keys in shown.items() if len(keys) >= 5}


@pytest.mark.django_db
def test_beijing_visitors_see_beijing_values_on_the_lost_card_answer(client):
    beijing = client.get("/zh-hans/beijing/faq/lost-card-what-to-do/").content.decode()
    national = client.get("/zh-hans/faq/lost-card-what-to-do/").content.decode()
    assert "96102" in beijing and "gxscse.com" in beijing
    assert "96102" not in national and "请咨询12333" in national
    shanghai = client.get("/en/shanghai/").status_code
    assert shanghai == 200


@pytest.mark.django_db
def test_a_guide_outcome_under_a_region_keeps_its_answers_and_shows_the_regions_value(client):
    from django.utils import translation

    from inquiry.guide.selectors import shareable_outcomes
    from inquiry.places.context import region_active
    from inquiry.places.selectors import region_context

    shareable = next(item for item in shareable_outcomes() if item.outcome.slug == "lost-get-new-card")
    with translation.override("zh-hans"):
        national_url = shareable.get_absolute_url()
        with region_active(region_context("guangzhou")):
            regional_url = shareable.get_absolute_url()
    assert regional_url == national_url.replace("/zh-hans/", "/zh-hans/guangzhou/", 1) and "?" in regional_url
    response = client.get(regional_url)
    assert response.status_code == 200, regional_url
    html = response.content.decode()
    assert "12个工作日" in html and "kuaiji.com" in html  # Guangzhou's replacement time and its source
    # The answers' links keep the region; the region is no answer.
    assert f'href="/zh-hans/guangzhou/guide/{shareable.outcome.flow.slug}/' in html
    assert not re.search(r"[?&;](guangzhou|region)=", html.split('<form class="region-chooser"')[0])
