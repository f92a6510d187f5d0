"""Every migration of ours reverses: a release can be rolled back (docs/operations.md, "Rolling back").

Migrates a database of its own all the way, loads the shipped content, migrates every app of the
project (inquiry.*) to zero, and forward again. Django's own and third-party apps are not rolled back
by a release of ours (and Django's auth.0002 cannot shrink permission names back to 50 characters
once longer ones exist), so they stay where they are.

PostgreSQL (what production runs) when DATABASE_URL points at it, in a database this test creates and
drops; SQLite (the laptop default) always, in a file of its own.
"""

import os
import uuid

import pytest

from tests.support.shell import run_in_shell

pytestmark = pytest.mark.slow

ROUND_TRIP = """
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

call_command("migrate", verbosity=0)
call_command("load_content", verbosity=0)  # reverse data migrations with content in the tables
tables_at_head = set(connection.introspection.table_names())

ours = [config.label for config in apps.get_app_configs() if config.name.startswith("inquiry.")]
executor = MigrationExecutor(connection)
executor.migrate([(label, None) for label in ours if label in executor.loader.migrated_apps])
left = sorted(t for t in connection.introspection.table_names() if t.split("_", 1)[0] in ours)
applied = [key for key in MigrationRecorder(connection).applied_migrations() if key[0] in ours]
print("after zero:", len(applied), "of ours applied;", "tables left:", left)
assert not applied, applied
assert not left, left

call_command("migrate", verbosity=0)
assert set(connection.introspection.table_names()) == tables_at_head
print("round trip ok")
"""


def run_round_trip(database_url, tmp_path):
    assert "round trip ok" in run_in_shell(ROUND_TRIP, database_url=database_url, tmp_path=tmp_path)


def test_every_migration_reverses_on_sqlite(tmp_path):
    run_round_trip(f"sqlite:///{tmp_path / 'migrations.sqlite3'}", tmp_path)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs DATABASE_URL pointing at PostgreSQL (CI's second pass)",
)
def test_every_migration_reverses_on_postgresql(tmp_path):
    import psycopg

    base = os.environ["DATABASE_URL"].rpartition("/")[0]
    name = f"socsec_migrations_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        run_round_trip(f"{base}/{name}", tmp_path)
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
