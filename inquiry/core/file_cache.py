"""Django's file cache, counting its files once every few writes instead of on every write.

`FileBasedCache._cull` lists the whole folder on every `set()` to learn whether it holds more than
MAX_ENTRIES. With a few thousand stored pages that listing costs several milliseconds, and storing one
page makes dozens of writes (a variant per encoding, then the re-render index of each of its tags:
`page_tags.remember`), so the listing came to dominate: 445 of the 580 s of the test that renders every
public page after an edit went to it, and a page's first render under load took seconds longer.

This cache culls as Django's does, but looks only on one write in `CULL_EVERY` (an OPTIONS entry,
default 100) of each cache object (Django makes one per thread). The folder may so hold up to about
CULL_EVERY entries per thread beyond MAX_ENTRIES before a third of them are removed, as before.
"""

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 100


class FileCache(FileBasedCache):
    def __init__(self, location, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self._cull_every = max(1, int(options.pop("CULL_EVERY", CULL_EVERY)))
        params["OPTIONS"] = options
        super().__init__(location, params)
        self._writes = 0

    def _cull(self):
        # Called by set() (add() goes through it) before each write; an object's first write looks too.
        self._writes += 1
        if (self._writes - 1) % self._cull_every:
            return
        super()._cull()
