"""What editors learn from visitors: the searches that found no or few pages and the answers marked
"not helpful", counted per day and per week. A fixed number of queries, whatever the traffic."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from inquiry.feedback.models import Feedback
from inquiry.feedback.selectors import pages_for

from .models import FEW_RESULTS, LOG_KEEP_DAYS, UnansweredSearch

DAYS = 14
WEEKS = 12
TOP_QUERIES = 30
TOP_PAGES = 20


@dataclass
class Period:
    start: datetime.date
    no_results: int = 0
    few_results: int = 0
    not_helpful: int = 0


@dataclass
class QueryRow:
    query: str
    language: str
    searches: int
    results: int  # the fewest pages it found in the period
    last_day: datetime.date


@dataclass
class PageRow:
    kind: str
    object_id: int
    not_helpful: int
    page: object = None


def _as_date(value):
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def _periods(starts, log_rows, feedback_rows):
    periods = {start: Period(start) for start in starts}
    for row in log_rows:
        period = periods.get(_as_date(row["period"]))
        if period:
            period.no_results += row["none"] or 0
            period.few_results += row["few"] or 0
    for row in feedback_rows:
        period = periods.get(_as_date(row["period"]))
        if period:
            period.not_helpful += row["count"]
    return list(periods.values())


def _log_per(log, period):
    return (
        log.annotate(period=period)
        .values("period")
        .annotate(none=Sum("searches", filter=Q(results=0)), few=Sum("searches", filter=Q(results__gt=0)))
    )


def _not_helpful_per(since, period):
    return (
        Feedback.objects.filter(helpful=False, created_at__gte=since)
        .annotate(period=period)
        .values("period")
        .annotate(count=Count("id"))
    )


def top_queries(since):
    rows = (
        UnansweredSearch.objects.filter(day__gte=since)
        .values("query", "language")
        .annotate(searches=Sum("searches"), results=Min("results"), last_day=Max("day"))
        .order_by("-searches", "-last_day", "query", "language")[:TOP_QUERIES]
    )
    return [QueryRow(**row) for row in rows]


def unhelpful_pages(since):
    rows = (
        Feedback.objects.filter(helpful=False, created_at__gte=since)
        .values("page_kind", "object_id")
        .annotate(count=Count("id"))
        .order_by("-count", "page_kind", "object_id")[:TOP_PAGES]
    )
    found = [PageRow(row["page_kind"], row["object_id"], row["count"]) for row in rows]
    pages = pages_for([(row.kind, row.object_id) for row in found])
    for row in found:
        row.page = pages.get((row.kind, row.object_id))
    return found


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def unmet_needs_report(today=None):
    """Everything the report shows: nine queries, plus one per kind of page named."""
    from .services import MAX_LOG_ROWS, MAX_LOGGED_PER_DAY, log_is_full

    today = today or timezone.localdate()
    first_day = today - datetime.timedelta(days=DAYS - 1)
    first_week = today - datetime.timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    kept_since = today - datetime.timedelta(days=LOG_KEEP_DAYS)
    log = UnansweredSearch.objects.filter(day__gte=max(kept_since, min(first_day, first_week)))
    days = _periods(
        [first_day + datetime.timedelta(days=index) for index in range(DAYS)],
        _log_per(log.filter(day__gte=first_day), F("day")),
        _not_helpful_per(_start_of(first_day), TruncDate("created_at")),
    )
    weeks = _periods(
        [first_week + datetime.timedelta(weeks=index) for index in range(WEEKS)],
        _log_per(log.filter(day__gte=first_week), TruncWeek("day")),
        _not_helpful_per(_start_of(first_week), TruncWeek("created_at")),
    )
    return {
        "days": list(reversed(days)),
        "weeks": list(reversed(weeks)),
        "queries_week": top_queries(today - datetime.timedelta(days=6)),
        "queries_kept": top_queries(kept_since),
        "unhelpful_pages": unhelpful_pages(_start_of(kept_since)),
        "few_results": FEW_RESULTS,
        # When a bound stopped the logging: the days that reached the per-day one, the whole log's.
        "bounded_days": [
            period.start for period in days if period.no_results + period.few_results >= MAX_LOGGED_PER_DAY
        ],
        "max_per_day": MAX_LOGGED_PER_DAY,
        "log_full": log_is_full(),
        "max_rows": MAX_LOG_ROWS,
        "keep_days": LOG_KEEP_DAYS,
    }
