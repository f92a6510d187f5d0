"""Render again, in the background, the stored pages a precise change retired (`generation.py`).

A page is rendered again by requesting it: anonymously, through the whole middleware stack (Django's
test client), at the address it was stored under, so what is stored is exactly what a visitor would
get: each language and region that had the page stored is its own address. The addresses come from
the tags' index (`page_tags.addresses`), newest first, at most `MAX_PAGES` per change; a page left out
is rendered by its next visitor.

Where it runs (settings.SOCSEC_RERENDER):
- "rq": a job on the django-rq queue settings.SOCSEC_RERENDER_QUEUE, in the Redis production already
  runs (`manage.py rqworker <queue>`; docs/operations.md). The default when REDIS_URL is set.
- "thread": a thread of the process that saved, after the commit. The default without Redis (the
  embedded SQLite site needs no other process).
- "sync": at once, in the saving request (tests).
- "off": never; every retired page is rendered by its next visitor.
"""

import logging
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections

from . import page_tags

logger = logging.getLogger(__name__)

MAX_PAGES = 500
# Threads of the "thread" mode still running (tests wait for them).
_threads = set()
_threads_lock = threading.Lock()


def mode():
    chosen = getattr(settings, "SOCSEC_RERENDER", "") or ""
    if chosen:
        return chosen
    return "rq" if getattr(settings, "RQ_QUEUES", None) else "thread"


def schedule(tags):
    """Have the pages showing `tags` rendered again (called after the change was committed)."""
    tags = sorted(tags)
    how = mode()
    if how == "off":
        return
    if how == "sync":
        rerender(tags)
    elif how == "rq":
        try:
            import django_rq

            django_rq.get_queue(settings.SOCSEC_RERENDER_QUEUE).enqueue(rerender, tags)
        except Exception:  # noqa: BLE001 - Redis down: the pages are rendered by their next visitors
            logger.warning("Could not queue the re-render of %d tag(s)", len(tags), exc_info=True)
    else:
        thread = threading.Thread(target=_in_thread, args=(tags,), name="socsec-rerender", daemon=True)
        with _threads_lock:
            _threads.add(thread)
        thread.start()


def _in_thread(tags):
    try:
        rerender(tags)
    except Exception:  # noqa: BLE001 - a thread has nobody to raise to
        logger.exception("Re-rendering pages failed")
    finally:
        connections.close_all()
        with _threads_lock:
            _threads.discard(threading.current_thread())


def wait(timeout=60):
    """Wait for the re-render threads of this process to finish (tests, the bench)."""
    with _threads_lock:
        running = list(_threads)
    for thread in running:
        thread.join(timeout)


def rerender(tags):
    """Request every address stored pages showing `tags` were kept under; returns how many were
    stored again (the others were current already, or are no longer pages)."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    stored = 0
    for url in page_tags.addresses(tags)[:MAX_PAGES]:
        origin, rest = _split(url)
        parts = urlsplit(origin or settings.SITE_URL or "http://localhost")
        client.cookies.clear()  # anonymous, every time
        try:
            response = client.get(
                rest,
                headers={"host": parts.netloc},
                secure=parts.scheme == "https",
            )
        except Exception:  # noqa: BLE001 - one page failing must not stop the others
            logger.warning("Re-rendering %s failed", url, exc_info=True)
            continue
        if response.get("X-Page-Cache") == "miss":
            stored += 1
    return stored


def _split(url):
    """(origin, path?query) of an address as `page_cache.page_url` writes it."""
    if url.startswith("/"):
        return "", url
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}", url[len(parts.scheme) + 3 + len(parts.netloc) :]
