"""The region of the request being answered, for `reverse()` and the renderer of local values.

It lives in a context variable set by `RegionMiddleware` for one request (as Django keeps the active
language), never in a cookie or a session: the region is part of the address.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils.translation import get_language

_current = ContextVar("socsec_region", default=None)


@dataclass(frozen=True)
class ShownSource:
    title: str
    title_en: str
    url: str
    strength: str


@dataclass(frozen=True)
class ShownValue:
    key: str
    text_zh_hans: str
    text_en: str
    checked_on: object
    source: ShownSource
    region_slug: str

    def text(self):
        return self.text_en if (get_language() or "").startswith("en") else self.text_zh_hans


@dataclass(frozen=True)
class RegionChoice:
    slug: str
    name_zh_hans: str
    name_en: str
    parent_slug: str | None

    def name(self):
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh_hans


@dataclass(frozen=True)
class RegionContext:
    """The chosen region, its province, their values and the list of every region (for the chooser)."""

    region: RegionChoice
    parent: RegionChoice | None
    values: dict = field(default_factory=dict)  # key → ShownValue, the city's own or else the province's
    choices: tuple = ()

    @property
    def slug(self):
        return self.region.slug

    def value(self, key):
        return self.values.get(key)


def current_region():
    """The RegionContext of this request, or None on a national page."""
    return _current.get()


def current_region_slug():
    region = _current.get()
    return region.slug if region is not None else None


@contextmanager
def region_active(region):
    token = _current.set(region)
    try:
        yield region
    finally:
        _current.reset(token)
