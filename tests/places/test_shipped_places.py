"""The shipped regions and values load through load_content, each with a source and a checked date."""

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
