"""Telling "the database is unreachable" apart from a bug, and saying so to whoever counts failures."""

from django.db import InterfaceError, OperationalError
from django.dispatch import Signal

try:  # PostgreSQL's connection pool; absent when only SQLite is installed.
    from psycopg_pool import PoolTimeout
except ImportError:  # pragma: no cover - psycopg[pool] is in requirements.txt
    PoolTimeout = OperationalError

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)

# Sent when a request finds the database unreachable (sender: the place, e.g. "page" or "healthz") and
# when a cache operation fails (sender: the cache backend's class). The site handles both on its own;
# these are for monitoring (inquiry.operations counts them), which core must not import.
database_failed = Signal()
cache_failed = Signal()


def is_database_unavailable(exception):
    """True for a failure to reach or keep the database (a down server, a full pool, a dropped connection).

    Django wraps driver errors in `django.db.OperationalError`/`InterfaceError`; the pool's timeout can
    also surface unwrapped. Look through the chain, since templates and middleware may re-raise.
    """
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False
