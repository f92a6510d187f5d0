"""Which stored pages show which objects, so an edit retires only the pages it touched.

While a page is rendered for the page cache, every content row it loads (`EditableContent.from_db`) adds
a tag, `<app>.<model>:<pk>` (`faq.article:12`); a view may add more with `page_shows()` (the search page
adds `search`). The stored page keeps the token each of its tags had then.

Each tag's token lives in the "state" cache alias (never evicted). A precise change (`generation.py`
decides which changes are) gives the tags it touched new tokens: a stored page whose tokens are no
longer the current ones is a miss, and is rendered again. A global sequence, `SEQ_KEY`, changes with
every precise change, so a page stored since the last one needs no token check at all, and a page
rendered while a change was being written is not stored (it may hold the old rows under new tokens).

The tag → addresses index (`remember`, `addresses`) only tells the background re-render (`rerender.py`)
which pages to request again. It lives in the default cache (it may be evicted: the page is then
rendered by its next visitor) and is never what decides whether a page is current: the tokens are.
"""

import contextvars
import time
import uuid
from contextlib import contextmanager

from django.core.cache import cache

from .cache import state_cache

SEQ_KEY = "page-tags-seq"
TOKEN_PREFIX = "page-tag:"  # noqa: S105 - a cache key prefix, not a password
INDEX_PREFIX = "page-urls:"
# Search pages depend on every text: a precise change always retires them too.
SEARCH_TAG = "search"
# Tokens outlive every stored page (a page lives SOCSEC_PAGE_CACHE_SECONDS, a day by default): a token
# that expired would bring back the value a page stored before its change holds.
TOKEN_TIMEOUT = 60 * 60 * 24 * 30
# The newest addresses kept per tag for the re-render (the others are rendered by their next visitor).
INDEX_SIZE = 300

_collector = contextvars.ContextVar("socsec_page_tags", default=None)


@contextmanager
def collecting():
    """Collect the tags of what is loaded inside (the page being rendered); yields the set."""
    tags = set()
    token = _collector.set(tags)
    try:
        yield tags
    finally:
        _collector.reset(token)


def saw(instance):
    """A content row was loaded; called for every row, so it does as little as it can."""
    tags = _collector.get()
    if tags is not None:
        tags.add(tag_for(type(instance), instance.pk))


def page_shows(*tags):
    """The page being rendered shows these (for what no model row brings: search results)."""
    collected = _collector.get()
    if collected is not None:
        collected.update(tags)


def tag_for(model, pk):
    return f"{model._meta.concrete_model._meta.label_lower}:{pk}"


def new_token():
    return uuid.uuid4().hex[:12]


def last_change(seq):
    """When the precise change that set sequence `seq` was made (epoch seconds), 0 if none was."""
    try:
        return float(seq.split(":", 1)[0])
    except (AttributeError, ValueError):
        return 0.0


def bump(tags):
    """Give `tags` new tokens. The sequence first: a page stored meanwhile reads the tokens before the
    sequence, so it either sees the old tokens (and is retired by the new ones) or the new sequence
    (and is not stored)."""
    store = state_cache()
    store.set(SEQ_KEY, f"{time.time():.3f}:{new_token()}", timeout=TOKEN_TIMEOUT)
    store.set_many({TOKEN_PREFIX + tag: new_token() for tag in tags}, timeout=TOKEN_TIMEOUT)


def current_tokens(tags):
    """{tag: token} for `tags` (None for a tag never changed), and the sequence, read after them."""
    keys = [TOKEN_PREFIX + tag for tag in tags]
    found = state_cache().get_many([*keys, SEQ_KEY])
    return {tag: found.get(key) for tag, key in zip(tags, keys, strict=True)}, found.get(SEQ_KEY)


def still_current(stored, seq):
    """Whether a stored page's tags still have the tokens it was stored with."""
    if stored.get("seq") == seq:
        return True  # no precise change since it was stored
    tags = stored.get("tags") or {}
    if not tags:
        return True
    now, _seq = current_tokens(list(tags))
    return all(now[tag] == token for tag, token in tags.items())


def remember(url, tags):
    """Add `url` (scheme://host/path?query) to the re-render index of each of `tags`; best effort."""
    keys = [INDEX_PREFIX + tag for tag in tags]
    found = cache.get_many(keys)
    updated = {}
    for key in keys:
        urls = found.get(key) or []
        if urls and urls[-1] == url:
            continue
        urls = [known for known in urls if known != url][-(INDEX_SIZE - 1) :]
        urls.append(url)
        updated[key] = urls
    if updated:
        cache.set_many(updated, timeout=TOKEN_TIMEOUT)


def addresses(tags):
    """The addresses stored pages showing any of `tags` were requested at, newest first, each once."""
    found = cache.get_many([INDEX_PREFIX + tag for tag in tags])
    seen, ordered = set(), []
    for urls in found.values():
        for url in reversed(urls):
            if url not in seen:
                seen.add(url)
                ordered.append(url)
    return ordered
