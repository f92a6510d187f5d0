"""The log of searches that found nothing is written after the response, in batches, within bounds."""

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from inquiry.search import services
from inquiry.search.models import UnansweredSearch
from inquiry.search.services import flush_unanswered_searches, note_unanswered_search
from inquiry.search.views import SearchView

pytestmark = pytest.mark.django_db


def test_nothing_is_written_while_the_visitor_waits_only_after_the_response(client):
    request = RequestFactory().get("/en/search/", {"q": "qzxqzv nothing"})
    with translation.override("en"):
        response = SearchView.as_view()(request)
        response.render()
    assert response.status_code == 200
    assert not UnansweredSearch.objects.exists()
    # What the server does once the response is sent (request_finished); like Django's test client,
    # without closing the test's connection, which holds the test's transaction.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    row = UnansweredSearch.objects.get()
    assert (row.query, row.language, row.searches, row.results) == ("qzxqzv nothing", "en", 1, 0)


def test_pending_searches_are_written_together(django_assert_num_queries):
    for _ in range(3):
        note_unanswered_search(query="emu", language="en", results=0)
    note_unanswered_search(query="鸸鹋", language="zh-hans", results=1)
    # One statement for all the rows (in one transaction: its savepoint and release under the test's),
    # and the day's first write drops the rows past 90 days.
    with django_assert_num_queries(4):
        assert flush_unanswered_searches() == 4
    assert dict(UnansweredSearch.objects.values_list("query", "searches")) == {"emu": 3, "鸸鹋": 1}
    assert flush_unanswered_searches() == 0


def test_the_whole_log_has_a_bound_and_the_report_says_when_it_is_reached(monkeypatch, admin_client):
    monkeypatch.setattr(services, "MAX_LOG_ROWS", 2)
    for word in ("one", "two", "three"):
        services.record_unanswered_search(query=word, language="en", results=0)
    assert sorted(UnansweredSearch.objects.values_list("query", flat=True)) == ["one", "two"]
    html = admin_client.get(reverse("admin:search_unansweredsearch_changelist")).content.decode()
    assert "记录已达上限（2 行）" in html


def test_the_report_names_the_days_that_reached_the_daily_bound(monkeypatch, admin_client):
    monkeypatch.setattr(services, "MAX_LOGGED_PER_DAY", 2)
    for word in ("one", "two", "three"):
        services.record_unanswered_search(query=word, language="en", results=0)
    assert UnansweredSearch.objects.count() == 2
    html = admin_client.get(reverse("admin:search_unansweredsearch_changelist")).content.decode()
    assert "以下日期的搜索超过每日上限（2 次）" in html
