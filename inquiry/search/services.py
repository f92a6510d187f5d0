"""Writes to the search index. Each keeps the documents of one object in step with it, inside the
caller's transaction, so an edit and its index entries are committed (or rolled back) together."""

import datetime
import threading
from contextlib import nullcontext

from django.db import connection, transaction
from django.utils import timezone

from .backends import index_for
from .models import Document
from .providers import all_providers
from .text import document_tokens


def _documents(provider, objects):
    objects = list(objects)
    if provider.prepare and objects:
        provider.prepare(objects)
    return [
        Document(
            kind=provider.kind,
            object_id=obj.pk,
            language=page.language,
            title=page.title,
            body=page.body,
            url=page.url,
            visible_from=page.visible_from,
            questions="\n".join(part for part in (page.title, page.also_asked) if part),
            title_tokens=document_tokens(page.title),
            # Other phrasings of the question are found like the page's text. (As part of the title they
            # put pages in the title tier for words their visible title lacks: 393 of 473 shown and
            # tuning questions answered in the top 3, against 399 this way and 397 without them.)
            body_tokens=document_tokens("\n".join(part for part in (page.body, page.also_asked) if part)),
        )
        for obj in objects
        for page in provider.pages(obj)
    ]


@transaction.atomic
def index_objects(*, provider, object_ids):
    """Write the documents of these objects afresh: none for one that is gone or not public (a draft,
    say). A fixed number of queries for any number of objects."""
    object_ids = list(object_ids)
    if not object_ids:
        return
    Document.objects.filter(kind=provider.kind, object_id__in=object_ids).delete()
    Document.objects.bulk_create(_documents(provider, provider.queryset().filter(pk__in=object_ids)))


def index_object(*, provider, object_id):
    index_objects(provider=provider, object_ids=[object_id])


@transaction.atomic
def remove_object(*, provider, object_id):
    Document.objects.filter(kind=provider.kind, object_id=object_id).delete()


@transaction.atomic
def rebuild_index(*, progress=None) -> dict:
    """Drop every document and index every public object again. Returns {kind: documents written}."""
    index = index_for(connection)
    with connection.cursor() as cursor:
        index.reset(cursor)
    counts = {}
    for provider in all_providers():
        batch, written = [], 0
        for objects in _chunks(provider.queryset().iterator(chunk_size=500), 500):
            batch.extend(_documents(provider, objects))
            if len(batch) >= 1000:
                Document.objects.bulk_create(batch)
                written += len(batch)
                batch = []
                if progress:
                    progress(provider.kind, written)
        Document.objects.bulk_create(batch)
        counts[provider.kind] = written + len(batch)
    with connection.cursor() as cursor:
        index.rebuilt(cursor)
    return counts


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- What visitors searched for in vain ---------------------------------------------------------------
#
# A search that found no or few pages is not written while the visitor waits: it is added to this
# process's pending counts (`note_unanswered_search`), and the pending counts are written after the
# response has been sent (`flush_unanswered_searches`, from the response's close), all of them in one
# transaction. While one thread writes, the others only add to the pending counts, so searches never
# queue behind one another's writes (SQLite has one writer at a time).

PRUNED_KEY = "search:unanswered:pruned:{day}"
COUNTED_KEY = "search:unanswered:counted:{day}"
# A bound on what a script typing random words can make the log hold: past this many logged searches
# in a day (far beyond what people type here), the rest of the day's are not logged.
MAX_LOGGED_PER_DAY = 20_000
# And on the whole log: once it holds this many rows, no search is counted (new words or not) until old
# rows are dropped; the report says so.
MAX_LOG_ROWS = 100_000
DAY_SECONDS = 60 * 60 * 25

_pending = {}  # (day, language, words) → [searches, results]
_pending_lock = threading.Lock()
_writing = threading.Lock()


def _day_count(cache, key, searches):
    """Add `searches` to a per-day counter in the shared cache; 0 when the cache cannot be used."""
    try:
        cache.add(key, 0, timeout=DAY_SECONDS)
        return cache.incr(key, searches)
    except Exception:  # noqa: BLE001 - a cache outage must not break searching (nor stop the log)
        return 0


def note_unanswered_search(*, query, language, results, today=None):
    """Count one search that found no or few pages, to be written by the next flush. Only the words
    (trimmed, capped), the language, the number of results and the day: nothing about who searched."""
    from .models import LOGGED_QUERY_CHARS

    words = " ".join(str(query).split())[:LOGGED_QUERY_CHARS].strip()
    if not words:
        return
    key = (today or timezone.localdate(), language[:10], words)
    with _pending_lock:
        entry = _pending.setdefault(key, [0, results])
        entry[0] += 1
        entry[1] = results


