"""The feedback report for editors: a fixed number of queries, whatever the number of answers."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, FloatField, Q
from django.db.models.functions import Cast, TruncWeek
from django.utils import timezone

from .models import Feedback
from .targets import target_for

WEEKS = 12
# A page needs this many answers before its share of "yes" says anything.
MIN_ANSWERS_FOR_LOWEST = 5


@dataclass
class PageStats:
    kind: str
    object_id: int
    total: int
    yes: int
    page: object = None  # the object, when it still exists

    @property
    def share(self):
        return self.yes / self.total if self.total else 0.0

    @property
    def percent(self):
        return round(self.share * 100)


@dataclass
class WeekStats:
    start: datetime.date
    yes: int = 0
    no: int = 0

    @property
    def total(self):
        return self.yes + self.no


def _per_page(queryset):
    return queryset.values("page_kind", "object_id").annotate(
        total=Count("id"), yes=Count("id", filter=Q(helpful=True))
    )


def pages_for(keys):
    """{(kind, object_id): object} for the pages named, one query per kind of page."""
    by_kind = {}
    for kind, object_id in keys:
        by_kind.setdefault(kind, set()).add(object_id)
    found = {}
    for kind, ids in by_kind.items():
        target = target_for(kind)
        for object_id, obj in (target.objects(list(ids)) if target else {}).items():
            found[(kind, object_id)] = obj
    return found


def _stats(rows):
    return [PageStats(row["page_kind"], row["object_id"], row["total"], row["yes"]) for row in rows]


def pages_by_answers(limit=50):
    return _stats(_per_page(Feedback.objects.all()).order_by("-total", "page_kind", "object_id")[:limit])


def lowest_share_pages(limit=10):
    rows = (
        _per_page(Feedback.objects.all())
        .filter(total__gte=MIN_ANSWERS_FOR_LOWEST)
        .annotate(share=Cast(F("yes"), FloatField()) / Cast(F("total"), FloatField()))
        .order_by("share", "-total", "page_kind", "object_id")[:limit]
    )
    return _stats(rows)


def weekly_answers(now=None):
    """The last WEEKS weeks (Monday to Sunday, site time), oldest first, with empty weeks included."""
    today = timezone.localdate(now or timezone.now())
    first = today - datetime.timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    starts = [first + datetime.timedelta(weeks=index) for index in range(WEEKS)]
    weeks = {week: WeekStats(week) for week in starts}
    rows = (
        Feedback.objects.filter(created_at__gte=start)
        .annotate(week=TruncWeek("created_at"))
        .values("week", "helpful")
        .annotate(count=Count("id"))
    )
    for row in rows:
        week = row["week"]
        week = timezone.localdate(week) if isinstance(week, datetime.datetime) else week
        if week in weeks:
            if row["helpful"]:
                weeks[week].yes += row["count"]
            else:
                weeks[week].no += row["count"]
    return list(weeks.values())


def latest_comments(limit=20):
    return list(Feedback.objects.exclude(comment="").order_by("-created_at", "-id")[:limit])


@dataclass
class Comment:
    feedback: Feedback
    page: object


def feedback_report(now=None):
    """Everything the admin report shows, in seven queries plus one per kind of page."""
    by_answers = pages_by_answers()
    lowest = lowest_share_pages()
    comments = latest_comments()
    pages = pages_for(
        [(row.kind, row.object_id) for row in by_answers + lowest]
        + [(comment.page_kind, comment.object_id) for comment in comments]
    )
    for row in by_answers + lowest:
        row.page = pages.get((row.kind, row.object_id))
    totals = Feedback.objects.aggregate(total=Count("id"), yes=Count("id", filter=Q(helpful=True)))
    return {
        "pages": by_answers,
        "lowest": lowest,
        "weeks": weekly_answers(now),
        "comments": [Comment(comment, pages.get((comment.page_kind, comment.object_id))) for comment in comments],
        "totals": totals,
        "min_answers": MIN_ANSWERS_FOR_LOWEST,
    }
