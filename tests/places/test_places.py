"""Local values: the region in the address, the values on regional pages, the chooser, bad input."""

from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiry.places.models import LocalValue, Region
from tests.places.world import world
from tests.support import builders

ARTICLE = "/{lang}/{region}faq/lost-card-fee/"


def page(client, lang="zh-hans", region=""):
    response = client.get(ARTICLE.format(lang=lang, region=f"{region}/" if region else ""))
    assert response.status_code == 200
    return response, response.content.decode()


@pytest.mark.django_db
def test_the_national_page_says_who_sets_it_and_the_regional_page_shows_the_value(client):
    world()
    _, national = page(client)
    assert "补卡免费" not in national
    assert 'class="local-value local-national"' in national
    _, beijing = page(client, region="beijing")
    assert "补卡免费。" in beijing
    assert "来源 bj-official" in beijing and "2026-12-06" in beijing and "[B]" in beijing
    # The [C]-only value is marked unconfirmed, and the [B] one is not.
    assert beijing.count('class="local-unconfirmed"') == 1
    assert 'href="https://third.example.com/x"' in beijing


@pytest.mark.django_db
def test_a_city_falls_back_to_its_province_then_to_the_national_text(client):
    world()
    _, guangzhou = page(client, lang="en", region="guangzhou")
    assert "12 working days." in guangzhou  # its own
    assert 'data-region="guangdong"' in guangzhou and "20 yuan." in guangzhou  # its province's
    builders.article("other-keys", body_en="Renewal: [[local:renewal]]", body_zh_hans="换卡：[[local:renewal]]")
    response = client.get("/en/guangzhou/faq/other-keys/")
    assert "set by your province" in response.content.decode()


@pytest.mark.django_db
def test_links_on_a_regional_page_keep_the_region_and_national_addresses_do_not_change(client):
    world()
    _, beijing = page(client, region="beijing")
    assert 'href="/zh-hans/beijing/faq/"' in beijing
    assert 'href="/en/beijing/faq/lost-card-fee/"' in beijing  # the language switcher
    assert '<link rel="canonical" href="http://testserver/zh-hans/beijing/faq/lost-card-fee/">' in beijing
    _, national = page(client)
    assert "/beijing/" not in national.split('<form class="region-chooser"')[0]


@pytest.mark.django_db
def test_a_region_without_values_of_its_own_points_its_canonical_at_the_national_page(client):
    world()
    Region.objects.create(
        slug="sichuan", code="510000", kind=Region.Kind.PROVINCE, name_zh_hans="四川", name_en="Sichuan"
    )
    _, sichuan = page(client, region="sichuan")
    assert '<link rel="canonical" href="http://testserver/zh-hans/faq/lost-card-fee/">' in sichuan


@pytest.mark.django_db
def test_regional_pages_set_no_cookie_and_are_cached(client):
    world()
    first, _ = page(client, region="beijing")
    assert not first.cookies
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        again, _ = page(client, region="beijing")
    assert again["X-Page-Cache"] == "hit" and len(queries) == 0
    national, _ = page(client)
    assert national["X-Page-Cache"] == "miss"  # another address, another page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/zh-hans/nowhere/faq/lost-card-fee/", "/en/nowhere/", "/zh-hans/beijing/nowhere/", "/zh-hans/beijing/beijing/"],
)
def test_an_unknown_region_is_a_404(client, url):
    world()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("segment", ["%00x", "%5b%5d", "a%C3b", "x" * 41, "bei.jing"])
def test_a_segment_that_cannot_be_a_region_is_never_looked_up(client, segment):
    # PostgreSQL refuses a NUL in a query (a 500 once, from the fuzz test): such a segment is no region.
    world()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/en/{segment}/")
    assert response.status_code == 404
    # (The 404 page's chooser lists the regions: that query names no segment.)
    assert not any(unquote(segment) in query["sql"] for query in queries)


@pytest.mark.django_db
def test_the_regional_page_costs_at_most_one_query_more_than_the_national_one(client, no_page_cache):
    world()
    counts = {}
    for region in ("", "beijing", "guangzhou"):
        with CaptureQueriesContext(connection) as queries:
            page(client, region=region)
        counts[region] = len(queries)
    assert counts["beijing"] <= counts[""] + 1, counts
    assert counts["guangzhou"] == counts["beijing"], counts


