"""The content generation: one value in the shared cache that changes whenever public content changes.

It lives in the "state" cache alias (`state_cache()`: in production a Redis that never evicts), not
beside the pages: an evicted generation would start a new one on every server at once.

A stored page names the generation it was rendered in (see `page_cache.py`), so bumping it retires
every cached page at once, on every server that shares the cache (Redis in production). Nothing is
deleted; old pages are rendered again by their next visitor, or expire.

What changes it: every save, delete and many-to-many change of a model subclassing `EditableContent`
(and of its many-to-many through models), plus models an app registers with `track_content_model()`.
Models that do not change what a public page shows (feedback, history records, sessions, users) are
not tracked. Writes that send no signals (`bulk_create`, `QuerySet.update()`) must call
`content_changed()` themselves.

Not every change bumps it. A *precise* change (an existing row's text edited, a draft added) retires
only the stored pages that showed the rows it wrote (`page_tags.py`), plus the search pages, and has
those pages rendered again in the background (`rerender.py`). A change is precise unless it may change
which rows a page lists or finds: a row added (other than a draft) or deleted, a many-to-many change,
a changed relation, slug, unique or ordering field, status or publish date, any row of a model in
settings.SOCSEC_SITE_WIDE_MODELS (read without loading rows: regions, local values, synonyms), a
`one_change(site_wide=True)` (load_content, a restore) or a `content_changed()` call. Those bump the
generation, as before.

The generation also knows the next time a scheduled item becomes public (the earliest future
`published_at` of any tracked model): once that moment passes, the first request bumps it, so a page
published for 09:00 shows at 09:00 without a scheduler.
"""

import datetime
import functools
import logging
import threading
import time
import uuid
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import Signal
from django.utils import timezone

from . import page_tags
from .cache import state_cache

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-generation"
SCHEDULE_FIELD = "published_at"
COLD_START_RECHECK = 60  # seconds
# Long, but not forever: a generation that expires only means one more cold start.
GENERATION_TIMEOUT = 60 * 60 * 24 * 30

_tracked = set()
_batch = threading.local()

# Sent once per `content_changed()`: one change of public content, however many rows it wrote (a test
# counts one per admin save). Nothing depends on it to work.
content_change = Signal()


def current_generation():
    """The content generation, for what is built from all content and kept (the search's thesaurus
    and word counts, per process): a dict like `_stored_generation()`'s, whose `id` also changes with
    every precise change (`page_tags.SEQ_KEY`). None when the cache cannot be used."""
    entry, seq = current_state()
    if entry is None or not seq:
        return entry
    return {**entry, "id": f"{entry['id']}.{seq}"}


def _stored_generation():
    """The current generation, created if the cache has none; None when the cache cannot be used.

    Returns a dict: `id` (changes on every bump), `changed` (epoch seconds of the last change, the
    pages' Last-Modified) and `until` (epoch seconds when a scheduled item becomes public, or None).
    """
    cache = state_cache()
    entry = cache.get(GENERATION_KEY)
    if entry is None:
        # A cold cache. Start without asking the database for the publication schedule (this request
        # may need no database at all, and the database may be down); ask within a minute instead.
        fresh = {"id": uuid.uuid4().hex[:16], "changed": time.time(), "until": time.time() + COLD_START_RECHECK}
        # add(), not set(): when several servers start at once they all end up with the same value.
        cache.add(GENERATION_KEY, fresh, timeout=GENERATION_TIMEOUT)
        entry = cache.get(GENERATION_KEY)
        if entry is None:  # the cache does not keep what we give it: it is unreachable
            return None
    if entry.get("until") is not None and time.time() >= entry["until"]:
        entry = bump_generation()
    return entry


def current_state():
    """(generation, sequence of precise changes) in one read of the state cache; (None, None) when the
    cache cannot be used. The page cache's lookup: `_stored_generation()` and `page_tags.SEQ_KEY`."""
    found = state_cache().get_many([GENERATION_KEY, page_tags.SEQ_KEY])
    entry = found.get(GENERATION_KEY)
    if entry is None:
        entry = _stored_generation()  # a cold cache (or an unreachable one)
    elif entry.get("until") is not None and time.time() >= entry["until"]:
        entry = bump_generation()
    return entry, found.get(page_tags.SEQ_KEY)


