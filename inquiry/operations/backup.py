"""Back up and restore everything people made on the site, as one JSON file.

Generic over the installed apps: every model of every installed app is included, except what is
derived from other rows or does not outlive a visit (see EXCLUDED). A model added by any app later is
backed up without a change here. Rows keep their primary keys, because history records, admin log
entries and links between rows refer to them; content types and permissions travel by natural key,
since `migrate` numbers them differently on each database.

The file records the migrations it was made at: a backup is restored by the same release (or after
migrating to that release), never into a schema it does not fit.
"""

import datetime
import gzip
import io
import json
from collections import Counter

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import deserialize_fk_value, deserialize_m2m_values
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

from inquiry.core.generation import one_change
from inquiry.search.services import rebuild_index

FORMAT = "socsec-backup"
VERSION = 1

# Derived or short-lived: rebuilt or recreated, never restored.
EXCLUDED = {
    "contenttypes.contenttype",  # created by migrate; referred to by natural key
    "auth.permission",  # likewise
    "sessions.session",  # sign-ins do not survive a restore
    "axes.accessattempt",  # lockout counters, not records
    "axes.accessattemptexpiration",
    "search.document",  # the search index: rebuilt from the content after a restore
}
# Rows that migrations create by themselves: their presence does not make a database "non-empty".
CREATED_BY_MIGRATIONS = {"auth.group", "auth.group_permissions"}


class _ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder rounds times to milliseconds; history is ordered by them, so keep every digit."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup that cannot be read or restored here; the message says why."""


def backed_up_models():
    """Concrete models to back up, in an order where every row comes after the rows it refers to."""
    candidates = [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in EXCLUDED
    ]
    by_app = {}
    for model in candidates:
        by_app.setdefault(model._meta.app_config, []).append(model)
    ordered = serializers.sort_dependencies(by_app.items(), allow_cycles=True)
    # sort_dependencies orders by natural keys only; put plain foreign keys' targets first as well,
    # so the file reads in a natural order (the restore itself defers constraint checks to the commit).
    return _foreign_keys_first(ordered)


def _foreign_keys_first(models):
    placed, result = set(), []

    def place(model, visiting):
        if model in placed or model in visiting:
            return
        visiting.add(model)
        for field in model._meta.concrete_fields:
            target = getattr(field.remote_field, "model", None) if field.is_relation else None
            if target in models and target is not model:
                place(target, visiting)
        placed.add(model)
        result.append(model)

    for model in models:
        place(model, set())
    return result


def _tables_of(models):
    """Every table the models write: theirs and their many-to-many tables."""
    tables = []
    for model in models:
        tables.append(model)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                tables.append(through)
    return tables


