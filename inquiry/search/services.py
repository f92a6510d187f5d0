"""Writes to the search index. Each keeps the documents of one object in step with it, inside the
caller's transaction, so an edit and its index entries are committed (or rolled back) together."""

from django.db import connection, transaction

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
