"""Pages of the site as a whole: home, the language from the browser, 404 pages, health and robots.txt.
The pages of each app are tested beside it (tests/faq, tests/law, tests/cards, tests/guide)."""

import re
import shutil
from html import unescape

import pytest
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.utils.html import escape

from inquiry.faq.models import Topic
from tests.support.html import get_ok

LANGUAGES = ["zh-hans", "en"]
SEED = "accidentally-put-money-on-card"


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_content")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_home(client, lang):
    html = get_ok(client, f"/{lang}/")
    tag = "zh-Hans" if lang == "zh-hans" else "en"
    assert f'<html lang="{tag}">' in html
    assert "<svg" in html and 'role="img"' in html and "<title" in html
    for topic in Topic.objects.all()[:3]:
        assert escape(topic.title_zh_hans if lang == "zh-hans" else topic.title_en) in html
    assert f"/{lang}/faq/{SEED}/" in html


HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_picture_is_named_in_the_page_language(client, lang):
    """The SVG's accessible name (the elements its aria-labelledby names) is what a screen reader
    says: in Chinese on the Chinese page, in English on the English one."""
    html = get_ok(client, f"/{lang}/")
    svg = re.search(r'<svg class="two-accounts"[^>]*aria-labelledby="([^"]+)"', html)
    assert svg, "the home page has no labelled two-accounts picture"
    parts = []
    for element_id in svg.group(1).split():
        found = re.search(rf'<(title|desc) id="{element_id}">([^<]+)</\1>', html)
        assert found, element_id
        parts.append(unescape(found.group(2)))
    name = parts[0]
    for text in parts:
        if lang == "zh-hans":
            assert len(HAN.findall(text)) > len(re.findall(r"[A-Za-z]", text)), text
        else:
            assert not HAN.search(text), text
    assert name == ("社保卡上的两个账户" if lang == "zh-hans" else "The two accounts on a social security card")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/zh-hans/faq/no-such-question/",
        "/en/faq/topic/no-such-topic/",
        "/en/law/no-such-law/",
        "/en/law/social-insurance-law/9999/",
        "/zh-hans/card/procedures/no-such-procedure/",
        "/fr/faq/",
        "/en/nowhere/",
    ],
)
def test_unknown_things_give_a_404_page_in_the_site_look(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "expected"),
    [("en-US,en;q=0.9", "/en/"), ("zh-CN,zh;q=0.9", "/zh-hans/"), ("fr-FR", "/zh-hans/"), ("", "/zh-hans/")],
)
def test_root_picks_a_language_from_the_browser(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


class CountingFileCache(FileBasedCache):
    """Django's file cache (the embedded default's), counting the values written to it."""

    writes = 0

    def set(self, *args, **kwargs):
        type(self).writes += 1
        return super().set(*args, **kwargs)


@pytest.fixture
def file_cache(settings, tmp_path):
    CountingFileCache.writes = 0
    settings.CACHES = {
        alias: {"BACKEND": "tests.core.test_pages.CountingFileCache", "LOCATION": str(tmp_path / alias)}
        for alias in ("default", "state")
    }
    return tmp_path / "default"


def test_healthz_does_not_write_to_the_file_cache_on_every_probe(client, db, file_cache):
    for _ in range(3):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["cache"] == "ok"
    assert CountingFileCache.writes == 1


def test_healthz_notices_a_cache_that_lost_its_value_and_one_that_cannot_store(client, db, file_cache):
    assert client.get("/healthz").json()["cache"] == "ok"
    caches["default"].clear()
    assert client.get("/healthz").json()["cache"] == "ok"  # read back nothing: written again
    assert CountingFileCache.writes == 2

    caches["default"].clear()
    shutil.rmtree(file_cache, ignore_errors=True)
    file_cache.write_text("a file where the cache's folder should be")
    response = client.get("/healthz")
    assert response.status_code == 200  # the site works without its cache
    assert response.json()["cache"] == "unavailable"


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Disallow: /admin/" in response.content.decode()