def record_unanswered_search(*, query, language, results, today=None):
    """Count one search that found no or few pages and write it now (with anything else pending)."""
    note_unanswered_search(query=query, language=language, results=results, today=today)
    flush_unanswered_searches()


def flush_unanswered_searches() -> int:
    """Write the pending counts: one upsert per (day, language, words), in one transaction. Returns
    the number of searches written; 0 at once when another thread is writing (it takes these too)."""
    if not _writing.acquire(blocking=False):
        return 0
    try:
        written = 0
        while True:
            with _pending_lock:
                batch = dict(_pending)
                _pending.clear()
            if not batch:
                return written
            written += _write(batch)
    finally:
        _writing.release()


def flush_after_request(**_kwargs):
    """`request_finished` receiver: nothing to do (and no query) unless a search is pending. Django's
    own receiver has already handed the request's connection back; the one the flush took is handed
    back the same way (outside a transaction: tests run inside one)."""
    if _pending:
        flush_unanswered_searches()
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def _within_day_bound(batch):
    """The batch less what is past MAX_LOGGED_PER_DAY on its day (a per-day counter in the shared
    cache, so the bound holds across processes)."""
    from inquiry.core.cache import state_cache

    cache = state_cache()
    kept, per_day = [], {}
    for (day, language, words), (searches, results) in batch.items():
        per_day.setdefault(day, []).append((day, language, words, searches, results))
    for day, rows in per_day.items():
        counted = _day_count(cache, COUNTED_KEY.format(day=day.isoformat()), sum(row[3] for row in rows))
        room = MAX_LOGGED_PER_DAY - (counted - sum(row[3] for row in rows)) if counted else MAX_LOGGED_PER_DAY
        for day_, language, words, searches, results in rows:
            if room <= 0:
                break
            kept.append((day_, language, words, min(searches, room), results))
            room -= searches
    return kept


def _write(batch) -> int:
    from inquiry.core.cache import state_cache

    from .models import LOG_KEEP_DAYS, UnansweredSearch

    rows = _within_day_bound(batch)
    if not rows:
        return 0
    table = connection.ops.quote_name(UnansweredSearch._meta.db_table)
    # INSERT … ON CONFLICT DO UPDATE is the same on SQLite (3.24+) and PostgreSQL: one statement per
    # row, no race between two servers counting the same words. The WHERE is the bound on the whole
    # log: once it holds MAX_LOG_ROWS rows, nothing more is counted until old rows are dropped.
    upsert = (
        f"INSERT INTO {table} (day, language, query, results, searches) "  # noqa: S608
        f"SELECT %s, %s, %s, %s, %s WHERE (SELECT count(*) FROM {table}) < %s "
        f"ON CONFLICT (day, language, query) DO UPDATE SET searches = {table}.searches + excluded.searches, "
        "results = excluded.results"
    )  # the table name is the model's own; every value is a parameter
    values = [
        (day, language, words, results, searches, MAX_LOG_ROWS) for day, language, words, searches, results in rows
    ]
    # Several rows in one transaction (one write lock on SQLite); a single one needs none.
    with transaction.atomic() if len(values) > 1 else nullcontext(), connection.cursor() as cursor:
        cursor.executemany(upsert, values)
    for day in {row[0] for row in rows}:
        try:
            first_that_day = state_cache().add(PRUNED_KEY.format(day=day.isoformat()), 1, timeout=DAY_SECONDS)
        except Exception:  # noqa: BLE001 - a cache outage must not break searching; the command still prunes
            first_that_day = False
        if first_that_day:
            prune_unanswered_searches(today=day, keep_days=LOG_KEEP_DAYS)
    return sum(row[3] for row in rows)


def log_is_full() -> bool:
    """Whether the log holds MAX_LOG_ROWS rows, so that new searches are not logged (for the report)."""
    from .models import UnansweredSearch

    return UnansweredSearch.objects.count() >= MAX_LOG_ROWS


def prune_unanswered_searches(*, today=None, keep_days=None) -> int:
    """Drop the rows older than `keep_days` (LOG_KEEP_DAYS) days; returns how many."""
    from .models import LOG_KEEP_DAYS, UnansweredSearch

    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=LOG_KEEP_DAYS if keep_days is None else keep_days)
    deleted, _by_model = UnansweredSearch.objects.filter(day__lt=cutoff).delete()
    return deleted
