"""Reads for the region layer. Each states its cost in SQL queries."""

from django.db.models import FilteredRelation, Q, Subquery

from .context import RegionChoice, RegionContext, ShownSource, ShownValue
from .models import Region

REGION_FIELDS = ("pk", "slug", "name_zh_hans", "name_en", "parent__slug")
VALUE_FIELDS = (
    "shown__key",
    "shown__text_zh_hans",
    "shown__text_en",
    "shown__checked_on",
    "shown__source__title_zh_hans",
    "shown__source__title_en",
    "shown__source__url",
    "shown__source__strength",
)


def region_choices():
    """Every region, for the chooser. One query."""
    return tuple(
        RegionChoice(row["slug"], row["name_zh_hans"], row["name_en"], row["parent__slug"])
        for row in Region.objects.order_by("order", "code").values(*REGION_FIELDS)
    )


def regions_with_values():
    """The regions that have values of their own, as choices (for the sitemap). One query."""
    return [
        RegionChoice(row["slug"], row["name_zh_hans"], row["name_en"], row["parent__slug"])
        for row in Region.objects.filter(values__isnull=False)
        .distinct()
        .order_by("order", "code")
        .values(*REGION_FIELDS)
    ]


def region_context(slug):
    """The RegionContext for `slug`, or None if no region has it. One query: every region (the chooser
    needs them all), with the values of this region and of its province joined on."""
    mine = Region.objects.filter(Q(slug=slug) | Q(children__slug=slug)).values("pk")
    rows = (
        Region.objects.annotate(shown=FilteredRelation("values", condition=Q(values__region__in=Subquery(mine))))
        .order_by("order", "code", "pk")
        .values(*REGION_FIELDS, *VALUE_FIELDS)
    )
    choices, values = {}, {}
    for row in rows:
        choice = RegionChoice(row["slug"], row["name_zh_hans"], row["name_en"], row["parent__slug"])
        choices.setdefault(choice.slug, choice)
        if row["shown__key"]:
            values.setdefault(row["slug"], {})[row["shown__key"]] = ShownValue(
                key=row["shown__key"],
                text_zh_hans=row["shown__text_zh_hans"],
                text_en=row["shown__text_en"],
                checked_on=row["shown__checked_on"],
                source=ShownSource(
                    row["shown__source__title_zh_hans"],
                    row["shown__source__title_en"],
                    row["shown__source__url"],
                    row["shown__source__strength"],
                ),
                region_slug=row["slug"],
            )
    region = choices.get(slug)
    if region is None:
        return None
    parent = choices.get(region.parent_slug) if region.parent_slug else None
    # The city's own value wins; a key it lacks falls back to its province's.
    merged = {**(values.get(parent.slug, {}) if parent else {}), **values.get(slug, {})}
    return RegionContext(region=region, parent=parent, values=merged, choices=tuple(choices.values()))


def coverage():
    """The coverage table for editors: regions × keys, each cell the value's strength (or the province's,
    marked inherited), or nothing. Two queries."""
    from .keys import KEYS
    from .models import LocalValue

    regions = list(Region.objects.select_related("parent").order_by("order", "code"))
    own = {
        (value.region_id, value.key): value
        for value in LocalValue.objects.select_related("source").only(
            "region_id", "key", "checked_on", "source__strength"
        )
    }
    rows = []
    for region in regions:
        cells = []
        for key in KEYS:
            value = own.get((region.pk, key))
            inherited = value is None and region.parent_id is not None and (region.parent_id, key) in own
            if inherited:
                value = own[(region.parent_id, key)]
            cells.append({"key": key, "value": value, "inherited": inherited})
        rows.append({"region": region, "cells": cells, "filled": sum(1 for cell in cells if cell["value"])})
    return {"keys": list(KEYS.values()), "rows": rows}
