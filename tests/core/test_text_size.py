"""Larger text kept in the address (/large-text/<lang>/…): it stays on the next page without a script or
a cookie, every link on the page keeps it, search engines see one page, and the page cache keeps the
two sizes apart."""

import re

import pytest

SEED_URL = "/en/faq/accidentally-put-money-on-card/"
LARGE = "/large-text"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]


def links(html):
    return re.findall(r'<a [^>]*href="(/[^"]*)"', html)


def test_the_larger_size_is_on_the_page_and_on_every_link(client):
    response = client.get(LARGE + SEED_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en" class="text-large">' in html
    # Every internal link (menu, breadcrumbs, related pages, the other language) keeps the larger size,
    # except the switch back to the usual size, which names this same page without it.
    normal = re.search(r'<a class="text-size-normal" href="([^"]+)"', html).group(1)
    assert normal == SEED_URL
    others = [href for href in links(html) if href != normal and not href.startswith("/static/")]
    assert others and all(href.startswith(LARGE + "/") for href in others), others
    assert f'href="{LARGE}/zh-hans/faq/accidentally-put-money-on-card/"' in html
    # Forms keep it too (the search box).
    assert f'action="{LARGE}/en/search/"' in html
    assert response.cookies == {}


def test_the_usual_size_links_to_the_larger_one_and_keeps_the_query_string(client):
    html = client.get("/en/search/?q=activation").content.decode()
    assert 'class="text-large"' not in html
    assert f'<a class="text-size-larger" href="{LARGE}/en/search/?q=activation"' in html
    assert [href for href in links(html) if href.startswith(LARGE)] == [f"{LARGE}/en/search/?q=activation"]


def test_search_engines_see_one_page(client):
    html = client.get(LARGE + SEED_URL).content.decode()
    assert f'<link rel="canonical" href="http://testserver{SEED_URL}">' in html
    assert 'hreflang="zh-Hans" href="http://testserver/zh-hans/faq/accidentally-put-money-on-card/"' in html
    assert LARGE not in "".join(re.findall(r"<link [^>]*>", html))
    structured = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert f"http://testserver{SEED_URL}" in structured and LARGE not in structured
    law = client.get(LARGE + "/en/law/social-insurance-law/14/").content.decode()
    assert LARGE not in re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', law, re.S).group(1)


def test_redirects_keep_the_larger_size(client):
    # The guide sends a stale answer back to the first question; a missing slash is added.
    response = client.get(LARGE + "/en/guide/what-happened-to-my-money/activated/?money-source=bogus")
    assert response.status_code == 302 and response["Location"].startswith(LARGE + "/en/guide/")
    assert client.get(LARGE + "/en/faq")["Location"] == LARGE + "/en/faq/"
    assert client.get(LARGE + "/", headers={"accept-language": "en"})["Location"] == LARGE + "/en/"


def test_only_public_pages_take_the_segment(client):
    assert client.get(LARGE + "/admin/").status_code == 404
    not_found = client.get(LARGE + "/en/no-such-page/")
    assert not_found.status_code == 404
    assert 'class="text-large"' in not_found.content.decode()


def test_the_page_cache_keeps_the_two_sizes_apart(client):
    assert client.get(SEED_URL)["X-Page-Cache"] == "miss"
    large = client.get(LARGE + SEED_URL)
    assert large["X-Page-Cache"] == "miss"
    again = client.get(LARGE + SEED_URL)
    assert again["X-Page-Cache"] == "hit" and 'class="text-large"' in again.content.decode()
    usual = client.get(SEED_URL)
    assert usual["X-Page-Cache"] == "hit" and 'class="text-large"' not in usual.content.decode()
