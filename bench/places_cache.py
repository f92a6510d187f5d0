#!/usr/bin/env python
"""Redis memory of a fully warmed page cache with every region: each public page of the sitemap,
nationally and under every region, in both languages, fetched once (a miss that stores it).

    REDIS_URL=redis://127.0.0.1:6379/6 CACHE_KEY_PREFIX=socsec-bench SOCSEC_VAR_DIR=/tmp/socsec-bench \
        .venv/bin/python bench/places_cache.py

Runs on the current DATABASE_URL, which must hold the site's content (migrate + load_content). Prints
the pages stored, the bytes of their stored bodies, and Redis's used_memory before and after (the
cache is cleared first: use a Redis database of your own).
"""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_HERE = str(REPO / "bench")
sys.path[:] = [path for path in sys.path if os.path.abspath(path or os.curdir) != _HERE]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socsec.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from inquiry.places.models import Region  # noqa: E402


def redis_used_memory():
    client = getattr(cache, "_cache", None)
    if client is None or not hasattr(client, "get_client"):
        return None
    return client.get_client().info("memory")["used_memory"]


def main():
    cache.clear()
    before = redis_used_memory()
    client = Client()
    sitemap = client.get("/sitemap.xml").content.decode()
    regions = list(Region.objects.values_list("slug", flat=True))
    locations = [part.split("</loc>")[0].removeprefix("http://testserver") for part in sitemap.split("<loc>")[1:]]
    # The national pages: the sitemap's regional entries are among the pages made below.
    national = sorted({path for path in locations if path.startswith(("/zh-hans/", "/en/"))})
    national = [path for path in national if path.split("/")[2] not in regions]
    stored = body = 0
    for path in national:
        language, rest = path[1:].split("/", 1)
        for region in ["", *regions]:
            url = f"/{language}/{region}/{rest}" if region else path
            response = client.get(url)
            if response.status_code == 200 and response.get("X-Page-Cache") == "miss":
                stored += 1
                body += len(response.content)
    after = redis_used_memory()
    print(f"national pages: {len(national)}; regions: {len(regions)}; pages stored: {stored}")
    print(f"stored bodies: {body / 1e6:.1f} MB")
    if before is not None:
        print(
            f"redis used_memory: before {before / 1e6:.1f} MB, after {after / 1e6:.1f} MB, "
            f"grew {(after - before) / 1e6:.1f} MB"
        )
    else:
        print(f"cache backend {settings.CACHES['default']['BACKEND']}: no Redis to measure")


if __name__ == "__main__":
    main()