def applied_migrations(using=DEFAULT_DB_ALIAS):
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def write_backup(stream, *, using=DEFAULT_DB_ALIAS):
    """Write a backup of the database to a binary stream; returns the row count of each model."""
    models = backed_up_models()
    counts = {}
    objects = []
    # One snapshot: rows written during the backup do not appear half-way.
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            # Must come first in the transaction: every table is then read as of the same moment.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in models:
            if not router.allow_migrate_model(using, model):
                continue
            queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
            # The "python" serializer gives what the "json" one writes, before encoding.
            rows = serializers.serialize("python", queryset.iterator(chunk_size=2000), use_natural_foreign_keys=True)
            counts[model._meta.label] = len(rows)
            objects.extend(rows)
        migrations = applied_migrations(using)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": connections[using].vendor,
        "migrations": migrations,
        "counts": counts,
        "objects": objects,
    }
    text = io.TextIOWrapper(stream, encoding="utf-8")
    json.dump(document, text, cls=_ExactJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    text.flush()
    text.detach()
    return counts


def open_for_writing(path, *, compress):
    return gzip.open(path, "wb") if compress else open(path, "wb")  # noqa: SIM115


def read_backup(path):
    """The backup's document, checked for shape and for counts that match its rows."""
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as stream:
            document = json.load(stream)
    except (OSError, ValueError, EOFError) as error:
        raise BackupError(f"{path} is not a readable backup: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not a socsec backup (no {FORMAT!r} header).")
    if document.get("version") != VERSION:
        raise BackupError(
            f"{path} is a version {document.get('version')} backup; this release reads version {VERSION}."
        )
    found = Counter(row.get("model") for row in document.get("objects", []))
    for label, count in document.get("counts", {}).items():
        if found.get(label.lower(), 0) != count:
            raise BackupError(
                f"{path} is damaged: it announces {count} {label} rows and holds {found.get(label.lower(), 0)}."
            )
    return document


def database_has_data(*, using=DEFAULT_DB_ALIAS):
    """The models (labels) holding rows that a restore would replace, other than what migrations create."""
    holding = []
    for model in _tables_of(backed_up_models()):
        if model._meta.label_lower in CREATED_BY_MIGRATIONS:
            continue
        if model._base_manager.using(using).exists():
            holding.append(model._meta.label)
    return holding


def restore_backup(document, *, replace=False, using=DEFAULT_DB_ALIAS):
    """Replace the database's rows with the backup's, in one transaction; returns the count per model.

    Refuses a database that already holds data unless `replace` is set, and a backup made at migrations
    this database has not applied (a newer release's). The search index is rebuilt and every cached page
    retired, after the commit.
    """
    missing = sorted(set(document["migrations"]) - set(applied_migrations(using)))
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise BackupError(
            f"The backup was made at migrations this database has not applied ({shown}): "
            "restore it with the release that made it, or migrate to that release first."
        )
    holding = database_has_data(using=using)
    if holding and not replace:
        raise BackupError(
            "The database is not empty (" + ", ".join(holding[:5]) + (" …" if len(holding) > 5 else "") + "). "
            "Restore into a new database, or pass --replace to delete what it holds first."
        )

    models = backed_up_models()
    connection = connections[using]
    counts = Counter()
    # Natural keys are looked up through ContentType's per-process cache: make sure it is this database's.
    ContentType.objects.clear_cache()
    # One generation bump for the whole restore (at the end, and again after the commit), not one per row.
    with transaction.atomic(using=using), one_change(using=using, site_wide=True):
        # Raw deletes: no signals (no history records of the deletion, no index updates) and no cascades
        # to rows outside the backup. Constraints are checked at the end, once everything is in.
        with connection.constraint_checks_disabled():
            for model in reversed(_tables_of(models)):
                model._base_manager.using(using).all()._raw_delete(using)
            waiting = []
            for restored in serializers.deserialize(
                "python", document["objects"], using=using, handle_forward_references=True
            ):
                _insert(restored, using)
                if restored.deferred_fields:  # a natural key naming a row further down the file
                    waiting.append(restored)
                counts[restored.object._meta.label] += 1
            for restored in waiting:
                _insert_deferred(restored, using)
        connection.check_constraints(table_names=[model._meta.db_table for model in _tables_of(models)])
        # Rows kept their primary keys: start each table's sequence after the highest one (PostgreSQL).
        statements = connection.ops.sequence_reset_sql(no_style(), _tables_of(models))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        # The search index from the restored content, in the same transaction.
        rebuild_index()
    return dict(counts)


def _insert(restored, using):
    """Insert a deserialized row and its many-to-many links as they are, sending no signal that
    would write more rows (history records of the links, say: they are in the backup already).

    `save_base(raw=True)` is what loaddata uses: the row's own values, no auto_now, and receivers are
    told it is raw (the search index and django-simple-history then skip it). The tables were emptied
    first, so each row is an INSERT without a prior UPDATE attempt. Links go straight into their
    tables: setting them through the relation would send m2m_changed, which history answers with a
    new version.
    """
    Model.save_base(restored.object, using=using, raw=True, force_insert=True)
    for name, target_ids in (restored.m2m_data or {}).items():
        _insert_links(restored.object, name, target_ids, using)


def _insert_links(instance, name, target_ids, using):
    field = instance._meta.get_field(name)
    through = field.remote_field.through
    source = through._meta.get_field(field.m2m_field_name()).attname
    target = through._meta.get_field(field.m2m_reverse_field_name()).attname
    through._base_manager.using(using).bulk_create(
        [through(**{source: instance.pk, target: target_id}) for target_id in target_ids]
    )


def _insert_deferred(restored, using):
    instance = restored.object
    changed = []
    for field, value in restored.deferred_fields.items():
        if field.many_to_many:
            _insert_links(instance, field.name, deserialize_m2m_values(field, value, using, False), using)
        else:
            setattr(instance, field.attname, deserialize_fk_value(field, value, using, False))
            changed.append(field.attname)
    if changed:
        Model.save_base(instance, using=using, raw=True, update_fields=changed)