def bump_generation():
    """Start a new generation now (every cached page is retired) and return it."""
    entry = _new_generation()
    state_cache().set(GENERATION_KEY, entry, timeout=GENERATION_TIMEOUT)
    return entry


def content_changed(using=DEFAULT_DB_ALIAS):
    """Public content changed (or will, when the current transaction commits).

    Bumps at once, so the change shows on the next request even inside a transaction that is never
    committed (tests), and again after commit: a page rendered from the old rows between the first
    bump and the commit would otherwise be cached under the new generation.
    """
    bump_generation()
    content_change.send(sender=None, using=using, tags=None)
    if connections[using].in_atomic_block:
        transaction.on_commit(_after_commit_bump(using), using=using, robust=True)


def rows_changed(tags, using=DEFAULT_DB_ALIAS):
    """A precise change: the rows named by `tags` changed their text, nothing else (see the module
    docstring). Retires the stored pages that show them and the search pages, at once and again after
    commit (as `content_changed` does), then has them rendered again (`rerender.py`)."""
    tags = {*tags, page_tags.SEARCH_TAG}
    page_tags.bump(tags)
    content_change.send(sender=None, using=using, tags=tags)
    if connections[using].in_atomic_block:
        transaction.on_commit(lambda: _after_commit_tags(tags), using=using, robust=True)
    else:
        _after_commit_tags(tags)


def _after_commit_tags(tags):
    from .rerender import schedule

    page_tags.bump(tags)
    schedule(tags)


class _Pending:
    def __init__(self):
        self.tags = set()
        self.site_wide = False


@contextmanager
def one_change(using=DEFAULT_DB_ALIAS, site_wide=False):
    """Many writes, one change: inside, saves and deletes of tracked models are gathered (a restore
    writes thousands of rows, and each bump reads the publication schedule); leaving the block
    normally makes one change of them all: precise if every write was, else a bump of the generation,
    as `content_changed` does. `site_wide=True` bumps the generation whatever was written (load_content,
    a restore). An exception leaves it alone: the transaction the writes were in rolls back."""
    depth = getattr(_batch, "depth", 0)
    if depth == 0:
        _batch.pending = _Pending()
    pending = _batch.pending
    pending.site_wide = pending.site_wide or site_wide
    _batch.depth = depth + 1
    try:
        yield
    finally:
        _batch.depth = depth
        if depth == 0:
            _batch.pending = None
    if depth == 0:
        _apply(using, pending.tags, pending.site_wide)


def _apply(using, tags, site_wide):
    if site_wide or not tags:
        content_changed(using=using)
    else:
        rows_changed(tags, using=using)


def _record(using, tags=(), site_wide=False):
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending.tags.update(tags)
        pending.site_wide = pending.site_wide or site_wide
        return
    _apply(using, set(tags), site_wide)


def track_content_model(model):
    """Bump the generation on every save, delete and many-to-many change of `model`."""
    if model in _tracked:
        return
    _tracked.add(model)
    pre_save.connect(_on_pre_save, sender=model, dispatch_uid=f"page-generation-pre-save-{model._meta.label}")
    post_save.connect(_on_save_or_delete, sender=model, dispatch_uid=f"page-generation-save-{model._meta.label}")
    post_delete.connect(_on_save_or_delete, sender=model, dispatch_uid=f"page-generation-delete-{model._meta.label}")
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(_on_m2m_changed, sender=through, dispatch_uid=f"page-generation-m2m-{through._meta.label}")
        if not through._meta.auto_created and through not in _tracked:
            track_content_model(through)


def track_editable_content():
    """Track every concrete model that subclasses `EditableContent`, whichever app defines it."""
    from .models import EditableContent

    for model in apps.get_models():
        if issubclass(model, EditableContent) and not model._meta.abstract:
            track_content_model(model)


