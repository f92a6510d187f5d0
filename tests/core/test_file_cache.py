"""The file cache (inquiry/core/file_cache.py) counts its files once every CULL_EVERY writes, and still
culls: a folder written far past MAX_ENTRIES stays near it."""

from django.core.cache.backends.filebased import FileBasedCache

from inquiry.core.file_cache import FileCache


class Listing:
    """Counts how often a cache lists its folder."""

    listings = 0

    def _list_cache_files(self):
        type(self).listings += 1
        return super()._list_cache_files()


class ListingFileCache(Listing, FileCache):
    listings = 0


class ListingDjangoFileCache(Listing, FileBasedCache):
    listings = 0


def files_in(folder):
    return [path for path in folder.iterdir() if path.suffix == ".djcache"]


def test_the_folder_is_listed_once_every_cull_every_writes_not_on_each(tmp_path):
    options = {"MAX_ENTRIES": 10_000, "CULL_EVERY": 50}
    ours = ListingFileCache(str(tmp_path / "ours"), {"OPTIONS": options})
    django = ListingDjangoFileCache(str(tmp_path / "django"), {"OPTIONS": options})
    for cache in (ours, django):
        cache.set_many({f"key-{n}": n for n in range(500)})
        assert cache.get("key-499") == 499
    assert ListingDjangoFileCache.listings == 500
    assert ListingFileCache.listings == 10


def test_a_folder_written_far_past_max_entries_is_still_culled(tmp_path):
    folder = tmp_path / "cache"
    cache = FileCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": 30, "CULL_EVERY": 10, "CULL_FREQUENCY": 3}})
    for n in range(600):
        cache.set(f"key-{n}", "x" * 100)
    stored = len(files_in(folder))
    # At most MAX_ENTRIES plus the writes between two looks; never the 600 written.
    assert 0 < stored <= 30 + 10
    assert cache.get("key-599") == "x" * 100  # the last write is never culled before it is made
