#!/usr/bin/env python
"""What rendering each page type costs in-process, uncached: CPU ms per request and SQL queries.

    .venv/bin/python bench/render.py [-n 200] [--profile "FAQ article"]

Runs on the current DATABASE_URL (SQLite in var/ by default), which must hold the site's content
(`make laws`, or migrate + load_content + import_law). The page cache is off, so every request renders
its page through the whole middleware stack with Django's test client; nothing is written but the
cached fragments of pages (inquiry/core/fragments.py), which a render uses as a page the page cache
does not hold would; --no-fragments renders everything, as the first visit after an edit does. Figures are
the median CPU time (this process's, so other programs on the machine change them little) over N
requests after a few warm-up ones, and the queries of one request. The baseline is the smallest
view (/bench/baseline, as in bench/http.py): the cost of the middleware stack and the test client.
--profile prints cProfile's view of one page type's N renders (--sort: cumulative, or tottime).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# bench/http.py would shadow the standard library's `http` package: keep this folder off the path.
_HERE = str(REPO / "bench")
sys.path[:] = [path for path in sys.path if os.path.abspath(path or os.curdir) != _HERE]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socsec.settings")
os.environ["SOCSEC_PAGE_CACHE"] = "0"
# The request line (one per request, to stderr) would bury the table; its cost is measured by bench/http.py --logs.
os.environ.setdefault("SOCSEC_REQUEST_LOG", "off")
os.environ["SOCSEC_BENCH_VIEWS"] = "1"  # /bench/baseline: the smallest view, for scale
os.environ.pop("DEBUG", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import support  # noqa: E402

SEED = "/en/faq/accidentally-put-money-on-card/"
LAW_ARTICLE = "/en/law/social-insurance-law/14/"
SEARCH = "/en/search/?q=activate"
WARM_UP = 5


def pages(client):
    def get(path):
        response = client.get(path)
        return response.status_code, response.headers, response.content.decode()

    found = [("baseline", "/bench/baseline"), ("home", "/en/"), ("FAQ article", SEED), ("law article", LAW_ARTICLE)]
    guide = support.discover_guide(None, get=get)
    if guide:
        found += [("guide question", guide["question"]), ("guide outcome", guide["outcome"])]
    found.append(("search", SEARCH))
    return found, guide is not None


def measure(client, path, count):
    for _ in range(WARM_UP):
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}: is the content loaded (make laws)?")
    timings = []
    for _ in range(count):
        start = time.process_time()
        client.get(path)
        timings.append((time.process_time() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(timings), min(timings), len(queries), len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--profile", metavar="PAGE", help="profile this page type's N renders with cProfile")
    parser.add_argument("--lines", type=int, default=40, help="lines of profile to print (default 40)")
    parser.add_argument("--no-fragments", action="store_true", help="no cached fragments: every part rendered")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort order (default cumulative; tottime)")
    args = parser.parse_args()

    if args.no_fragments:
        settings.SOCSEC_FRAGMENT_CACHE = False
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    found, has_guide = pages(client)
    vendor = connection.vendor
    say = support.say
    fragments = "on" if settings.SOCSEC_FRAGMENT_CACHE else "off"
    say(
        f"database: {vendor} ({connection.settings_dict['NAME']}), page cache off, fragments {fragments}, "
        f"{args.n} requests per page"
    )
    if not has_guide:
        say("NOTE: no guide found (/en/guide/): guide question/outcome skipped")
    if args.profile:
        path = dict(found).get(args.profile)
        if path is None:
            raise SystemExit(f"no page type {args.profile!r}; one of: {', '.join(name for name, _ in found)}")
        for _ in range(WARM_UP):
            client.get(path)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.n):
            client.get(path)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.lines)
        say(out.getvalue())
        return 0
    say(f"{'page':<16} {'cpu ms median':>13} {'cpu ms min':>10} {'x base':>6} {'queries':>7} {'bytes':>7}  path")
    baseline = None
    for name, path in found:
        median, fastest, queries, size = measure(client, path, args.n)
        baseline = baseline or median
        say(f"{name:<16} {median:>13.2f} {fastest:>10.2f} {baseline / median:>6.2f} {queries:>7} {size:>7}  {path}")
    say("x base: the baseline view's median CPU time over this page's (the throughput ratio on an idle machine).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
