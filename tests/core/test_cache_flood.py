"""Junk cannot fill the page cache: random query parameters (`?cb=…`, `utm_*`) and made-up session or
messages cookies add no page to it, while the pages themselves are still answered (from the cache)."""

import random
import string
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]

PAGES = [
    "/zh-hans/",
    "/en/faq/",
    "/en/faq/accidentally-put-money-on-card/",
    "/zh-hans/law/social-insurance-law/",
    "/en/card/",
    "/en/search/?q=card",
    "/en/guide/what-happened-to-my-money/activated/?money-source=deposited-myself",
    "/en/guide/",
]
# Pages nobody asked for before the junk: rendered for it, never stored.
COLD_PAGES = ["/en/law/social-insurance-law/5/", "/zh-hans/card/", "/en/search/?q=pension"]
REQUESTS = 5000


def stored_keys():
    """How many keys the page cache (the default alias) holds, counted in the backend itself."""
    cache = caches["default"]
    if settings.REDIS_URL:
        client = cache._cache.get_client(None)
        return sum(1 for _ in client.scan_iter(match=cache.make_key("*"), count=1000))
    return sum(1 for _ in Path(settings.CACHES["default"]["LOCATION"]).glob("*.djcache"))


def junk(rng):
    word = "".join(rng.choices(string.ascii_lowercase + string.digits, k=rng.randint(1, 12)))
    name = rng.choice(["cb", "utm_source", "utm_campaign", "fbclid", "_", word])
    return f"{name}={word}"


def with_junk(path, rng):
    separator = "&" if "?" in path else "?"
    return path + separator + "&".join(junk(rng) for _ in range(rng.randint(1, 3)))


def test_thousands_of_junk_requests_add_no_page_cache_entries(client):
    for path in PAGES:
        assert client.get(path).status_code == 200
    before = stored_keys()
    assert before >= len(PAGES)

    rng = random.Random(22)
    statuses = {}
    hits = 0
    for number in range(REQUESTS):
        path = rng.choice(PAGES if number % 50 else COLD_PAGES)
        cookies = {}
        if number % 7 == 0:
            cookies["HTTP_COOKIE"] = f"sessionid={''.join(rng.choices(string.ascii_lowercase, k=32))}"
        elif number % 11 == 0:
            cookies["HTTP_COOKIE"] = f"messages={junk(rng)}"
        response = client.get(with_junk(path, rng), **cookies)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        hits += response.get("X-Page-Cache") == "hit"
        client.cookies.clear()

    assert stored_keys() == before
    # Every page answered: 200, and the guide's redirect of answers that are not answers.
    assert set(statuses) <= {200, 302}, statuses
    assert hits > REQUESTS * 0.8
