"""A clock the test sets: what `timezone.now()` and `time.time()` say inside the block.

For what happens when a moment comes (a scheduled publication) without waiting for it in real time,
so no test depends on how fast the machine runs. Everything in the site reads the time through these
two (the database is asked with the value they give)."""

import time
from contextlib import contextmanager

import pytest
from django.utils import timezone


@contextmanager
def clock_at(moment):
    """Inside the block the time is `moment` (an aware datetime) and stands still."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        patch.setattr(time, "time", moment.timestamp)
        yield
