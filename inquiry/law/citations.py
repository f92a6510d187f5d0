"""Anything may cite a law article. Apps that do register here, so a law article's page can list
what cites it without the law app importing them (the arrows point one way: faq → law)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class CitingKind:
    label: object  # a lazy translated string: "FAQ articles", "Guide outcomes"
    queryset: Callable[[], QuerySet]  # the public objects of that kind, with a `citations` relation
    order: int = 0


_kinds: list[CitingKind] = []


def register_citing_kind(*, label, queryset, order=0):
    _kinds.append(CitingKind(label=label, queryset=queryset, order=order))
    _kinds.sort(key=lambda kind: kind.order)


def citing_pages(article):
    """[(label, [objects])] of the public pages citing `article`: one query per kind."""
    pages = []
    for kind in _kinds:
        objects = list(kind.queryset().filter(citations=article).distinct())
        if objects:
            pages.append((kind.label, objects))
    return pages
