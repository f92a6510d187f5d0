"""A per-client limit on feedback answers that holds across processes and servers.

Counts live in the "state" cache alias (Redis in production, whose INCR is atomic: one that never
evicts, so filling the page cache cannot reset a count; see settings.CACHES), keyed by a salted hash of
the client's address: the address itself is never stored anywhere, and the hash cannot be turned
back into it without the site's SECRET_KEY. Counts expire with their time window.
"""

import logging
import time

from django.conf import settings
from django.utils.crypto import salted_hmac

from inquiry.core.cache import state_cache

logger = logging.getLogger(__name__)

# At most this many answers per client per window (seconds). Plenty for a person; too few for a flood.
DEFAULT_LIMIT = 10
DEFAULT_WINDOW = 60 * 60


def client_address(request) -> str:
    """The visitor's address. Behind N trusted proxies (SOCSEC_TRUSTED_PROXY_COUNT), the address the
    nearest of them saw, from X-Forwarded-For; never a value the client could simply make up."""
    proxies = getattr(settings, "SOCSEC_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_key(request) -> str:
    digest = salted_hmac("inquiry.feedback.ratelimit", client_address(request)).hexdigest()[:32]
    return f"feedback:rate:{digest}"


def allow(request) -> bool:
    """Count one answer from this client; False once it has given more than the limit in this window."""
    limit = getattr(settings, "FEEDBACK_RATE_LIMIT", DEFAULT_LIMIT)
    window = getattr(settings, "FEEDBACK_RATE_WINDOW", DEFAULT_WINDOW)
    key = f"{client_key(request)}:{int(time.time() // window)}"
    cache = state_cache()
    try:
        count = 1 if cache.add(key, 1, timeout=window) else cache.incr(key)
    except ValueError:
        # The count expired between add and incr, or the cache cannot store anything at all (the
        # fail-soft Redis cache answers every call as a miss while Redis is down). Count afresh if it
        # can; if it cannot, the cache is down.
        if cache.add(key, 1, timeout=window):
            return True
        return _accept_uncounted()
    except Exception:  # noqa: BLE001 - the cache being down must not stop people from answering
        return _accept_uncounted()
    return count <= limit


def _accept_uncounted() -> bool:
    """The cache is down: people must still be able to answer, so the answer passes uncounted."""
    logger.warning("feedback rate limit: cache unavailable, answer accepted without counting")
    return True
