"""Parts of pages kept rendered in the shared cache, so a page the page cache does not hold (the other
text size, an address with junk in its query, another path of answers to the same guide outcome, a
page evicted, the page cache off) costs no ORM and little template. A page retired by an edit of what
it shows is built afresh, as its fragment is retired with it.

A fragment is whatever `build()` returns (HTML and the few plain values the page around it needs),
kept per release (and Django version), language, script prefix (links keep the larger-text segment,
`text_size.py`) and the caller's key, which names everything else it depends on: the object, and the
region (`("faq-article", region, slug)`). It is valid exactly as a stored page is (`page_cache.py`):
while the content generation is the one it was built in and the rows it showed (`page_tags.py`) still
have their tokens. So an edit shows at once, on every server: a precise change retires the fragments
that show the rows it wrote, any other change every fragment. The rows a fragment showed are added to
the page being rendered (`page_shows`), hit or miss, so a stored page holding it is retired with it.

Per region: links keep the region (`inquiry/places/resolver.py`), and the region's local values are
filled in when the fragment is built for that region (the region is in the key); regions and local
values are site-wide models (settings.SOCSEC_SITE_WIDE_MODELS), so changing them retires every fragment.

Previews (staff, drafts) never use it. Off with settings.SOCSEC_FRAGMENT_CACHE = False (the tests that
count what a full render costs turn it off with the page cache).

Each process also keeps the fragments it used last in its own memory (`LOCAL_SIZE` of them), checked
exactly as the shared ones are (generation and tag tokens), so a hot fragment costs no cache read and
no unpickling. A value kept there is shared by the requests that use it: callers only read it. The
content state (generation, sequence) is read once per request (`request_state`) by all the fragments
of a page, as the page cache reads it once for a page.
"""

import contextvars
import threading
from collections import OrderedDict

import django
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.urls import get_script_prefix
from django.utils.translation import get_language

from . import page_tags
from .generation import current_state
from .page_cache import is_current, release

PREFIX = "fragment"
# Fragments kept in each process's memory (the most recently used).
LOCAL_SIZE = 256

_local = OrderedDict()
_local_lock = threading.Lock()
# The content state read for the request being answered: a list, empty until it is read, from the start
# of a request to its end; None outside a request (a command, a job), where every fragment reads it anew.
_request_state = contextvars.ContextVar("socsec_fragment_state", default=None)


def _request_starts(**kwargs):
    _request_state.set([])


def _request_ends(**kwargs):
    _request_state.set(None)


request_started.connect(_request_starts, dispatch_uid="socsec-fragments-request-started")
request_finished.connect(_request_ends, dispatch_uid="socsec-fragments-request-finished")


def request_state():
    """(generation, sequence) as `current_state()` gives them, read once per request: every fragment of
    a page is checked against the state the page began with (as the page cache checks the page)."""
    memo = _request_state.get()
    if memo:
        return memo[0]
    state = current_state()
    if memo is not None and state[0] is not None:
        memo.append(state)
    return state


def _local_get(name):
    with _local_lock:
        entry = _local.get(name)
        if entry is not None:
            _local.move_to_end(name)
        return entry


def _local_put(name, entry):
    with _local_lock:
        _local[name] = entry
        _local.move_to_end(name)
        while len(_local) > LOCAL_SIZE:
            _local.popitem(last=False)


def clear_local():
    """Forget the fragments kept in this process (tests that clear the cache)."""
    with _local_lock:
        _local.clear()


def cached(*key, build, fresh=False):
    """`build()`'s value for `key` in this language: from the cache while it is current, else built
    (and stored unless content changed meanwhile). `fresh`: built, neither read nor stored (a staff
    preview, which may show drafts)."""
    if fresh or not settings.SOCSEC_FRAGMENT_CACHE:
        return build()
    generation, seq = request_state()
    if generation is None:  # no usable cache
        return build()
    name = fragment_key(key)
    stored = _local_get(name)
    if stored is None or not is_current(stored, generation, seq):
        stored = cache.get(name)
        if stored is not None and is_current(stored, generation, seq):
            _local_put(name, stored)
        else:
            stored = None
    if stored is not None:
        page_tags.page_shows(*stored["tags"])
        return stored["value"]
    with page_tags.collecting() as tags:
        value = build()
    page_tags.page_shows(*tags)
    tokens, seq_now = page_tags.current_tokens(sorted(tags))
    # As the page cache does: what was built while content changed may hold old rows under new tokens.
    if seq_now == seq and (current_state()[0] or {}).get("id") == generation["id"]:
        entry = {"value": value, "generation": generation["id"], "seq": seq_now, "tags": tokens}
        cache.set(name, entry, timeout=settings.SOCSEC_PAGE_CACHE_SECONDS)
        _local_put(name, entry)
    return value


def fragment_key(key):
    # Django's version too: a fragment may hold model instances (a guide's flow), pickled by this Django.
    prefix = (PREFIX, release(), django.__version__, get_language() or "", get_script_prefix())
    return ":".join((*prefix, *(str(part or "") for part in key)))
