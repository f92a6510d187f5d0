"""Django's Redis cache, made to fail soft: Redis unreachable means a cache miss, not an error page.

Django's `RedisCache` raises whatever redis-py raises, so a stopped Redis would turn every page into a
500. This subclass answers every failed call as a miss (reads return the default, writes do nothing)
and logs it once in a while. After a connection failure it stops trying for a few seconds (a small
circuit breaker), so a Redis that hangs costs one short timeout per few seconds rather than one per
call: pages get slower (no page cache), never broken.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .faults import cache_failed

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class _Breaker:
    """Per-process state shared by the per-thread cache objects of one Redis location."""

    def __init__(self, retry_after, log_every):
        self.retry_after = retry_after
        self.log_every = log_every
        self.open_until = 0.0
        self.last_logged = 0.0
        self.failures = 0
        self.lock = threading.Lock()

    def is_open(self):
        return time.monotonic() < self.open_until

    def trip(self, location, error):
        cache_failed.send(sender=ResilientRedisCache, error=error)
        now = time.monotonic()
        with self.lock:
            self.open_until = now + self.retry_after
            self.failures += 1
            if now - self.last_logged >= self.log_every:
                logger.warning(
                    "Cache at %s unreachable (%s: %s); serving without it, %d failure(s) since the last report",
                    location,
                    type(error).__name__,
                    error,
                    self.failures,
                )
                self.last_logged = now
                self.failures = 0

    def reset(self):
        self.open_until = 0.0


_breakers = {}
_breakers_lock = threading.Lock()


class _ReusingClient(RedisCacheClient):
    """Django builds a new redis.Redis object for every cache call, which costs more than the call
    itself (redis-py fills a table of ~170 response callbacks each time). One client per connection
    pool is enough: redis.Redis objects are thread-safe and borrow a connection per command."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients.setdefault(index, self._client(connection_pool=self._pools[index]))
        return client


class ResilientRedisCache(RedisCache):
    """`RedisCache` whose every operation degrades to a miss when Redis fails.

    OPTIONS may hold `retry_after` (seconds to stop trying after a connection failure, default 5) and
    `log_every` (seconds between two warnings, default 60); the rest goes to redis-py as usual.
    """

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        retry_after = float(options.pop("retry_after", 5))
        log_every = float(options.pop("log_every", 60))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = _ReusingClient
        self._location = server if isinstance(server, str) else ",".join(server)
        with _breakers_lock:
            self._breaker = _breakers.setdefault(self._location, _Breaker(retry_after, log_every))

    def _guard(self, call, default):
        if self._breaker.is_open():
            return default
        try:
            return call()
        except UNREACHABLE as error:
            self._breaker.trip(_safe_location(self._location), error)
            return default
        except RedisError as error:
            # Any other Redis failure (out of memory, a read-only replica): a miss, and say so.
            cache_failed.send(sender=ResilientRedisCache, error=error)
            logger.warning("Cache operation failed (%s: %s); treated as a miss", type(error).__name__, error)
            return default

    def ping(self):
        """True if Redis answers now; closes the breaker when it does (for the health check)."""
        try:
            answered = bool(self._cache.get_client(None, write=True).ping())
        except (*UNREACHABLE, RedisError) as error:
            self._breaker.trip(_safe_location(self._location), error)
            return False
        self._breaker.reset()
        return answered

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guard(lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing)
        if result is missing:
            # What Django's caches raise for a key that is not there: callers already handle it.
            raise ValueError(f"Key '{key}' not found (cache unreachable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        """Delete this site's keys only (those under KEY_PREFIX), never the whole Redis database.

        Django's RedisCache.clear() runs FLUSHDB, which would also wipe whatever else shares the database.
        """

        def delete_prefixed():
            client = self._cache.get_client(None, write=True)
            pattern = self.make_key("*", version="*")
            batch = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
            return True

        return self._guard(delete_prefixed, False)


def _safe_location(location):
    """The Redis URL without its password, for the log."""
    if "@" not in location:
        return location
    scheme, _, rest = location.partition("://")
    return f"{scheme}://***@{rest.rpartition('@')[2]}"


def state_cache():
    """The cache alias whose keys eviction never removes (settings.STATE_CACHE; see the CACHES comment):
    the content generation, rate limits, daily counters. Pages go to the default cache."""
    from django.conf import settings
    from django.core.cache import caches

    alias = getattr(settings, "STATE_CACHE", "default")
    # Settings that name one cache only (a test's override) have no separate state alias.
    return caches[alias if alias in settings.CACHES else "default"]
