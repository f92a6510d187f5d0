#!/usr/bin/env python
"""Visitors under load while an editor saves an article every few seconds: the share of visitor
requests that were page-cache misses (X-Page-Cache: miss), with precise changes (an edit retires only
the pages that show what it changed, and a django-rq worker renders them again) and, for comparison,
with the whole-site behaviour (every edit retires every page: SOCSEC_PRECISE_CHANGES off).

    REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/edits.py [--seconds 60] [--every 5]
        [--postgres] [--visitors 6] [--pages 300] [--only precise|whole-site]

Production settings, the project's gunicorn config, Redis (REDIS_URL, or the local one; keys under a
unique prefix, removed at the end), SQLite in a temporary folder or a throwaway PostgreSQL database
(--postgres), the shipped content and the law texts. One `manage.py rqworker` serves the re-render
queue. The visitor pages are the sitemap's addresses (both languages, national and regional), each
fetched once before a run so that it starts warm; visitors then ask for them at random over
persistent connections. The edits go through the service layer (`content_save`, what the admin's save
calls), in this process, on a random published article (its English and Chinese titles).
"""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# This folder's http.py would shadow the standard library's `http` package: keep it off the path.
_HERE = str(REPO / "bench")
sys.path[:] = [path for path in sys.path if os.path.abspath(path or os.curdir) != _HERE]
sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import http.client  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
from collections import Counter  # noqa: E402
from contextlib import ExitStack  # noqa: E402

from bench import support  # noqa: E402


def sitemap_paths(server, limit, seed):
    """Paths of the sitemap (and of its other language), at most `limit`, always with the seed FAQ."""
    status, _headers, body = support.fetch(server.url("/sitemap.xml"))
    if status != 200:
        raise RuntimeError(f"/sitemap.xml answered {status}")
    paths = set()
    for loc in re.findall(r'(?:<loc>|href=")([^<"]+)', body):
        path = urllib.parse.urlsplit(loc).path
        if path.startswith(("/en/", "/zh-hans/")):
            paths.add(path)
            paths.add(("/zh-hans/" + path[4:]) if path.startswith("/en/") else ("/en/" + path[9:]))
    paths = sorted(paths)
    random.Random(seed).shuffle(paths)
    return paths[:limit]


class Visitors:
    """Threads asking for random pages over persistent connections; counts X-Page-Cache answers."""

    def __init__(self, server, paths, count):
        self.server, self.paths, self.count = server, paths, count
        self.counts = Counter()
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def run_one(self, number):
        rng = random.Random(number)
        connection = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
        local = Counter()
        while not self.stop.is_set():
            path = rng.choice(self.paths)
            try:
                connection.request("GET", path, headers={**support.FORWARDED, "Accept-Encoding": "gzip, br"})
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
                local["error"] += 1
                continue
            if response.status != 200:
                local[f"status {response.status}"] += 1
            local[response.getheader("X-Page-Cache") or "not cacheable"] += 1
        connection.close()
        with self.lock:
            self.counts.update(local)

    def run(self, seconds):
        threads = [threading.Thread(target=self.run_one, args=(number,)) for number in range(self.count)]
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        self.stop.set()
        for thread in threads:
            thread.join()
        return self.counts


def editor(every, stop, precise, edits):
    """Save a random published article's titles every `every` seconds, through the service layer."""
    from django.conf import settings
    from django.db import close_old_connections

    from inquiry.editorial.services import content_save
    from inquiry.faq.models import Article

    settings.SOCSEC_PRECISE_CHANGES = precise
    rng = random.Random(7)
    pks = list(Article.objects.published().values_list("pk", flat=True))
    while not stop.wait(every):
        article = Article.objects.get(pk=rng.choice(pks))
        mark = f" ·{edits[0] + 1}"
        article.title_en = re.sub(r" ·\d+$", "", article.title_en) + mark
        article.title_zh_hans = re.sub(r" ·\d+$", "", article.title_zh_hans) + mark
        content_save(obj=article, reason="bench/edits.py")
        edits[0] += 1
        close_old_connections()


def warm(server, paths):
    """Fetch each page once (stored); the pages that answer 200 (a guide's start redirects)."""
    return [path for path in paths if support.fetch(server.url(path))[0] == 200]


def one_run(server, paths, args, precise):
    paths = warm(server, paths)
    stop = threading.Event()
    edits = [0]
    thread = threading.Thread(target=editor, args=(args.every, stop, precise, edits))
    thread.start()
    counts = Visitors(server, paths, args.visitors).run(args.seconds)
    stop.set()
    thread.join()
    return counts, edits[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="length of each run (default 60)")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between two edits (default 5)")
    parser.add_argument("--visitors", type=int, default=6, help="concurrent visitors (default 6)")
    parser.add_argument("--pages", type=int, default=300, help="distinct pages visitors ask for (default 300)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--only", choices=["precise", "whole-site"], help="one run only")
    args = parser.parse_args()
    if not support.redis_url():
        sys.exit("needs Redis (REDIS_URL, or a local one): production's page cache and queue live there")

    with ExitStack() as stack:
        site = support.Site(stack, "edits", use_postgres=args.postgres, use_redis=True)
        support.say(f"Database: {site.database}\nCache: {site.cache}\nPreparing (migrate, content, laws)…")
        site.prepare()
        # This process edits through the service layer: the same settings, database and Redis.
        os.environ.update(site.env)
        import django

        django.setup()
        from django.conf import settings

        server = site.serve("edits")
        worker = subprocess.Popen(
            [
                support.PYTHON,
                "manage.py",
                "rqworker",
                settings.SOCSEC_RERENDER_QUEUE,
                "--worker-class",
                "rq.SimpleWorker",
            ],
            cwd=REPO,
            env=site.env,
            stdout=open(site.workdir / "worker.log", "w"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        stack.callback(lambda: (os.killpg(worker.pid, signal.SIGTERM), worker.wait(timeout=30)))
        import django_rq

        stack.callback(django_rq.get_queue(settings.SOCSEC_RERENDER_QUEUE).empty)
        paths = warm(server, sitemap_paths(server, args.pages, seed=1))
        support.say(
            f"{len(paths)} pages, {args.visitors} visitors, an edit every {args.every:g} s, {args.seconds} s per run\n"
        )
        runs = [("precise", True), ("whole-site", False)]
        if args.only:
            runs = [run for run in runs if run[0] == args.only]
        support.say(f"{'behaviour':<12} {'requests':>9} {'misses':>7} {'miss share':>10} {'edits':>6}  other")
        for name, precise in runs:
            counts, edits = one_run(server, paths, args, precise)
            requests = counts["hit"] + counts["miss"] + counts["not cacheable"]
            share = counts["miss"] / requests if requests else 0.0
            other = {key: value for key, value in counts.items() if key not in ("hit", "miss")}
            support.say(f"{name:<12} {requests:>9} {counts['miss']:>7} {share:>10.2%} {edits:>6}  {other or ''}")


if __name__ == "__main__":
    main()
