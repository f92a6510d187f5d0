"""A small world of regions and values for the places tests."""

import datetime

from inquiry.law.models import Source
from inquiry.places.models import LocalValue, Region
from tests.support import builders

CHECKED = datetime.date(2026, 12, 6)


def source(slug, strength="B", url="https://example.gov.cn/card"):
    return Source.objects.create(
        slug=slug,
        title_zh_hans=f"来源 {slug}",
        title_en=f"Source {slug}",
        url=url,
        kind="official_page",
        strength=strength,
    )


def region(slug, code, kind=Region.Kind.MUNICIPALITY, parent=None, name=None):
    return Region.objects.create(
        slug=slug, code=code, kind=kind, parent=parent, name_zh_hans=name or slug, name_en=(name or slug).title()
    )


def value(where, key, text_zh, text_en, src, checked=CHECKED):
    return LocalValue.objects.create(
        region=where, key=key, text_zh_hans=text_zh, text_en=text_en, source=src, checked_on=checked
    )


def world():
    """Beijing (municipality) with a [B] fee and a [C] time; Guangdong with a fee, Guangzhou under it
    with a time of its own (its fee falls back to Guangdong's); an FAQ article naming the keys.

    The shipped regions, if this test process loaded them, give way (inside the test's transaction)."""
    LocalValue.objects.all().delete()
    Region.objects.filter(parent__isnull=False).delete()
    Region.objects.all().delete()
    official, third = source("bj-official"), source("bj-third", strength="C", url="https://third.example.com/x")
    beijing = region("beijing", "110000", name="北京")
    guangdong = region("guangdong", "440000", kind=Region.Kind.PROVINCE, name="广东")
    guangzhou = region("guangzhou", "440100", kind=Region.Kind.CITY, parent=guangdong, name="广州")
    value(beijing, "replacement-fee", "补卡免费。", "A replacement is free.", official)
    value(beijing, "replacement-time", "约7个工作日。", "About 7 working days.", third)
    value(guangdong, "replacement-fee", "工本费20元。", "20 yuan.", official)
    value(guangzhou, "replacement-time", "12个工作日。", "12 working days.", official)
    faq = builders.article(
        "lost-card-fee",
        body_zh_hans="补卡费用：[[local:replacement-fee]]\n\n需要多久：[[local:replacement-time]]",
        body_en="Fee: [[local:replacement-fee]]\n\nHow long: [[local:replacement-time]]",
    )
    return {"beijing": beijing, "guangdong": guangdong, "guangzhou": guangzhou, "article": faq}