# The fields of EditableContent and Publishable that say who did what: they change on every save and
# decide no list.
_STAMPS = {"created_by", "updated_by", "reviewed_by"}
_ALWAYS_STRUCTURAL = {"status", "published_at"}


@functools.cache
def _structural_fields(model):
    """The fields whose change may change which rows a page lists or finds, or an address."""
    meta = model._meta
    named = {name.lstrip("-").split("__")[0] for name in meta.ordering if isinstance(name, str)}
    for group in meta.unique_together:
        named.update(group)
    for constraint in meta.constraints:
        named.update(getattr(constraint, "fields", ()) or ())
    fields = tuple(
        field.attname
        for field in meta.concrete_fields
        if field.name not in _STAMPS
        and (
            field.is_relation
            or field.unique
            or isinstance(field, models.SlugField)
            or field.name in _ALWAYS_STRUCTURAL
            or field.name in named
        )
    )
    return fields


def _is_site_wide_model(model):
    return model._meta.concrete_model._meta.label_lower in {
        label.lower() for label in getattr(settings, "SOCSEC_SITE_WIDE_MODELS", ())
    }


def _on_pre_save(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    """Decide, before the row is written, whether saving it is a precise change (`_record` below)."""
    pending = getattr(_batch, "pending", None)
    if (
        raw
        or not getattr(settings, "SOCSEC_PRECISE_CHANGES", True)
        or _is_site_wide_model(sender)
        or (pending is not None and pending.site_wide)
    ):
        instance._page_change_precise = False
        return
    if instance._state.adding:
        # A new draft shows nowhere; anything else new may appear in lists.
        instance._page_change_precise = getattr(instance, "status", None) == "draft"
        return
    fields = _structural_fields(sender)
    old = sender._base_manager.using(using).filter(pk=instance.pk).values(*fields).first()
    instance._page_change_precise = old is not None and all(old[name] == getattr(instance, name) for name in fields)


def _on_save_or_delete(sender, instance, using=DEFAULT_DB_ALIAS, signal=None, **kwargs):
    precise = signal is post_save and instance.__dict__.pop("_page_change_precise", False)
    if precise:
        _record(using, tags={page_tags.tag_for(sender, instance.pk)})
    else:
        _record(using, site_wide=True)


def _on_m2m_changed(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _record(using, site_wide=True)


def _after_commit_bump(using):
    """A callback for `on_commit` that bumps the generation unless another callback of the same commit
    already did: every change in a transaction registers one, and only the first that runs bumps.

    Each callback carries the connection's current token; the one that bumps replaces the token, so the
    others of that commit find it changed. Callbacks dropped by a rollback never run and change nothing.
    (Uses only `on_commit`, not the shape of Django's private list of pending callbacks.)
    """
    tokens = _commit_tokens()
    token = tokens.setdefault(using, object())

    def bump_once():
        if tokens.get(using) is token:
            tokens[using] = object()
            bump_generation()

    return bump_once


def _commit_tokens():
    # Connections are per thread, and so are their transactions.
    tokens = getattr(_batch, "commit_tokens", None)
    if tokens is None:
        tokens = _batch.commit_tokens = {}
    return tokens


def _new_generation():
    until = _next_scheduled_change()
    return {
        "id": uuid.uuid4().hex[:16],
        "changed": time.time(),
        "until": until.timestamp() if until else None,
    }


def _next_scheduled_change():
    """The earliest future `published_at` among tracked models (one small query per such model)."""
    now = timezone.now()
    earliest = None
    try:
        for model in _tracked:
            if not any(field.name == SCHEDULE_FIELD for field in model._meta.concrete_fields):
                continue
            value = (
                model._default_manager.filter(**{f"{SCHEDULE_FIELD}__gt": now})
                .aggregate(next=Min(SCHEDULE_FIELD))
                .get("next")
            )
            if value is not None and (earliest is None or value < earliest):
                earliest = value
    except DatabaseError:
        # No database: the page cache still works for what it has; check again in a minute.
        logger.warning("Could not read scheduled publication dates; will retry", exc_info=False)
        return now + datetime.timedelta(minutes=1)
    return earliest
