"""The embedded database's settings: SQLite in WAL mode with a busy timeout (see socsec/settings.py)."""

import copy

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite settings apply to SQLite only"),
]


def test_a_sqlite_file_opens_in_wal_mode_with_a_busy_timeout(tmp_path):
    config = copy.deepcopy(settings.DATABASES["default"])
    config["NAME"] = str(tmp_path / "socsec.sqlite3")
    wrapper = DatabaseWrapper(config, alias="wal-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000  # milliseconds: a writer waits for the lock, not fails
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
    finally:
        wrapper.close()
