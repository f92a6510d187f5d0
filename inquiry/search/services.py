"""Writes to the search index. Each keeps the documents of one object in step with it, inside the
caller's transaction, so an edit and its index entries are committed (or rolled back) together."""

import datetime

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
            title_tokens=document_tokens(page.title),
            body_tokens=document_tokens(page.body),
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

PRUNED_KEY = "search:unanswered:pruned:{day}"
COUNTED_KEY = "search:unanswered:counted:{day}"
# A bound on what a script typing random words can make the log hold: past this many logged searches
# in a day (far beyond what people type here), the rest of the day's are not logged.
MAX_LOGGED_PER_DAY = 20_000
DAY_SECONDS = 60 * 60 * 25


def _day_count(cache, key):
    """Add one to a per-day counter in the shared cache; 0 when the cache cannot be used."""
    try:
        cache.add(key, 0, timeout=DAY_SECONDS)
        return cache.incr(key)
    except Exception:  # noqa: BLE001 - a cache outage must not break searching (nor stop the log)
        return 0


def record_unanswered_search(*, query, language, results, today=None):
    """Count one search that found no or few pages: one upsert, nothing about who searched.

    The words are stored trimmed and capped; rows older than LOG_KEEP_DAYS are dropped once a day,
    by the first search that day (or by `manage.py prune_search_log`).
    """
    from django.core.cache import cache

    from .models import LOG_KEEP_DAYS, LOGGED_QUERY_CHARS, UnansweredSearch

    words = " ".join(str(query).split())[:LOGGED_QUERY_CHARS].strip()
    if not words:
        return
    today = today or timezone.localdate()
    if _day_count(cache, COUNTED_KEY.format(day=today.isoformat())) > MAX_LOGGED_PER_DAY:
        return
    table = connection.ops.quote_name(UnansweredSearch._meta.db_table)
    # INSERT … ON CONFLICT DO UPDATE is the same on SQLite (3.24+) and PostgreSQL: one statement,
    # no race between two servers counting the same words.
    upsert = (
        f"INSERT INTO {table} (day, language, query, results, searches) VALUES (%s, %s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (day, language, query) DO UPDATE SET searches = {table}.searches + 1, results = excluded.results"
    )  # the table name is the model's own; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(upsert, [today, language[:10], words, results])
    try:
        first_today = cache.add(PRUNED_KEY.format(day=today.isoformat()), 1, timeout=DAY_SECONDS)
    except Exception:  # noqa: BLE001 - a cache outage must not break searching; the command still prunes
        first_today = False
    if first_today:
        prune_unanswered_searches(today=today, keep_days=LOG_KEEP_DAYS)


def prune_unanswered_searches(*, today=None, keep_days=None) -> int:
    """Drop the rows older than `keep_days` (LOG_KEEP_DAYS) days; returns how many."""
    from .models import LOG_KEEP_DAYS, UnansweredSearch

    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=LOG_KEEP_DAYS if keep_days is None else keep_days)
    deleted, _by_model = UnansweredSearch.objects.filter(day__lt=cutoff).delete()
    return deleted
