"""The region in the address: `/zh-hans/beijing/faq/…` beside `/zh-hans/faq/…`.

`regional_i18n_patterns()` is Django's `i18n_patterns()` with a prefix that holds the language and,
on a regional request, the region after it. `reverse()` and `{% url %}` then keep the region in every
link of a regional page (search results, related questions, the language switcher) with no change to
the apps: Django builds the prefix from the active language, and here from the active region too.

Django caches its reverse lookups per active language (`django.urls.resolvers` asks `get_language()`
for the cache key). `install()` gives that module a key of language and region, so the lookups of
Beijing and of the national site are cached apart. That is the one place this app reaches into Django.
"""

import functools
import re

from django.conf import settings
from django.urls import URLResolver, get_resolver, resolvers
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation

from .context import current_region_slug


class RegionalLocalePrefixPattern(LocalePrefixPattern):
    @property
    def language_prefix(self):
        language = translation.get_language() or settings.LANGUAGE_CODE
        region = current_region_slug()
        return f"{language}/{region}/" if region else f"{language}/"


def regional_i18n_patterns(*urls):
    return [URLResolver(RegionalLocalePrefixPattern(prefix_default_language=True), list(urls))]


def _language_and_region():
    language = translation.get_language()
    region = current_region_slug()
    return f"{language}@{region}" if region else language


def install():
    """Key Django's per-language URL caches by language and region (see the module docstring)."""
    resolvers.get_language = _language_and_region


@functools.cache
def site_segments(urlconf=None):
    """The first segments of the site's own addresses under a language (faq, law, …): never a region.
    Read from every language-prefixed block of the URLs (a test's extra pages too)."""
    segments = set()
    for pattern in get_resolver(urlconf).url_patterns:
        if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern):
            segments |= {str(child.pattern).split("/")[0] for child in pattern.url_patterns}
    return frozenset(segments - {""})


# What a region's slug can be (a SlugField of pinyin): anything else in that place is no region.
REGION_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")


def region_segment(path, urlconf=None):
    """The region slug a path names after its language prefix, or None (a national address)."""
    parts = path.split("/", 3)  # "", language, segment[, rest]: "/zh-hans/beijing" too, for APPEND_SLASH
    if len(parts) < 3 or parts[1] not in {code for code, _name in settings.LANGUAGES}:
        return None
    segment = parts[2]
    if not segment or segment in site_segments(urlconf) or not REGION_SLUG.fullmatch(segment):
        # Not a region's slug at all (a NUL, punctuation, a long run): never looked up, a national 404.
        return None
    return segment