@pytest.mark.django_db
def test_the_chooser_sends_to_the_same_page_under_the_region(client):
    world()
    response = client.get("/zh-hans/region/", {"region": "beijing", "next": "/zh-hans/faq/lost-card-fee/?a=b"})
    assert response.status_code == 302 and response["Location"] == "/zh-hans/beijing/faq/lost-card-fee/?a=b"
    response = client.get("/en/beijing/region/", {"region": "guangzhou", "next": "/en/beijing/guide/x/?deposit=myself"})
    assert response["Location"] == "/en/guangzhou/guide/x/?deposit=myself"
    response = client.get("/zh-hans/beijing/region/", {"region": "", "next": "/zh-hans/beijing/faq/"})
    assert response["Location"] == "/zh-hans/faq/"
    assert not response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_the_chooser_never_sends_elsewhere(client, target):
    world()
    response = client.get("/zh-hans/region/", {"region": "beijing", "next": target})
    assert response.status_code == 302 and response["Location"] == "/zh-hans/beijing/"


@pytest.mark.django_db
def test_the_chooser_refuses_an_unknown_region_with_a_404(client):
    world()
    assert client.get("/zh-hans/region/", {"region": "atlantis", "next": "/zh-hans/"}).status_code == 404


@pytest.mark.django_db
def test_the_footer_form_works_without_javascript(client):
    world()
    _, html = page(client, region="beijing")
    form = html.split('<form class="region-chooser"')[1].split("</form>")[0]
    assert 'method="get"' in form and 'action="/zh-hans/beijing/region/"' in form
    assert '<option value="beijing" selected>' in form
    assert 'name="next" value="/zh-hans/beijing/faq/lost-card-fee/"' in form


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", '<a href="x">x</a>', "javascript:alert(1)", "see data:text/html,x"]
)
def test_a_value_with_html_or_a_script_link_is_refused(text):
    places = world()
    value = LocalValue.objects.get(region=places["beijing"], key="replacement-fee")
    value.text_zh_hans = text
    with pytest.raises(ValidationError):
        value.full_clean()


@pytest.mark.django_db
def test_values_are_escaped_on_the_page_whatever_the_database_holds(client):
    places = world()
    LocalValue.objects.filter(region=places["beijing"], key="replacement-fee").update(
        text_zh_hans='<img src=x onerror="alert(1)">'
    )
    _, html = page(client, region="beijing")
    assert "<img src=x" not in html and "&lt;img src=x" in html


@pytest.mark.django_db
def test_content_naming_an_unknown_key_is_refused():
    places = world()
    article = places["article"]
    article.body_zh_hans = "费用：[[local:no-such-key]]"
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert "no-such-key" in str(refused.value)


@pytest.mark.django_db
def test_a_region_may_not_take_a_site_address_or_be_a_city_without_a_province():
    with pytest.raises(ValidationError):
        Region(slug="faq", code="110000", kind=Region.Kind.MUNICIPALITY, name_zh_hans="x", name_en="x").full_clean()
    with pytest.raises(ValidationError):
        Region(slug="nowhere", code="110100", kind=Region.Kind.CITY, name_zh_hans="x", name_en="x").full_clean()


@pytest.mark.django_db
def test_text_for_machines_carries_the_national_wording_not_the_marker(client):
    from inquiry.core.markdown import html_to_text

    places = world()
    text = html_to_text(places["article"].body_html_en)
    assert "[[local:" not in text and "12333" in text
    _, html = page(client, region="beijing")
    structured = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "[[local:" not in structured


@pytest.mark.django_db
def test_the_sitemap_lists_regional_pages_of_regions_with_values(client):
    world()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/zh-hans/beijing/faq/lost-card-fee/" in sitemap
    assert "http://testserver/en/beijing/" in sitemap
    assert "/nowhere/" not in sitemap


@pytest.mark.django_db
def test_a_regional_address_without_its_slash_is_redirected(client):
    world()
    response = client.get("/zh-hans/beijing")
    assert response.status_code == 301 and response["Location"] == "/zh-hans/beijing/"


@pytest.mark.django_db
def test_a_regional_sitemap_entry_has_the_national_x_default(client):
    world()
    sitemap = client.get("/sitemap.xml").content.decode()
    entry = sitemap.split("<loc>http://testserver/en/beijing/faq/lost-card-fee/</loc>")[1].split("</url>")[0]
    assert 'hreflang="x-default" href="http://testserver/faq/lost-card-fee/"' in entry
    assert 'hreflang="zh-hans" href="http://testserver/zh-hans/beijing/faq/lost-card-fee/"' in entry
